// The policy pack page as an admin uses it: the pack in force shown as stored; an edit the
// server refuses shows its error at its line; a valid edit shows its changes against the
// version in force, what it would have changed over the last 30 days' requests, and is saved
// as the new version in force. English and French pass axe.
import { expect, test } from '@playwright/test';
import { expectAccessible, screenshot, signIn, state } from './helpers';

test('an admin validates, compares and saves a new version of the pack', async ({ page }, info) => {
  const s = state();
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page, s.tenant, s.staff);
  await page.getByRole('link', { name: 'Policy pack' }).click();
  await expect(page.getByTestId('pack-version')).toContainText('In force: version 2026.1-approvals');
  const editor = page.getByLabel('The policy pack (YAML)');
  const yaml = await editor.inputValue();
  expect(yaml).toContain('calendar_default: paris_business');

  // A wrong value: the server's error, at its line.
  const broken = yaml.replace('    auto_approve: never\n', '    auto_approve: sometimes\n');
  const line = broken.slice(0, broken.indexOf('auto_approve: sometimes')).split('\n').length;
  await editor.fill(broken);
  await page.getByRole('button', { name: 'Validate' }).click();
  await expect(page.getByRole('alert')).toContainText(`Line ${line}:`);
  await expect(page.getByRole('alert')).toContainText('auto_approve');
  await expect(page.locator('.gutter .bad')).toHaveText(String(line));
  await expect(page.getByRole('button', { name: 'Save as a new version' })).toBeDisabled();
  await page.getByRole('button', { name: `Go to line ${line}` }).click();
  await expect(editor).toBeFocused();
  await expectAccessible(page);

  // A valid change: its diff, then saved and in force.
  const from = new Date(Date.now() - 1000).toISOString().replace(/\.\d+Z$/, 'Z');
  const next = yaml.replace(/^version: .*$/m, 'version: "2026.2"').replace(/^effective_from: .*$/m, `effective_from: "${from}"`);
  await editor.fill(next);
  await page.getByRole('button', { name: 'Validate' }).click();
  await expect(page.getByTestId('pack-status')).toHaveText('Valid: version 2026.2 can be saved.');
  const diff = page.getByTestId('pack-diff');
  await expect(diff).toContainText('− ');
  await expect(diff).toContainText('version: "2026.1-approvals"');
  await expect(diff).toContainText('version: "2026.2"');
  await expect(diff).not.toContainText('calendar_default');

  // What the edit would have changed over the last 30 days: replayed on the server, nothing
  // written (the version in force is still the old one).
  await page.getByRole('button', { name: 'What would change' }).click();
  const whatIf = page.getByTestId('pack-whatif');
  await expect(whatIf.getByRole('heading', { name: 'What this edit would have changed over the last 30 days' })).toBeVisible();
  await expect(whatIf).toContainText(/\d+ requests, \d+ replayed: \d+ decisions would come out differently\./);
  await expect(page.getByTestId('pack-version')).toContainText('In force: version 2026.1-approvals');
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Validate' }).click();
  await expect(page.getByTestId('pack-status')).toHaveText('Valid: version 2026.2 can be saved.');
  await expect(whatIf).toHaveCount(0);
  await screenshot(page, 'console-policy-pack', info.outputDir);
  await page.getByRole('button', { name: 'Save as a new version' }).click();
  await expect(page.getByTestId('pack-status')).toHaveText('Saved: version 2026.2 is in force.');
  await expect(page.getByTestId('pack-version')).toContainText('In force: version 2026.2');
  await expect(page.getByText('No change.')).toBeVisible();

  await page.getByRole('button', { name: /Language/ }).click();
  await expect(page.getByRole('heading', { name: 'Jeu de règles', level: 1 })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: /Langue/ }).click();
});
