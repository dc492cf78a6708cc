// An account's timeline pages 25 entries at a time: "Show more" adds the next page after the
// last one shown, until the button goes with the last page and exactly the account's entries
// are listed (a page read twice or skipped would not add up to them).
import { expect, test } from '@playwright/test';
import { apiCall, expectAccessible, signIn, state } from './helpers';

const REF = 'ACC-TIMELINE-PAGES';
let accountId = '';
let total = 0;

test.beforeAll(async () => {
  const { account } = await apiCall('POST', '/v1/accounts', { external_ref: REF, name: 'Tim Line', plans: ['mobile_basic'] });
  accountId = account.id;
  // Each verification recorded is an entry of the account's log; none files a request, so the
  // queues the other tests count stay as they are.
  for (let i = 0; i < 60; i++) {
    await apiCall('POST', `/v1/accounts/${accountId}/verifications`, { kind: 'identity', party: 'owner', method: 'document_check', level: 1 + (i % 2) });
  }
  const all = await apiCall('GET', `/v1/accounts/${accountId}/timeline?limit=100`);
  expect(all.has_more).toBe(false);
  total = all.data.length;
  expect(total).toBeGreaterThan(50);
});

test('the timeline shows 25 entries, then the next pages on "Show more", up to exactly all of them', async ({ page }) => {
  const s = state();
  await signIn(page, s.tenant, s.supervisor);
  await page.goto(`/#/accounts/${accountId}`);
  await expect(page.getByRole('heading', { name: `Account ${REF}` })).toBeVisible();
  const entries = page.getByTestId('timeline').locator('li');
  await expect(entries).toHaveCount(25);
  const more = page.getByRole('button', { name: 'Show more' });
  await more.click();
  await expect(entries).toHaveCount(50);
  await more.click();
  await expect(entries).toHaveCount(total);
  await expect(more).toHaveCount(0);
  await expectAccessible(page);
});
