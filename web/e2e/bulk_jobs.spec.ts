// Bulk jobs as a supervisor runs them: a file with bad rows is refused with each row named
// and nothing stored; a good one is checked (dry run), started, watched live over server-sent
// events, paused and resumed, and its results downloaded; another is cancelled. The server
// files one row a quarter second here (e2e/setup.ts), so each step can be seen.
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { apiCall, expectAccessible, screenshot, signIn, state } from './helpers';

const REFS = ['ACC-2700', 'ACC-2701', 'ACC-2702', 'ACC-2703'];

test.beforeAll(async () => {
  for (const ref of REFS) await apiCall('POST', '/v1/accounts', { external_ref: ref, name: `Bulk ${ref}`, plans: ['mobile_basic'] });
});

function csv(rows: string[][]): { name: string; mimeType: string; buffer: Buffer } {
  const text = ['external_ref,type,reason_code', ...rows.map((r) => r.join(','))].join('\n') + '\n';
  return { name: 'rows.csv', mimeType: 'text/csv', buffer: Buffer.from(text) };
}

test('a supervisor checks, starts, pauses, resumes and downloads a bulk job', async ({ page }, info) => {
  const s = state();
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page, s.tenant, s.supervisor);
  await page.getByRole('link', { name: 'Bulk jobs' }).click();
  await expect(page.getByRole('heading', { name: 'Bulk jobs', level: 1 })).toBeVisible();

  // Bad rows: each named with its column; nothing stored.
  await page.getByLabel('File of rows').setInputFiles(
    csv([
      ['ACC-2700', 'status_sync', 'agent_correction'],
      ['ACC-9999', 'status_sync', 'agent_correction'],
      ['ACC-2701', 'teleportation', 'agent_correction'],
    ]),
  );
  await page.getByRole('button', { name: 'Check the file (dry run)' }).click();
  await expect(page.getByRole('alert')).toContainText('Refused:');
  const errors = page.getByTestId('bulk-errors');
  await expect(errors.getByRole('caption')).toHaveText('2 invalid rows: nothing was stored');
  await expect(errors.getByRole('row', { name: /^3 / })).toBeVisible();
  await expect(errors.getByRole('row', { name: '4 type unknown type' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Start the job' })).toBeDisabled();
  await expectAccessible(page);

  // A good file: the dry run first, then the job, watched live.
  const rows = Array.from({ length: 16 }, (_, i) => [REFS[i % 4], 'status_sync', 'agent_correction']);
  await page.getByLabel('File of rows').setInputFiles(csv(rows));
  await page.getByRole('button', { name: 'Check the file (dry run)' }).click();
  await expect(page.getByTestId('bulk-plan').getByRole('caption')).toHaveText('16 rows, each as it would be filed');
  await page.getByRole('button', { name: 'Start the job' }).click();
  const job = page.getByTestId('bulk-job');
  await expect(job.getByTestId('bulk-state')).toHaveText('running');
  await expect(job.getByRole('progressbar')).not.toHaveAttribute('value', '0');
  await expectAccessible(page);
  await screenshot(page, 'console-bulk-jobs', info.outputDir);

  await job.getByRole('button', { name: 'Pause' }).click();
  await expect(job.getByTestId('bulk-state')).toHaveText('paused');
  const paused = await job.getByTestId('bulk-figures').textContent();
  await page.waitForTimeout(800);
  await expect(job.getByTestId('bulk-figures')).toHaveText(paused!);
  await job.getByRole('button', { name: 'Resume' }).click();
  await expect(job.getByTestId('bulk-state')).toHaveText('completed', { timeout: 20_000 });
  await expect(job.getByTestId('bulk-figures')).toHaveText('16 applied, 0 failed, 0 skipped');
  await expect(job.getByRole('button', { name: 'Pause' })).toHaveCount(0);

  const download = page.waitForEvent('download');
  await job.getByRole('link', { name: 'Download the results (CSV)' }).click();
  const results = readFileSync(await (await download).path(), 'utf8').trim().split(/\r?\n/);
  expect(results[0]).toBe('row,state,account_id,request_id,request_state,error_code,error_column');
  expect(results).toHaveLength(17);
  expect(results.slice(1).every((l) => l.includes(',applied,'))).toBe(true);

  // Another job, cancelled while it runs.
  await page.getByRole('button', { name: 'Check the file (dry run)' }).click();
  await page.getByRole('button', { name: 'Start the job' }).click();
  await expect(job.getByTestId('bulk-state')).toHaveText('running');
  await job.getByRole('button', { name: 'Cancel the job' }).click();
  await expect(job.getByTestId('bulk-state')).toHaveText('cancelled');

  await page.getByRole('button', { name: /Language/ }).click();
  await expect(page.getByRole('heading', { name: 'Traitements de masse', level: 1 })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: /Langue/ }).click();
});
