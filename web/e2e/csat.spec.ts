// A customer rates a completed request from the link its completion email carries
// (<portal_url>#csat=<token>, e2e/setup.ts sets the pack's portal_url): no sign-in, a score
// and a comment, recorded once; the dashboard's CSAT counts it; the same link again is told
// it was already used. English and French pass axe.
import { expect, test } from '@playwright/test';
import { apiCall, expectAccessible, mailed, screenshot, state } from './helpers';

const REF = 'ACC-3200';
const EMAIL = 'rita.rating@customer.example';

test.beforeAll(async () => {
  const { account } = await apiCall('POST', '/v1/accounts', { external_ref: REF, name: 'Rita Rating', email: EMAIL, plans: ['mobile_basic'] });
  await apiCall('POST', `/v1/accounts/${account.id}/verifications`, { kind: 'identity', party: 'owner', method: 'document_check', level: 2 });
  const r = await apiCall(
    'POST',
    '/v1/requests',
    { type: 'personal_info_update', account_id: account.id, payload: { phone: '+33698765432' } },
    { 'X-Reason': 'customer_request' },
  );
  expect(r.state).toBe('completed');
});

test('a customer rates a completed request from the link in its email', async ({ page }, info) => {
  const s = state();
  const token = await mailed(s.mail_dir, EMAIL, /https:\/\/portal\.client\.example\/portal#csat=([A-Za-z0-9_.-]+)/);
  const before = (await apiCall('GET', '/v1/kpis/dashboard')).csat.count;

  await page.goto(`/portal#csat=${token}`);
  await expect(page.getByRole('heading', { name: 'How did we do?', level: 1 })).toBeVisible();
  await page.getByRole('button', { name: 'Send my answer' }).click();
  await expect(page.getByRole('alert')).toHaveText('Choose a score from 1 to 5 first.');
  await page.getByLabel('4: satisfied').check();
  await page.getByLabel('Anything you would like to tell us (optional)').fill('Quick and clear, thank you.');
  await expectAccessible(page);
  await screenshot(page, 'portal-csat', info.outputDir);
  await page.getByRole('button', { name: 'Send my answer' }).click();
  await expect(page.getByTestId('csat-done')).toHaveText('Thank you: your answer has been recorded.');
  expect(new URL(page.url()).hash).toBe('');

  const after = (await apiCall('GET', '/v1/kpis/dashboard')).csat;
  expect(after.count).toBe(before + 1);
  expect(after.mean).not.toBeNull();

  // The link works once.
  await page.goto(`/portal#csat=${token}`);
  await page.reload();
  await page.getByLabel('5: very satisfied').check();
  await page.getByRole('button', { name: 'Send my answer' }).click();
  await expect(page.getByTestId('csat-done')).toHaveText('This request has already been rated. Thank you.');
  expect((await apiCall('GET', '/v1/kpis/dashboard')).csat.count).toBe(before + 1);

  // A link that names nothing is said to be invalid, in French too.
  await page.goto(`/portal#csat=${token.slice(0, -4)}AAAA`);
  await page.reload();
  await page.getByRole('button', { name: /Language/ }).click();
  await expect(page.getByRole('heading', { name: 'Votre avis', level: 1 })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel('3 : ni l’un ni l’autre').check();
  await page.getByRole('button', { name: 'Envoyer ma réponse' }).click();
  await expect(page.getByTestId('csat-done')).toHaveText('Ce lien n’est pas valide. Utilisez le lien de votre e-mail tel quel.');
  await page.getByRole('button', { name: /Langue/ }).click();
});
