// The supervisor dashboard on the server's own figures: requests completed through the API
// show in the processing-time chart (its series drawn on the canvas, its figures in the table
// beside it) and in the completions per agent; the reconnections e2e/setup.ts leaves waiting
// for payment show in the backlog; a request
// completed while the page is open appears at the next refresh, without a reload.
import { expect, test, type Page } from '@playwright/test';
import { apiCall, expectAccessible, screenshot, signIn, state } from './helpers';

const REF = 'ACC-3300';
let accountId = '';

async function syncRequest(): Promise<string> {
  const r = await apiCall('POST', '/v1/requests', { type: 'status_sync', account_id: accountId }, { 'X-Reason': 'agent_correction' });
  return r.state;
}

// How many of the chart's canvas pixels have a series' colour (p50 #0a55c2, p95 #8c0f1f; the
// two coincide when every request took the same time): the axes and grid are grey and black,
// so only a drawn series gives any.
async function seriesPixels(page: Page, type: string): Promise<number> {
  return page.getByTestId(`chart-${type}`).locator('canvas').evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    const near = (i: number, rgb: number[]) => rgb.every((v, k) => Math.abs(d[i + k] - v) < 24);
    let n = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i + 3] > 200 && (near(i, [0x0a, 0x55, 0xc2]) || near(i, [0x8c, 0x0f, 0x1f]))) n++;
    }
    return n;
  });
}

test.beforeAll(async () => {
  const found = (await apiCall('GET', `/v1/accounts?external_ref=${REF}`)).data;
  accountId = found.length ? found[0].id : (await apiCall('POST', '/v1/accounts', { external_ref: REF, name: 'Dana Dashboard', plans: ['mobile_basic'] })).account.id;
  for (let i = 0; i < 3; i++) expect(await syncRequest()).toBe('completed');
});

test('the supervisor dashboard charts the day and follows new work live', async ({ page }, info) => {
  const s = state();
  await page.setViewportSize({ width: 1280, height: 1000 });
  await signIn(page, s.tenant, s.supervisor);
  await page.getByRole('link', { name: 'Dashboard' }).click();
  await expect(page.getByRole('heading', { name: 'Supervisor dashboard', level: 1 })).toBeVisible();

  const tiles = page.getByTestId('dash-tiles');
  await expect(tiles).toContainText('Open requests');
  await expect(tiles).toContainText('Success rate');
  await expect(tiles).toContainText('Customer satisfaction');
  await expect(page.getByTestId('backlog').getByRole('row', { name: /^reconnection( \d+)+$/ })).toBeVisible();

  // The chart is drawn with data, and its figures read the same as a table.
  const chart = page.getByTestId('chart-status_sync');
  await expect(chart.getByText('Processing time of status sync, per hour of completion')).toBeVisible();
  await expect.poll(() => seriesPixels(page, 'status_sync')).toBeGreaterThan(20);
  await chart.getByText('Show the figures as a table').click();
  const completedCell = chart.getByRole('row').nth(1).getByRole('cell').nth(1);
  const before = Number(await completedCell.textContent());
  expect(before).toBeGreaterThanOrEqual(3);
  const agents = page.getByTestId('agents');
  await expect(agents.getByRole('row', { name: /^Unassigned \d+$/ })).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, 'console-dashboard', info.outputDir);

  // Work done elsewhere shows at the next refresh (every 5 s), with no reload.
  expect(await syncRequest()).toBe('completed');
  await expect.poll(async () => Number(await completedCell.textContent()), { timeout: 12_000 }).toBe(before + 1);

  await page.getByRole('button', { name: /Language/ }).click();
  await expect(page.getByRole('heading', { name: 'Tableau de bord de supervision', level: 1 })).toBeVisible();
  await expect.poll(() => seriesPixels(page, 'status_sync')).toBeGreaterThan(20);
  await expectAccessible(page);
  await page.getByRole('button', { name: /Langue/ }).click();
});
