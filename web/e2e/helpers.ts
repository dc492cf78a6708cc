// What the browser tests share: the seeded state (e2e/setup.ts), TOTP codes from Debian's
// python3-pyotp, one-time codes read from the SMTP server's mails, the accessibility check
// and the screenshots kept in docs/screenshots.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

export interface State {
  base: string;
  invited: string;
  tenant: string;
  api_key: string;
  staff: Staff;
  supervisor: Staff;
  first_account: string;
  customer: { ref: string; email: string };
  mail_dir: string;
}

export interface Staff {
  email: string;
  password: string;
  totp_secret: string;
}

export function state(): State {
  return JSON.parse(readFileSync(process.env.SB_WEB_STATE!, 'utf8'));
}

// The TOTP code of `secret` now, as an authenticator app would show it.
export function totp(secret: string): string {
  if (!/^[A-Z2-7]+=*$/.test(secret)) throw new Error('not a base32 secret');
  return execFileSync('/usr/bin/python3', ['-c', `import pyotp; print(pyotp.TOTP("${secret}").now())`], { encoding: 'utf8' }).trim();
}

// The first group of `pattern` in the newest mail to `to` whose text matches it, waiting up to
// 15 s for one.
export async function mailed(mailDir: string, to: string, pattern: RegExp): Promise<string> {
  const end = Date.now() + 15_000;
  for (;;) {
    const mails = readdirSync(mailDir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .reverse()
      .map((f) => JSON.parse(readFileSync(join(mailDir, f), 'utf8')));
    for (const m of mails) {
      const match = pattern.exec(m.text);
      if (match && m.rcpt_tos.includes(to)) return match[1];
    }
    if (Date.now() > end) throw new Error(`nothing matching ${pattern} mailed to ${to}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

// The newest 6-digit code mailed to `to`.
export function mailedCode(mailDir: string, to: string): Promise<string> {
  return mailed(mailDir, to, / is ([0-9]{6})\./);
}

// Fails on any serious or critical WCAG 2.x A/AA violation axe finds on the page as it is.
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

const screenshots = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'screenshots');

// With SB_WEB_SCREENSHOTS=1 the page is saved as docs/screenshots/<name>.png (how the
// README's pictures are made); otherwise in the test's output folder.
export async function screenshot(page: Page, name: string, outputDir: string): Promise<void> {
  const dir = process.env.SB_WEB_SCREENSHOTS === '1' ? screenshots : outputDir;
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

// Signs `who` in to the console at / with their password and a TOTP code; waits for the work
// queue. A code is good once: when the current one was already used (an earlier sign-in in
// the same 30 s), it waits for the next.
export async function signIn(page: Page, tenant: string, who: Staff): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Organisation ID').fill(tenant);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  const first = totp(who.totp_secret);
  await page.getByLabel('Authenticator code').fill(first);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const queue = page.getByRole('heading', { name: 'Work queue' });
  await expect(queue.or(page.getByRole('alert'))).toBeVisible();
  if (await queue.isVisible()) return;
  await expect.poll(() => totp(who.totp_secret), { timeout: 31_000, intervals: [500] }).not.toBe(first);
  await page.getByLabel('Authenticator code').fill(totp(who.totp_secret));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(queue).toBeVisible();
}

// Calls the API with the demo tenant's admin key, as a client system would; the JSON answer.
export async function apiCall(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<any> {
  const s = state();
  const res = await fetch(s.base + path, {
    method,
    headers: { Authorization: `Bearer ${s.api_key}`, 'Content-Type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json().catch(() => null);
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}
