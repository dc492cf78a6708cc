// A customer signs in to the portal with a one-time code read from the mail the real SMTP
// server received, files a voluntary pause and follows it; every page passes axe. On a
// phone-sized screen.
import { expect, test } from '@playwright/test';
import { expectAccessible, mailedCode, screenshot, state } from './helpers';

test.use({ viewport: { width: 390, height: 844 } });

test('a customer signs in with a mailed code and follows a request', async ({ page }, info) => {
  const s = state();
  await page.goto(`/portal?tenant=${encodeURIComponent(s.tenant)}`);
  await expect(page.getByRole('heading', { name: 'Sign in with a one-time code' })).toBeVisible();
  await expect(page.getByLabel('Provider ID')).toHaveValue(s.tenant);
  await expectAccessible(page);
  await screenshot(page, 'portal-sign-in', info.outputDir);

  await page.getByLabel('Account number (as on your bill)').fill(s.customer.ref);
  await page.getByLabel('Email').check();
  await page.getByRole('button', { name: 'Send me a code' }).click();
  await expect(page.getByRole('status')).toContainText('a code is on its way');
  const code = await mailedCode(s.mail_dir, s.customer.email);
  await page.getByLabel('Code').fill(code);
  await page.getByRole('button', { name: 'Sign in' }).click();

  await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible();
  await expect(page.getByTestId('portal-status')).toHaveText('active');

  await page.getByLabel('What do you need?').selectOption('suspension');
  await page.getByRole('button', { name: 'Send my request' }).click();
  await expect(page.getByText('Your request was received.')).toBeVisible();
  const card = page.getByTestId('portal-request').filter({ hasText: 'Pause a service' });
  await expect(card.getByRole('heading')).toHaveText('Pause a service');
  await expect(card.getByRole('listitem').first()).toHaveText('Received');
  await expect(card.getByTestId('portal-need')).not.toBeEmpty();
  await expectAccessible(page);
  await screenshot(page, 'portal-account', info.outputDir);

  // Signing out ends the session: the page asks for a code again.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in with a one-time code' })).toBeVisible();
});
