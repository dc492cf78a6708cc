// Starts what the browser tests run against and seeds it through the real API:
//   - the SMTP test server (tests/support/smtp_sink.py), which keeps every mail in a folder;
//   - build/src/switchboard on a temporary SQLite file, serving build/web, whose first start
//     makes the demo tenant and prints its admin key (bulk jobs slowed down to be watched);
//   - the tenant's email channel pointed at the SMTP server;
//   - a staff admin invited (POST /v1/users) and activated (POST /v1/invitations/accept) with
//     the link its invitation mail carried,
//     its TOTP secret kept for the tests (codes come from Debian's python3-pyotp);
//   - suspended accounts owing money, each with a reconnection request waiting for payment,
//     in every priority; and a customer with an email on record for the portal;
//   - a supervisor, activated the same way, and then a new version of the policy pack in
//     which a reconnection waits for a supervisor's approval (maker-checker) once its checks
//     pass, so that filing one shows the approvals inbox at work.
// What the tests need is written to a JSON file named by SB_WEB_STATE; the returned
// function stops both processes.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { mailed } from './helpers';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });
}

function connects(port: number): Promise<true | undefined> {
  return new Promise((ok) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      ok(true);
    });
    socket.once('error', () => ok(undefined));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch {
      // not yet
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

export default async function setup(): Promise<() => Promise<void>> {
  const children: ChildProcess[] = [];
  const stop = async () => {
    for (const c of children.reverse()) c.kill('SIGTERM');
    await sleep(200);
  };
  try {
    return await start(children, stop);
  } catch (e) {
    await stop();
    throw e;
  }
}

async function start(children: ChildProcess[], stop: () => Promise<void>): Promise<() => Promise<void>> {
  const dir = mkdtempSync(join(tmpdir(), 'sb_web_e2e_'));
  const smtpPort = await freePort();
  const mailDir = join(dir, 'mail');
  mkdirSync(mailDir);
  children.push(
    spawn('/usr/bin/python3', [join(root, 'tests/support/smtp_sink.py'), '--port', String(smtpPort), '--dir', mailDir], {
      stdio: 'ignore',
    }),
  );

  await waitFor('the SMTP server', () => connects(smtpPort));

  const port = await freePort();
  const config = join(dir, 'switchboard.yaml');
  writeFileSync(
    config,
    `listen: 127.0.0.1:${port}\ndata_dir: ${dir}/data\nlog_level: info\n` +
      `webhooks:\n  allow_private_targets: true\nweb:\n  assets_dir: ${join(root, 'build/web')}\n` +
      // A bulk job files one row a quarter second, so its progress can be watched and paused.
      'bulk:\n  rows_per_transaction: 1\n  slice_ms: 1\n  yield_ms: 250\n',
  );
  const server = spawn(join(root, 'build/src/switchboard'), ['serve', '--config', config], {
    stdio: ['ignore', 'pipe', openSync(join(dir, 'server.log'), 'w')],
  });
  children.push(server);
  server.on('error', (e) => console.error(`switchboard: ${e.message}`));
  let out = '';
  server.stdout!.on('data', (d) => (out += d));
  const demo = await waitFor('the demo tenant', async () => {
    const line = out.split('\n').find((l) => l.includes('demo_tenant_created'));
    return line ? (JSON.parse(line) as { tenant_id: string; api_key: string }) : undefined;
  });
  const base = `http://127.0.0.1:${port}`;
  await waitFor('readiness', async () => ((await fetch(`${base}/readyz`)).ok ? true : undefined));

  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(base + path, {
      method,
      headers: { Authorization: `Bearer ${demo.api_key}`, 'Content-Type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json().catch(() => null);
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  }

  await call('PUT', '/v1/notification-channels/email', {
    smtp_url: `smtp://127.0.0.1:${smtpPort}`,
    require_tls: false,
    from_address: 'notify@client.example',
    from_name: 'Client Support',
  });

  const password = 'correct horse battery staple';
  // Invites a staff member and activates them as they would with the link their mail carries;
  // their TOTP secret.
  async function staff(email: string, name: string, role: string): Promise<string> {
    await call('POST', '/v1/users', { email, name, role });
    // The invitation's secret reaches only the invitee's mailbox, as the link's fragment.
    const token = await mailed(mailDir, email, /#invitation=([A-Za-z0-9_.-]+)/);
    const activated = await fetch(`${base}/v1/invitations/accept`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token, password }),
    }).then((r) => r.json());
    return activated.totp.secret;
  }
  const email = 'ada.admin@client.example';
  const adminTotp = await staff(email, 'Ada Admin', 'admin');
  const supervisorEmail = 'sam.supervisor@client.example';
  const supervisorTotp = await staff(supervisorEmail, 'Sam Supervisor', 'supervisor');

  const priorities = ['urgent', 'high', 'normal', 'low'];
  let firstAccount = '';
  for (let i = 0; i < 12; i++) {
    const { account: acc } = await call('POST', '/v1/accounts', {
      external_ref: `ACC-${2000 + i}`,
      name: `Customer ${i}`,
      plans: ['mobile_basic'],
      amount_due_minor: 1500 + i * 100,
    });
    firstAccount ||= acc.id;
    await call('POST', `/v1/accounts/${acc.id}/holds`, { hold_type: 'non_payment' }, { 'X-Reason': 'non_payment' });
    await call(
      'POST',
      '/v1/requests',
      { type: 'reconnection', account_id: acc.id, service_id: acc.services[0].id, priority: priorities[i % 4] },
      { 'X-Reason': 'payment_received' },
    );
  }

  const customer = { ref: 'ACC-3001', email: 'jane.customer@example.com' };
  await call('POST', '/v1/accounts', { external_ref: customer.ref, name: 'Jane Customer', email: customer.email, plans: ['mobile_basic'] });

  // An agent invited and left to accept the mailed link in the browser (invitation.spec.ts).
  const invited = 'ivan.invited@client.example';
  await call('POST', '/v1/users', { email: invited, name: 'Ivan Invited', role: 'agent' });

  await installApprovalPack(base, demo.api_key);

  const state = {
    base,
    invited,
    tenant: demo.tenant_id,
    api_key: demo.api_key,
    staff: { email, password, totp_secret: adminTotp },
    supervisor: { email: supervisorEmail, password, totp_secret: supervisorTotp },
    first_account: firstAccount,
    customer,
    mail_dir: mailDir,
  };
  const stateFile = join(dir, 'state.json');
  writeFileSync(stateFile, JSON.stringify(state, null, 2));
  process.env.SB_WEB_STATE = stateFile;
  process.env.SB_WEB_BASE_URL = base;

  return stop;
}

// A new version of the pack in force in which a reconnection whose checks pass waits for a
// supervisor's approval, never by the person who filed it; in force from now on. Its
// completion emails link to the portal's rating page (portal_url), and it has no quiet hours
// (`quiet_hours: none`: without the line the pack would keep the default 21:00-08:00),
// so that what a test waits for in the mailbox never waits for the morning.
async function installApprovalPack(base: string, key: string): Promise<void> {
  const auth = { Authorization: `Bearer ${key}` };
  const pack = await fetch(`${base}/v1/policy-pack`, { headers: auth }).then((r) => r.json());
  const from = '      - kind: no_fraud_hold\n    auto_approve: when_checks_pass\n';
  if (!pack.yaml.includes(from)) throw new Error('the default pack changed: update installApprovalPack');
  const quiet = '  quiet_hours: "21:00-08:00"\n';
  if (!pack.yaml.includes(quiet)) throw new Error('the default pack changed: update installApprovalPack');
  const yaml = pack.yaml
    .replace(/^version: .*$/m, 'version: "2026.1-approvals"')
    .replace(quiet, '  quiet_hours: none\n  portal_url: "https://portal.client.example/portal"\n')
    .replace(/^effective_from: .*$/m, `effective_from: "${new Date(Date.now() - 1000).toISOString().replace(/\.\d+Z$/, 'Z')}"`)
    .replace(
      from,
      '      - kind: no_fraud_hold\n      - kind: approval\n        role: supervisor\n        maker_checker: true\n' +
        '    auto_approve: never\n    approval_role: supervisor\n',
    );
  const res = await fetch(`${base}/v1/policy-pack`, { method: 'PUT', headers: { ...auth, 'Content-Type': 'application/yaml' }, body: yaml });
  const out = await res.json();
  if (!res.ok || !out.in_force) throw new Error(`installing the approvals pack: ${res.status} ${JSON.stringify(out)}`);
}
