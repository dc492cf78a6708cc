// The customer verification step of a filing: a one-time code sent to the contact on record
// (POST /v1/accounts/{id}/verification-codes), then read back by the customer and entered
// here (.../verification-codes/check). A passed check is a verification that identity
// checks of later filings count.
import { useState } from 'preact/hooks';
import { api, ApiError, type Account } from '../shared/api';
import { formatDateTime, t } from '../shared/i18n';
import { Alert } from '../shared/ui';

interface Sent {
  channel: string;
  destination: string;
  expires_at: string;
}

export function VerifyCustomer({ account }: { account: Account }) {
  const [channel, setChannel] = useState('email');
  const [sent, setSent] = useState<Sent | null>(null);
  const [code, setCode] = useState('');
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const base = `/v1/accounts/${encodeURIComponent(account.id)}/verification-codes`;

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError('');
    try {
      await action();
    } catch (e) {
      setError(e instanceof ApiError ? t('file.refused', { detail: e.detail }) : t('error.generic', { detail: (e as Error).message }));
    } finally {
      setBusy(false);
    }
  }

  const send = () =>
    run(async () => {
      const s = await api<Sent>('POST', base, { channel });
      setSent(s);
      setStatus(t('verifycode.sent', { to: s.destination, t: formatDateTime(s.expires_at) }));
    });
  const check = () =>
    run(async () => {
      const v = await api<{ level: number; verified_at: string }>('POST', `${base}/check`, { channel: sent!.channel, code });
      setStatus(t('verifycode.ok', { level: v.level, t: formatDateTime(v.verified_at) }));
      setSent(null);
      setCode('');
    });

  return (
    <section aria-labelledby="verifycode-title" class="verify-customer">
      <h3 id="verifycode-title">{t('verifycode.title')}</h3>
      <p class="note">{t('verifycode.intro')}</p>
      <div class="actions">
        <div class="field">
          <label for="verifycode-channel">{t('verifycode.channel')}</label>
          <select id="verifycode-channel" value={channel} onChange={(e) => setChannel((e.currentTarget as HTMLSelectElement).value)}>
            <option value="email">{t('verifycode.email')}</option>
            <option value="sms">{t('verifycode.sms')}</option>
          </select>
        </div>
        <button type="button" class="secondary" disabled={busy} onClick={send}>
          {t('verifycode.send')}
        </button>
      </div>
      {sent && (
        <form
          class="actions"
          onSubmit={(e) => {
            e.preventDefault();
            check();
          }}
        >
          <div class="field">
            <label for="verifycode-code">{t('verifycode.code')}</label>
            <input id="verifycode-code" inputMode="numeric" autocomplete="off" value={code} onInput={(e) => setCode((e.currentTarget as HTMLInputElement).value)} />
          </div>
          <button type="submit" disabled={busy || !code}>
            {t('verifycode.check')}
          </button>
        </form>
      )}
      {error && <Alert>{error}</Alert>}
      <p role="status" data-testid="verifycode-status">
        {status}
      </p>
    </section>
  );
}
