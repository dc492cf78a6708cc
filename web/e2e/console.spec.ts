// A staff admin signs in with password and TOTP, works the queue with the keyboard (filters,
// claiming, whose and which team's work it is), opens an
// account and verifies an audit entry's inclusion proof in the browser; every page passes
// axe, and the console switches to French.
import { expect, test } from '@playwright/test';
import { apiCall, expectAccessible, screenshot, state, totp } from './helpers';

// The admin works in the billing desk team (PATCH /v1/users/{id}), so the queue offers teams.
test.beforeAll(async () => {
  const users = (await apiCall('GET', '/v1/users')).data as { id: string; email: string }[];
  const admin = users.find((u) => u.email === state().staff.email)!;
  await apiCall('PATCH', `/v1/users/${admin.id}`, { team: 'billing-desk' });
});

test('staff signs in, works the queue and verifies an audit proof', async ({ page }, info) => {
  const s = state();
  await page.setViewportSize({ width: 1280, height: 860 });
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Staff sign-in' })).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, 'console-sign-in', info.outputDir);

  await page.getByLabel('Organisation ID').fill(s.tenant);
  await page.getByLabel('Email').fill(s.staff.email);
  await page.getByLabel('Password').fill('not the password');
  await page.getByLabel('Authenticator code').fill('000000');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('The email, password or code is not right.');

  await page.getByLabel('Password').fill(s.staff.password);
  await page.getByLabel('Authenticator code').fill(totp(s.staff.totp_secret));
  await page.getByRole('button', { name: 'Sign in' }).click();

  // The queue, soonest due first.
  await expect(page.getByRole('heading', { name: 'Work queue' })).toBeVisible();
  await expect(page.getByTestId('queue-count')).toContainText('12 requests');
  const grid = page.getByRole('grid');
  await expect(grid.getByRole('row')).toHaveCount(12);
  await expect(grid.getByRole('row').first()).toContainText('reconnection');
  await expect(grid.getByRole('row').first()).toContainText(/On track|At risk|Breached/);
  // The countdown moves by itself.
  const due = grid.getByRole('row').first().getByRole('gridcell').nth(3);
  const before = await due.textContent();
  await expect(due).not.toHaveText(before!, { timeout: 3000 });
  await expectAccessible(page);
  await screenshot(page, 'console-queue', info.outputDir);

  // Filters.
  await page.getByLabel('Priority').selectOption('urgent');
  await expect(page.getByTestId('queue-count')).toContainText('3 requests');
  await page.getByLabel('Priority').selectOption('');
  await expect(page.getByTestId('queue-count')).toContainText('12 requests');

  // Keyboard only: move down a row, claim it, open its account.
  await grid.focus();
  await page.keyboard.press('ArrowDown');
  const second = grid.getByRole('row').nth(1);
  await expect(second).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('c');
  await expect(second.getByRole('button')).toHaveText('Claimed');
  await expect(second.getByRole('gridcell').nth(4)).not.toHaveText('—');
  const claimed = await second.getByRole('gridcell').first().textContent();

  // Whose work: the claimed request is the only one assigned to me, the others to no one.
  await page.getByLabel('Assigned to').selectOption('me');
  await expect(page.getByTestId('queue-count')).toContainText('1 request');
  await expect(grid.getByRole('row')).toHaveCount(1);
  await expect(grid.getByRole('row').first().getByRole('gridcell').first()).toHaveText(claimed!);
  await page.getByLabel('Assigned to').selectOption('none');
  await expect(page.getByTestId('queue-count')).toContainText('11 requests');
  await page.getByLabel('Assigned to').selectOption('');
  await expect(page.getByTestId('queue-count')).toContainText('12 requests');
  // The team's work: what its members hold.
  await page.getByLabel('Team').selectOption('billing-desk');
  await expect(page.getByTestId('queue-count')).toContainText('1 request');
  await expect(grid.getByRole('row').first().getByRole('gridcell').first()).toHaveText(claimed!);
  await page.getByLabel('Team').selectOption('');
  await expect(page.getByTestId('queue-count')).toContainText('12 requests');
  // Handing the selected request to someone by name (the staff directory); the column says who.
  await grid.focus();
  await page.keyboard.press('Home');
  const first = grid.getByRole('row').first();
  const firstId = (await first.getAttribute('data-request-id'))!;
  await page.getByLabel(`Give ${firstId} to`).selectOption({ label: 'Sam Supervisor' });
  await page.getByRole('button', { name: 'Assign', exact: true }).click();
  await expect(page.getByTestId('queue-count')).toContainText(`${firstId} given to Sam Supervisor`);
  await expect(first.getByRole('gridcell').nth(4)).toHaveText('Sam Supervisor');
  await expect(second.getByRole('gridcell').nth(4)).toHaveText('Ada Admin');
  await grid.focus();
  await page.keyboard.press('ArrowDown');
  await expect(second).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');

  // The account page.
  await expect(page.getByRole('heading', { name: /^Account ACC-/ })).toBeVisible();
  await expect(page.getByTestId('account-status')).toHaveText('suspended');
  await expect(page.getByRole('region', { name: 'Holds' })).toContainText('non payment');
  await expect(page.getByRole('region', { name: 'Open requests' })).toContainText('awaiting payment');
  const timeline = page.getByTestId('timeline');
  await expect(timeline.locator('li').first()).toBeVisible();

  // Verify an audit entry's proof against the signed checkpoint, in the browser.
  const verify = timeline.getByRole('button', { name: /^Verify the proof/ }).last();
  const result = timeline.locator('.verify-result').last();
  await expect(async () => {
    await verify.click();
    await expect(result).toContainText('Verified: in the signed log', { timeout: 1000 });
  }).toPass({ timeout: 10_000 });
  await expectAccessible(page);
  await screenshot(page, 'console-account', info.outputDir);

  // The check is real: a proof altered on the way, or a checkpoint whose signature does not
  // match its text, is not verified.
  const flip = (b64: string) => (b64[0] === 'A' ? 'B' : 'A') + b64.slice(1);
  await page.route('**/v1/audit/entries/*/proof*', async (route) => {
    const proof = await (await route.fetch()).json();
    proof.audit_path[0] = flip(proof.audit_path[0]);
    await route.fulfill({ json: proof });
  });
  await verify.click();
  await expect(result).toHaveText('Not verified: the proof does not lead to the signed root.');
  await page.unroute('**/v1/audit/entries/*/proof*');
  await page.route('**/v1/audit/checkpoint', async (route) => {
    const cp = await (await route.fetch()).json();
    cp.key_id = `${cp.key_id}-other`;
    await route.fulfill({ json: cp });
  });
  await verify.click();
  await expect(result).toHaveText('Not verified: the checkpoint signature is not valid.');
  await page.unroute('**/v1/audit/checkpoint');

  // French.
  await page.getByRole('button', { name: /Language/ }).click();
  await expect(page.getByRole('heading', { name: /^Compte ACC-/ })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Blocages' })).toBeVisible();
  await expectAccessible(page);
});
