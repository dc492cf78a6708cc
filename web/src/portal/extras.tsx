// What a signed-in customer does besides filing: answer an offer put to them on one of their
// requests (POST /v1/portal/requests/{id}/offer), download the copy of their data a completed
// data_access request made (GET /v1/portal/requests/{id}/data-export, a plain link: the
// session cookie goes with it), and say how they want to be told things.
// A change of preferences is a personal_info_update filed on the portal: it goes through the
// pack's checks like any change to the account, and waits when they are not met.
import { useState } from 'preact/hooks';
import { api, ApiError, type Account, type NotificationPreferences, type Request } from '../shared/api';
import { t } from '../shared/i18n';
import { Alert } from '../shared/ui';

function problem(e: unknown): string {
  return e instanceof ApiError ? t('portal.refused', { detail: e.detail }) : t('error.generic', { detail: (e as Error).message });
}

// The offers pending on `r`, each with its own accept button, and one to decline them all.
export function Offers({ r, onAnswered }: { r: Request; onAnswered: () => Promise<void> }) {
  const offers = r.result?.offers_pending ?? [];
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  if (r.state !== 'awaiting_customer' || offers.length === 0) return null;

  async function answer(body: { decision: string; offer_code?: string }) {
    setBusy(true);
    setError('');
    try {
      await api('POST', `/v1/portal/requests/${encodeURIComponent(r.id)}/offer`, body);
      await onAnswered();
    } catch (e) {
      setError(problem(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="offers" data-testid="portal-offers">
      <h4>{t('portal.offer.title')}</h4>
      <ul>
        {offers.map((o) => (
          <li>
            <p>{o.description}</p>
            <button type="button" disabled={busy} onClick={() => answer({ decision: 'accept', offer_code: o.code })}>
              {t('portal.offer.accept')}
            </button>
          </li>
        ))}
      </ul>
      <button type="button" class="secondary" disabled={busy} onClick={() => answer({ decision: 'decline' })}>
        {t('portal.offer.decline', { type: t(`type.${r.type}`) })}
      </button>
      {error && <Alert>{error}</Alert>}
    </div>
  );
}

// The download of a completed data_access request's export.
export function DataDownload({ r }: { r: Request }) {
  if (r.type !== 'data_access' || r.state !== 'completed') return null;
  return (
    <p>
      <a href={`/v1/portal/requests/${encodeURIComponent(r.id)}/data-export`} download={`my-data-${r.id}.json`}>
        {t('portal.data.download')}
      </a>
    </p>
  );
}

const CHANNELS = ['email', 'sms'];

export function Preferences({ acc, onSaved }: { acc: Account; onSaved: () => Promise<void> }) {
  const now: NotificationPreferences = acc.notification_preferences ?? { locale: '', time_zone: '', opt_out: [], marketing_consent: false, marketing_consent_at: null };
  const [locale, setLocale] = useState(now.locale);
  const [optOut, setOptOut] = useState<string[]>(now.opt_out);
  const [marketing, setMarketing] = useState(now.marketing_consent);
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  async function save(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError('');
    setStatus('');
    try {
      const prefs = { locale, opt_out: [...optOut].sort(), marketing_consent: marketing };
      const out = await api<Request>('POST', '/v1/portal/requests', { type: 'personal_info_update', payload: { notification_preferences: prefs } });
      setStatus(out.state === 'completed' ? t('portal.prefs.saved') : t('portal.prefs.waiting', { need: t(`portal.need.${out.state}`) }));
      await onSaved();
    } catch (err) {
      setError(problem(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="prefs-title">
      <h2 id="prefs-title">{t('portal.prefs.title')}</h2>
      <form onSubmit={save}>
        <div class="field">
          <label for="prefs-locale">{t('portal.prefs.locale')}</label>
          <select id="prefs-locale" value={locale} onChange={(e) => setLocale((e.currentTarget as HTMLSelectElement).value)}>
            <option value="">{t('portal.prefs.locale.default')}</option>
            <option value="en">English</option>
            <option value="fr">Français</option>
          </select>
        </div>
        <fieldset class="field">
          <legend>{t('portal.prefs.channels')}</legend>
          {CHANNELS.map((c) => (
            <label>
              <input
                type="checkbox"
                checked={!optOut.includes(c)}
                onChange={(e) => {
                  const on = (e.currentTarget as HTMLInputElement).checked;
                  setOptOut((old) => (on ? old.filter((x) => x !== c) : old.concat(c)));
                }}
              />{' '}
              {t(`portal.signin.${c}`)}
            </label>
          ))}
        </fieldset>
        <label class="field-inline">
          <input type="checkbox" checked={marketing} onChange={(e) => setMarketing((e.currentTarget as HTMLInputElement).checked)} /> {t('portal.prefs.marketing')}
        </label>
        {error && <Alert>{error}</Alert>}
        <p role="status" data-testid="prefs-status">
          {status}
        </p>
        <button type="submit" disabled={busy}>
          {t('portal.prefs.save')}
        </button>
      </form>
    </section>
  );
}
