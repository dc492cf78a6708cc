// Filing a request and maker-checker, as staff do it: an admin signs in with password and TOTP,
// goes from the queue to an account, verifies the customer with a mailed code, files a
// reconnection after its dry-run preview, and cannot approve it themselves; a supervisor
// approves it from the approvals inbox with a comment; the account's timeline shows the
// reconnection completed and its audit proof verifies in the browser. The pack in force
// (e2e/setup.ts) makes a reconnection wait for a supervisor once its checks pass.
import { expect, test } from '@playwright/test';
import { apiCall, expectAccessible, mailedCode, screenshot, signIn, state } from './helpers';

const REF = 'ACC-2500';
const EMAIL = 'paid.up@example.com';

// A suspended account that owes nothing (the customer paid at the counter), with a request
// in the queue: their change of details waits for them to prove who they are.
test.beforeAll(async () => {
  const { account } = await apiCall('POST', '/v1/accounts', { external_ref: REF, name: 'Paula Paid', email: EMAIL, plans: ['mobile_basic'] });
  await apiCall('POST', `/v1/accounts/${account.id}/holds`, { hold_type: 'non_payment' }, { 'X-Reason': 'non_payment' });
  await apiCall(
    'POST',
    '/v1/requests',
    { type: 'personal_info_update', account_id: account.id, priority: 'low', payload: { phone: '+33612345678' } },
    { 'X-Reason': 'customer_request' },
  );
});

test('a reconnection is filed after its preview and approved by a second person', async ({ page, browser }, info) => {
  const s = state();
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page, s.tenant, s.staff);

  // Queue → account.
  await page.getByLabel('Type').selectOption('personal_info_update');
  await expect(page.getByTestId('queue-count')).toContainText('1 request');
  await page.getByRole('grid').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: `Account ${REF}` })).toBeVisible();
  await expect(page.getByTestId('account-status')).toHaveText('suspended');

  // The form is the pack's: reconnection's reasons, and the checks that will run, up front.
  const form = page.getByRole('region', { name: 'File a request' });
  await form.getByLabel('Request type').selectOption('reconnection');
  await expect(form.getByLabel('Reason')).toContainText('payment received');
  const upFront = form.getByTestId('checks-up-front');
  await expect(upFront).toContainText('Nothing is owed');
  await expect(upFront).toContainText('Approved by a supervisor · not by the person who filed it');
  await expect(upFront).toContainText('A person with the supervisor role must approve it.');
  await expect(form.getByRole('button', { name: 'Submit' })).toBeDisabled();

  // The customer verification step: a code to the address on record, read back.
  await form.getByRole('button', { name: 'Send a code' }).click();
  await expect(form.getByTestId('verifycode-status')).toContainText('Code sent to');
  await form.getByLabel('Code the customer reads back').fill('000000');
  await form.getByRole('button', { name: 'Check the code' }).click();
  await expect(form.getByRole('alert')).toContainText('Refused:');
  await form.getByLabel('Code the customer reads back').fill(await mailedCode(s.mail_dir, EMAIL));
  await form.getByRole('button', { name: 'Check the code' }).click();
  await expect(form.getByTestId('verifycode-status')).toContainText('Verified: identity level');

  // Details the server refuses: the dry run names the field, and nothing is filed.
  await form.getByLabel('Request type').selectOption('plan_change');
  await expect(form.getByLabel('Details (JSON)')).toHaveValue('{"plan_code": "mobile_plus"}');
  await form.getByLabel('Details (JSON)').fill('{"plan_code": "no_such_plan"}');
  await form.getByRole('button', { name: 'Preview (dry run)' }).click();
  await expect(form.getByRole('alert')).toContainText('Refused:');
  await expect(form.getByLabel('Details (JSON)')).toHaveAttribute('aria-invalid', 'true');
  await form.getByLabel('Request type').selectOption('reconnection');

  // Details that are not JSON are refused before anything is sent.
  await form.getByLabel('Details (JSON)').fill('{"nonsense": ');
  await form.getByRole('button', { name: 'Preview (dry run)' }).click();
  await expect(form.getByRole('alert')).toHaveText('The details are not valid JSON.');
  await expect(form.getByLabel('Details (JSON)')).toHaveAttribute('aria-invalid', 'true');
  await form.getByLabel('Details (JSON)').fill('');

  // The dry run says exactly what will happen.
  await form.getByLabel('Comment (kept in the audit log)').fill('Paid at the counter');
  await form.getByRole('button', { name: 'Preview (dry run)' }).click();
  const preview = form.getByTestId('preview');
  await expect(preview.getByTestId('preview-state')).toHaveText('The request would reach: awaiting approval.');
  await expect(preview).toContainText('It will wait for a second person to approve it.');
  await expect(preview).toContainText('Met: Nothing owed');
  await expect(preview).toContainText('Not met: Approval');
  await expectAccessible(page);
  await screenshot(page, 'console-file-request', info.outputDir);
  // A preview files nothing.
  await expect(page.getByRole('region', { name: 'Open requests' })).not.toContainText('reconnection');

  await form.getByRole('button', { name: 'Submit' }).click();
  await expect(form.getByTestId('file-status')).toContainText('is awaiting approval');
  await expect(page.getByRole('region', { name: 'Open requests' })).toContainText('reconnection · awaiting approval');

  // The filer cannot approve their own request: the server refuses, and the inbox says why.
  await page.getByRole('link', { name: 'Approvals' }).click();
  const mine = page.getByTestId('approval').filter({ hasText: 'reconnection' });
  await expect(mine).toContainText('You filed this request');
  await mine.getByRole('button', { name: 'Approve' }).click();
  await expect(mine.getByRole('alert')).toHaveText('Refused: you filed this request, so another person must decide it (maker-checker).');

  // A supervisor, in their own session, comments, reassigns and approves.
  const other = await browser.newContext({ baseURL: s.base, locale: 'en-GB', viewport: { width: 1280, height: 900 } });
  const sup = await other.newPage();
  await signIn(sup, s.tenant, s.supervisor);
  await sup.getByRole('link', { name: 'Approvals' }).click();
  await expect(sup.getByRole('heading', { name: 'Approvals', level: 1 })).toBeVisible();
  const item = sup.getByTestId('approval').filter({ hasText: 'reconnection' });
  await expect(item).not.toContainText('You filed this request');
  await item.getByLabel('Comment', { exact: true }).fill('Receipt seen');
  await item.getByRole('button', { name: 'Add the comment' }).click();
  await expect(item.getByRole('list', { name: 'Comments' })).toContainText('Receipt seen');
  await expect(item.getByRole('list', { name: 'Comments' }).getByTestId('mood').last()).toHaveText('Mood: neutral, frustration 0%');
  await item.getByLabel('Assign to').fill('supervisors');
  await item.getByRole('button', { name: 'Reassign' }).click();
  await expect(sup.getByTestId('approvals-status')).toContainText('assigned to supervisors');
  await expectAccessible(sup);
  await screenshot(sup, 'console-approvals', info.outputDir);
  await sup.getByRole('button', { name: /Language/ }).click();
  await expect(sup.getByRole('heading', { name: 'Validations', level: 1 })).toBeVisible();
  await expectAccessible(sup);
  await sup.getByRole('button', { name: /Langue/ }).click();
  // With the keyboard alone: the comment, then Tab to Approve and Enter.
  await item.getByLabel('Comment', { exact: true }).fill('Approved: receipt seen');
  await item.getByLabel('Comment', { exact: true }).press('Tab');
  await expect(item.getByRole('button', { name: 'Approve' })).toBeFocused();
  await sup.keyboard.press('Enter');
  await expect(sup.getByTestId('approvals-status')).toContainText('approved');
  await expect(sup.getByTestId('approval').filter({ hasText: REF })).toHaveCount(0);
  await other.close();

  // The filer's account page: the service is back, the timeline shows it, and its proof
  // verifies against the signed checkpoint.
  await page.goBack();
  await page.reload();
  await expect(page.getByTestId('account-status')).toHaveText('active');
  const timeline = page.getByTestId('timeline');
  await expect(timeline).toContainText('Request reconnection: completed');
  // The supervisor's comments, each with its mood.
  await expect(timeline.getByTestId('mood').first()).toContainText('Mood: ');
  const verify = timeline.getByRole('button', { name: /^Verify the proof/ }).first();
  const result = timeline.locator('.verify-result').first();
  await expect(async () => {
    await verify.click();
    await expect(result).toContainText('Verified: in the signed log', { timeout: 1000 });
  }).toPass({ timeout: 15_000 });

  // French.
  await page.getByRole('button', { name: /Language/ }).click();
  await expect(page.getByRole('region', { name: 'Déposer une demande' })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: /Langue/ }).click();
});
