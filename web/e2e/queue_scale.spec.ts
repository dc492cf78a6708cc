// The work queue holds 10,000 requests without putting 10,000 rows in the page: the list is
// virtualised, so scrolling to the end is as quick as the start. The API's answers are
// made up here (page.route), 100 pages of 100, since only the browser's side is measured.
import { expect, test } from '@playwright/test';
import { expectAccessible } from './helpers';

const TOTAL = 10_000;

function request(i: number) {
  const due = new Date(Date.now() + (i - 50) * 60_000).toISOString();
  return {
    id: `req_${String(i).padStart(5, '0')}`,
    account_id: `acc_${i}`,
    service_id: null,
    type: 'reconnection',
    origin: 'voluntary',
    channel: 'api',
    state: 'awaiting_payment',
    priority: ['urgent', 'high', 'normal', 'low'][i % 4],
    reason_code: 'payment_received',
    created_at: new Date().toISOString(),
    updated_at: new Date().toISOString(),
    completed_at: null,
    due_at: due,
    sla: { status: i < 50 ? 'breached' : 'on_track', due_at: due, at_risk_at: due, paused: false },
    assignee: null,
    checks: {},
    history: [],
  };
}

test('10,000 requests scroll with a bounded number of rows in the page', async ({ page }) => {
  await page.route('**/v1/whoami', (route) =>
    route.fulfill({ json: { object: 'whoami', tenant_id: 'ten_x', actor_type: 'user', key_id: null, user_id: 'usr_x', role: 'agent' } }),
  );
  await page.route('**/v1/requests?*', (route) => {
    const url = new URL(route.request().url());
    const after = url.searchParams.get('starting_after');
    const start = after ? Number(after.slice(4)) + 1 : 0;
    const data = Array.from({ length: Math.min(100, TOTAL - start) }, (_, k) => request(start + k));
    const more = start + data.length < TOTAL;
    return route.fulfill({ json: { object: 'list', data, has_more: more, next_cursor: more ? data[data.length - 1].id : null } });
  });
  await page.goto('/#/queue');
  await expect(page.getByTestId('queue-count')).toContainText('10000 requests', { timeout: 30_000 });
  const grid = page.getByRole('grid');
  expect(await grid.getByRole('row').count()).toBeLessThan(40);
  await expect(grid.getByRole('row').first()).toContainText('Breached');

  // Keyboard: End goes to the last request, which is then in view; Home comes back.
  await grid.focus();
  const started = Date.now();
  await page.keyboard.press('End');
  const last = grid.locator('[data-request-id="req_09999"]');
  await expect(last).toBeVisible();
  await expect(last).toHaveAttribute('aria-selected', 'true');
  expect(Date.now() - started).toBeLessThan(2000);
  expect(await grid.getByRole('row').count()).toBeLessThan(40);
  await page.keyboard.press('Home');
  await expect(grid.locator('[data-request-id="req_00000"]')).toBeVisible();

  // Scrolling by wheel through the middle keeps the page small too.
  await grid.hover();
  for (let i = 0; i < 10; i++) await page.mouse.wheel(0, 4000);
  expect(await grid.getByRole('row').count()).toBeLessThan(40);
  await expectAccessible(page);
});
