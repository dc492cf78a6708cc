// Browser tests of the console and the portal against a real `switchboard` (e2e/setup.ts
// starts it on a temporary SQLite file with a seeded demo tenant and a real SMTP server).
// Chromium is Debian's (/usr/bin/chromium): no browser is ever downloaded.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: './e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  globalSetup: './e2e/setup.ts',
  use: {
    baseURL: process.env.SB_WEB_BASE_URL,
    locale: 'en-GB',
    trace: 'off',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
});
