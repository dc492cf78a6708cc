// A customer's receipt: the acknowledgement an agent's filing mailed links to it, the page shows
// what was asked and proves in the browser that the filing is in the signed audit log; the same
// receipt opens from the request's card on the portal; an altered link is refused in words.
// The agent finds the same link on the account page, to read out or send again.
// On a phone-sized screen.
import { expect, test, type Page } from '@playwright/test';
import { apiCall, expectAccessible, mailed, mailedCode, screenshot, signIn, state } from './helpers';

test.use({ viewport: { width: 390, height: 844 } });

const REF = 'ACC-3400';
const EMAIL = 'rita.receipt@example.com';
let requestId = '';
let accountId = '';

// The customer phoned about their suspended line: the agent filed its reconnection for them.
test.beforeAll(async () => {
  const { account } = await apiCall('POST', '/v1/accounts', {
    external_ref: REF,
    name: 'Rita Receipt',
    email: EMAIL,
    amount_due_minor: 3000,
    plans: ['mobile_basic'],
  });
  await apiCall('POST', `/v1/accounts/${account.id}/holds`, { hold_type: 'non_payment' }, { 'X-Reason': 'non_payment' });
  const r = await apiCall(
    'POST',
    '/v1/requests',
    { type: 'reconnection', account_id: account.id, service_id: account.services[0].id },
    { 'X-Reason': 'customer_request', 'X-Channel': 'voice' },
  );
  expect(r.state).toBe('awaiting_payment');
  requestId = r.id;
  accountId = account.id;
});

// Waits for the verdict, asking again while the filing waits for its signed checkpoint.
async function expectVerified(page: Page): Promise<void> {
  const verdict = page.getByTestId('receipt-verdict');
  for (let i = 0; i < 20; i++) {
    await expect(verdict).not.toHaveText('Verifying…');
    if (((await verdict.textContent()) ?? '').startsWith('Verified')) break;
    await page.waitForTimeout(250);
    await page.getByRole('button', { name: 'Check again' }).click();
  }
  await expect(verdict).toContainText('Verified in your browser: your request is record');
}

test('the mailed receipt proves the filing in the browser, and the portal shows the same', async ({ page }, info) => {
  const s = state();
  const token = await mailed(s.mail_dir, EMAIL, /#receipt=([A-Za-z0-9_.-]+)/);
  await page.goto(`/portal#receipt=${token}`);
  await expect(page.getByRole('heading', { name: 'Your receipt' })).toBeVisible();
  await expect(page.getByTestId('receipt-reference')).toHaveText(requestId);
  await expect(page.getByTestId('receipt')).toContainText('Reconnect a service');
  await expectVerified(page);
  // Nothing of the account is on the page.
  await expect(page.getByTestId('receipt')).not.toContainText(REF);
  await expect(page.getByTestId('receipt')).not.toContainText('Rita');
  await expectAccessible(page);
  await screenshot(page, 'portal-receipt', info.outputDir);

  // An altered link says so in words.
  const altered = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
  await page.goto(`/portal#receipt=${altered}`);
  await expect(page.getByRole('alert')).toHaveText('This receipt is not valid. Please use the link from your email as it is.');

  // Signed in, the request's card opens the same receipt.
  await page.goto(`/portal?tenant=${encodeURIComponent(s.tenant)}`);
  await page.getByLabel('Account number (as on your bill)').fill(REF);
  await page.getByLabel('Email').check();
  await page.getByRole('button', { name: 'Send me a code' }).click();
  await page.getByLabel('Code').fill(await mailedCode(s.mail_dir, EMAIL));
  await page.getByRole('button', { name: 'Sign in' }).click();
  const card = page.getByTestId('portal-request').filter({ hasText: 'Reconnect a service' });
  await card.getByRole('button', { name: 'Open the receipt of this request' }).click();
  await expect(page).toHaveURL(new RegExp(`#receipt=${token.replace(/\./g, '\\.')}$`));
  await expect(page.getByTestId('receipt-reference')).toHaveText(requestId);
  await expectVerified(page);
});

test('the agent reads the same receipt link from the account page', async ({ page }) => {
  const s = state();
  const token = await mailed(s.mail_dir, EMAIL, /#receipt=([A-Za-z0-9_.-]+)/);
  await signIn(page, s.tenant, s.staff);
  await page.goto(`/#/accounts/${accountId}`);
  await page.getByRole('button', { name: `The customer receipt of request ${requestId}` }).click();
  await expect(page.getByTestId('staff-receipt')).toContainText(`#receipt=${token}`);
  await expectAccessible(page);
});
