// The customer portal, mobile first: sign in with a one-time code, see the account's status
// and each request's progress with what is needed in plain words, and file a self-service
// request (a copy of their data among them, downloaded here once ready), answer an offer,
// and manage notification preferences (extras.tsx). A completion email's rating link opens
// the rating page (csat.tsx) instead, signed in or not, and a receipt's link the receipt
// with its proof checked in the browser (receipt.tsx).
import '../shared/styles.css';
import { render } from 'preact';
import { signal } from '@preact/signals';
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, setCsrfToken, type Account, type Page, type Request } from '../shared/api';
import { formatDateTime, humanize, t } from '../shared/i18n';
import { Alert, Field, Header } from '../shared/ui';
import { DataDownload, Offers, Preferences } from './extras';
import { Csat, csatToken } from './csat';
import { Receipt, receiptToken } from './receipt';

const account = signal<Account | null | undefined>(undefined);
const TENANT_KEY = 'sb.portal.tenant';

async function loadAccount(): Promise<void> {
  try {
    account.value = await api<Account>('GET', '/v1/portal/account');
  } catch (e) {
    account.value = null;
    if (!(e instanceof ApiError) || e.status !== 401) throw e;
  }
}

function SignIn() {
  const fromUrl = new URLSearchParams(location.search).get('tenant');
  const [tenant, setTenant] = useState(fromUrl ?? localStorage.getItem(TENANT_KEY) ?? '');
  const [ref, setRef] = useState('');
  const [channel, setChannel] = useState<'email' | 'sms'>('email');
  const [sent, setSent] = useState(false);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const who = () => ({ tenant_id: tenant.trim(), account_ref: ref.trim(), channel });

  async function send(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api('POST', '/v1/portal/sign-in-codes', who());
      localStorage.setItem(TENANT_KEY, tenant.trim());
      setSent(true);
    } catch (err) {
      setError(t('error.generic', { detail: (err as Error).message }));
    } finally {
      setBusy(false);
    }
  }

  async function signIn(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const s = await api<{ csrf_token: string }>('POST', '/v1/portal/sessions', { ...who(), code: code.trim() });
      setCsrfToken(s.csrf_token);
      await loadAccount();
    } catch (err) {
      if (err instanceof ApiError && (err.status === 401 || err.status === 429)) setError(t('portal.signin.failed'));
      else setError(t('error.generic', { detail: (err as Error).message }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="card">
      <h1>{t('portal.signin.title')}</h1>
      {error && <Alert>{error}</Alert>}
      {!sent ? (
        <form onSubmit={send}>
          <Field id="tenant" label={t('portal.signin.tenant')} value={tenant} onInput={setTenant} />
          <Field id="account-ref" label={t('portal.signin.ref')} value={ref} onInput={setRef} />
          <fieldset class="field">
            <legend>{t('portal.signin.channel')}</legend>
            {(['email', 'sms'] as const).map((c) => (
              <label>
                <input type="radio" name="channel" value={c} checked={channel === c} onChange={() => setChannel(c)} /> {t(`portal.signin.${c}`)}
              </label>
            ))}
          </fieldset>
          <button type="submit" disabled={busy}>
            {t('portal.signin.send')}
          </button>
        </form>
      ) : (
        <form onSubmit={signIn}>
          <p role="status">{t('portal.signin.sent')}</p>
          <Field id="code" label={t('portal.signin.code')} value={code} onInput={setCode} inputmode="numeric" autocomplete="one-time-code" />
          <button type="submit" disabled={busy}>
            {t('portal.signin.submit')}
          </button>
        </form>
      )}
    </div>
  );
}

const STEPS = ['received', 'verifying', 'waiting', 'approved', 'provisioning', 'completed'];

function stepOf(state: string): number {
  if (state.startsWith('awaiting_')) return 2;
  const i = STEPS.indexOf(state);
  return i < 0 ? -1 : i;
}

function Progress({ r, onChanged }: { r: Request; onChanged: () => Promise<void> }) {
  const at = stepOf(r.state);
  const headingId = `req-${r.id}`;
  return (
    <li class="request-card" aria-labelledby={headingId} data-testid="portal-request">
      <h3 id={headingId}>{t(`type.${r.type}`) === `type.${r.type}` ? humanize(r.type) : t(`type.${r.type}`)}</h3>
      <p class="note">{t('portal.filed', { t: formatDateTime(r.created_at) })}</p>
      {at >= 0 && (
        <ol class="steps">
          {STEPS.map((s, i) => (
            <li class={i < at || r.state === 'completed' ? 'done' : i === at ? 'current' : ''} aria-current={i === at ? 'step' : undefined}>
              {t(`portal.step.${s}`)}
            </li>
          ))}
        </ol>
      )}
      <p data-testid="portal-need">{r.result?.offers_pending?.length && r.state === 'awaiting_customer' ? t('portal.need.offer') : t(`portal.need.${r.state}`)}</p>
      <Offers r={r} onAnswered={onChanged} />
      <DataDownload r={r} />
      {r.origin === 'voluntary' && <ReceiptLink r={r} />}
    </li>
  );
}

// Opens the request's receipt (#receipt=<token>, the page the acknowledgement email links to).
function ReceiptLink({ r }: { r: Request }) {
  const [error, setError] = useState('');
  async function open() {
    try {
      const receipt = await api<{ token: string }>('GET', `/v1/portal/requests/${encodeURIComponent(r.id)}/receipt`);
      location.hash = `receipt=${receipt.token}`;
    } catch (e) {
      setError(t('error.generic', { detail: (e as Error).message }));
    }
  }
  return (
    <>
      <button type="button" class="secondary" onClick={open} aria-label={t('receipt.open_label')}>
        {t('receipt.open')}
      </button>
      {error && <Alert>{error}</Alert>}
    </>
  );
}

// What the customer may ask for: the types the pack lets them file (`offered`, from
// GET /v1/portal/request-types) that make sense for the account as it is.
function NewRequest({ acc, offered, onFiled }: { acc: Account; offered: string[]; onFiled: () => Promise<void> }) {
  const suspended = acc.services.filter((s) => s.status === 'suspended');
  const active = acc.services.filter((s) => s.status === 'active');
  const sensible: { type: string; services: typeof acc.services }[] = [];
  if (suspended.length) sensible.push({ type: 'reconnection', services: suspended });
  if (acc.lifecycle === 'dormant' || acc.lifecycle === 'closed') sensible.push({ type: 'reactivation', services: [] });
  if (active.length) sensible.push({ type: 'suspension', services: active }, { type: 'termination', services: active });
  sensible.push({ type: 'data_access', services: [] });
  const choices = sensible.filter((c) => offered.includes(c.type));
  const [type, setType] = useState(choices[0]?.type ?? '');
  const chosen = choices.find((c) => c.type === type) ?? choices[0];
  const [service, setService] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (choices.length === 0) return null;
  const serviceId = chosen?.services.length ? service || chosen.services[0].id : undefined;

  async function submit(e: Event) {
    e.preventDefault();
    setError(null);
    try {
      const body: Record<string, unknown> = { type: chosen.type };
      if (serviceId) body.service_id = serviceId;
      if (chosen.type === 'suspension') body.payload = { hold_type: 'voluntary_pause' };
      await api('POST', '/v1/portal/requests', body);
      await onFiled();
    } catch (err) {
      setError(t('error.generic', { detail: (err as Error).message }));
    }
  }

  return (
    <section aria-labelledby="new-title">
      <h2 id="new-title">{t('portal.new')}</h2>
      <form onSubmit={submit}>
        {error && <Alert>{error}</Alert>}
        <div class="field">
          <label for="new-type">{t('portal.new.type')}</label>
          <select id="new-type" value={chosen.type} onChange={(e) => setType((e.currentTarget as HTMLSelectElement).value)}>
            {choices.map((c) => (
              <option value={c.type}>{t(`type.${c.type}`)}</option>
            ))}
          </select>
        </div>
        {chosen.services.length > 0 && (
          <div class="field">
            <label for="new-service">{t('portal.new.service')}</label>
            <select id="new-service" value={serviceId} onChange={(e) => setService((e.currentTarget as HTMLSelectElement).value)}>
              {chosen.services.map((s) => (
                <option value={s.id}>
                  {s.plan} ({humanize(s.status)})
                </option>
              ))}
            </select>
          </div>
        )}
        <button type="submit">{t('portal.new.submit')}</button>
      </form>
    </section>
  );
}

function Home({ acc }: { acc: Account }) {
  const [requests, setRequests] = useState<Request[] | null>(null);
  const [offered, setOffered] = useState<string[] | null>(null);
  const [filed, setFiled] = useState(false);
  const load = async () => {
    const page = await api<Page<Request>>('GET', '/v1/portal/requests?limit=20');
    setRequests(page.data);
    await loadAccount();
  };
  useEffect(() => {
    load();
    api<Page<{ type: string }>>('GET', '/v1/portal/request-types').then((p) => setOffered(p.data.map((x) => x.type)));
  }, []);
  return (
    <>
      <h1>{t('portal.title')}</h1>
      <dl class="facts">
        <dt>{t('portal.status')}</dt>
        <dd data-testid="portal-status">{humanize(acc.status)}</dd>
      </dl>
      <h2>{t('portal.services')}</h2>
      <ul class="plain">
        {acc.services.map((s) => (
          <li>
            {s.plan}: {humanize(s.status)}
          </li>
        ))}
      </ul>
      <p role="status">{filed ? t('portal.new.sent') : ''}</p>
      {offered && (
        <NewRequest
          key={offered.join()}
          acc={acc}
          offered={offered}
          onFiled={async () => {
            setFiled(true);
            await load();
          }}
        />
      )}
      <h2>{t('portal.requests')}</h2>
      {requests && requests.length === 0 && <p>{t('portal.norequests')}</p>}
      <ul class="plain">{requests?.map((r) => <Progress r={r} onChanged={load} />)}</ul>
      <Preferences acc={acc} onSaved={load} />
    </>
  );
}

async function signOut(): Promise<void> {
  try {
    await api('DELETE', '/v1/portal/sessions/current');
  } finally {
    setCsrfToken(null);
    account.value = null;
  }
}

function Portal() {
  const [hash, setHash] = useState(location.hash);
  const rating = csatToken(hash);
  const receipt = receiptToken(hash);
  useEffect(() => {
    loadAccount();
    const follow = () => setHash(location.hash);
    addEventListener('hashchange', follow);
    return () => removeEventListener('hashchange', follow);
  }, []);
  useEffect(() => {
    document.title = rating ? t('csat.title') : receipt ? t('receipt.title') : t('portal.title');
  });
  if (rating || receipt) {
    return (
      <div class="portal">
        <Header title={t('app.name')} />
        <main id="main">{rating ? <Csat token={rating} /> : <Receipt token={receipt!} />}</main>
      </div>
    );
  }
  if (account.value === undefined) return null;
  return (
    <div class="portal">
      <Header title={t('app.name')}>
        {account.value && (
          <button type="button" class="secondary" onClick={signOut}>
            {t('signout')}
          </button>
        )}
      </Header>
      <main id="main">{account.value ? <Home acc={account.value} /> : <SignIn />}</main>
    </div>
  );
}

render(<Portal />, document.getElementById('app')!);
