// A customer on the portal answers the retention offer an agent's termination put to them,
// downloads a copy of their data, and changes how they are told things; on a phone-sized
// screen, in English and French.
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { apiCall, expectAccessible, mailedCode, screenshot, state } from './helpers';

test.use({ viewport: { width: 390, height: 844 } });

const REF = 'ACC-3100';
const EMAIL = 'otto.offer@example.com';

// The customer called to end their line: the agent checked their identity document (level 2,
// what a subject access request asks too) and recorded consent, and
// the termination now waits for their answer to the pack's retention offer.
test.beforeAll(async () => {
  const { account } = await apiCall('POST', '/v1/accounts', { external_ref: REF, name: 'Otto Offer', email: EMAIL, plans: ['mobile_basic'] });
  await apiCall('POST', `/v1/accounts/${account.id}/verifications`, { kind: 'identity', party: 'owner', method: 'document_check', level: 2 });
  const r = await apiCall(
    'POST',
    '/v1/requests',
    { type: 'termination', account_id: account.id, consent: { method: 'recorded_call' } },
    { 'X-Reason': 'customer_request' },
  );
  expect(r.state).toBe('awaiting_customer');
});

test('a customer accepts an offer, downloads their data and changes their notification preferences', async ({ page }, info) => {
  const s = state();
  await page.goto(`/portal?tenant=${encodeURIComponent(s.tenant)}`);
  await page.getByLabel('Account number (as on your bill)').fill(REF);
  await page.getByLabel('Email').check();
  await page.getByRole('button', { name: 'Send me a code' }).click();
  await page.getByLabel('Code').fill(await mailedCode(s.mail_dir, EMAIL));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible();

  const card = page.getByTestId('portal-request').filter({ hasText: 'End a service' });
  await expect(card.getByTestId('portal-need')).toHaveText('We have an offer for you: take it, or tell us to go on.');
  await expect(card.getByTestId('portal-offers')).toContainText('Stay 12 more months at 30% off');
  await expectAccessible(page);
  await screenshot(page, 'portal-offer', info.outputDir);
  await card.getByRole('button', { name: 'Accept this offer' }).click();
  await expect(card.getByTestId('portal-need')).toHaveText('This request was cancelled.');
  await expect(card.getByTestId('portal-offers')).toHaveCount(0);
  await expect(page.getByTestId('portal-status')).toHaveText('active');

  // A copy of their data: filed, completed at once (their identity was checked today), and
  // downloaded from the request's card.
  await page.getByLabel('What do you need?').selectOption('data_access');
  await page.getByRole('button', { name: 'Send my request' }).click();
  const copy = page.getByTestId('portal-request').filter({ hasText: 'A copy of my data' });
  await expect(copy.getByTestId('portal-need')).toHaveText('Done: nothing more is needed.');
  const download = page.waitForEvent('download');
  await copy.getByRole('link', { name: 'Download my data (JSON)' }).click();
  const data = JSON.parse(readFileSync(await (await download).path(), 'utf8'));
  expect(data.object).toBe('subject_access_export');
  expect(data.profile.email).toBe(EMAIL);

  // Preferences: no text messages, messages in French, no marketing.
  const prefs = page.getByRole('region', { name: 'How we contact you' });
  await expect(prefs.getByLabel('Text message')).toBeChecked();
  await prefs.getByLabel('Text message').uncheck();
  await prefs.getByLabel('Language of our messages').selectOption('fr');
  await prefs.getByRole('button', { name: 'Save my preferences' }).click();
  await expect(prefs.getByTestId('prefs-status')).toHaveText('Saved: your preferences apply from now on.');
  await page.reload();
  await expect(prefs.getByLabel('Text message')).not.toBeChecked();
  await expect(prefs.getByLabel('Email')).toBeChecked();
  await expect(prefs.getByLabel('Language of our messages')).toHaveValue('fr');
  const account = (await apiCall('GET', `/v1/accounts?external_ref=${REF}`)).data[0];
  expect(account.notification_preferences.opt_out).toEqual(['sms']);
  expect(account.notification_preferences.locale).toBe('fr');
  await expectAccessible(page);
  await screenshot(page, 'portal-preferences', info.outputDir);

  await page.getByRole('button', { name: /Language/ }).click();
  await expect(page.getByRole('region', { name: 'Comment vous contacter' })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: /Langue/ }).click();
});
