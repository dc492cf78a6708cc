// An invited agent opens the link its invitation mail carried (read from the real SMTP
// server), chooses a password, enrols an authenticator from the secret shown once, and signs
// in with the code the app computes (Debian's python3-pyotp); both pages pass axe.
import { expect, test } from '@playwright/test';
import { expectAccessible, mailed, screenshot, state, totp } from './helpers';

test('an invited agent accepts the mailed link and signs in with the new authenticator', async ({ page }, info) => {
  const s = state();
  const token = await mailed(s.mail_dir, s.invited, /#invitation=([A-Za-z0-9_.-]+)/);
  await page.setViewportSize({ width: 1280, height: 860 });
  await page.goto('/#invitation=' + token);
  await expect(page.getByRole('heading', { name: 'Welcome to Switchboard' })).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, 'console-invitation', info.outputDir);

  // Two different passwords, then a weak one, are refused before and by the server.
  await page.getByLabel('New password').fill('a long enough passphrase');
  await page.getByLabel('The same password again').fill('another passphrase');
  await page.getByRole('button', { name: 'Set my password' }).click();
  await expect(page.getByRole('alert')).toHaveText('The two passwords are not the same.');
  await page.getByLabel('New password').fill('short');
  await page.getByLabel('The same password again').fill('short');
  await page.getByRole('button', { name: 'Set my password' }).click();
  await expect(page.getByRole('alert')).toContainText('too weak');

  await page.getByLabel('New password').fill('ivan chooses a long passphrase');
  await page.getByLabel('The same password again').fill('ivan chooses a long passphrase');
  await page.getByRole('button', { name: 'Set my password' }).click();
  await expect(page.getByRole('heading', { name: 'Set up your authenticator app' })).toBeVisible();
  await expect(page.getByRole('img', { name: 'QR code of your authenticator secret' })).toBeVisible();
  const secret = (await page.locator('#totp-secret').textContent())!.trim();
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await expectAccessible(page);

  await page.getByRole('button', { name: 'Continue to sign-in' }).click();
  await expect(page.getByRole('heading', { name: 'Staff sign-in' })).toBeVisible();
  await expect(page.getByLabel('Organisation ID')).toHaveValue(s.tenant);
  await page.getByLabel('Email').fill(s.invited);
  await page.getByLabel('Password').fill('ivan chooses a long passphrase');
  await page.getByLabel('Authenticator code').fill(totp(secret));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Work queue' })).toBeVisible();

  // The link works once.
  await page.goto('/#invitation=' + token);
  await page.getByLabel('New password').fill('yet another long passphrase');
  await page.getByLabel('The same password again').fill('yet another long passphrase');
  await page.getByRole('button', { name: 'Set my password' }).click();
  await expect(page.getByRole('alert')).toContainText('unknown, already used or expired');
});
