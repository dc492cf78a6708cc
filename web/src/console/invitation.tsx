// Accepting a staff invitation: the link in the invitation mail opens the console at
// #invitation=<secret> (a fragment, so the secret never reaches a server log). The user chooses
// a password, then enrols the authenticator app from the QR code (or the secret typed in) and
// signs in with its first code, which confirms the enrolment.
import { useState } from 'preact/hooks';
import { api, ApiError } from '../shared/api';
import { t } from '../shared/i18n';
import { Alert, Field } from '../shared/ui';

interface Activated {
  user: { email: string };
  totp: { secret: string; otpauth_uri: string; qr_svg: string };
}

export function invitationToken(hash: string): string | null {
  const m = /^#invitation=([A-Za-z0-9_.-]+)$/.exec(hash);
  return m ? m[1] : null;
}

export function AcceptInvitation({ token, onDone }: { token: string; onDone: () => void }) {
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [activated, setActivated] = useState<Activated | null>(null);

  async function submit(e: Event) {
    e.preventDefault();
    if (password !== again) {
      setError(t('invitation.mismatch'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      setActivated(await api<Activated>('POST', '/v1/invitations/accept', { token, password }));
      // The organisation is the part of the secret before its dot: the sign-in form starts
      // with it filled in.
      localStorage.setItem('sb.tenant', token.slice(0, token.indexOf('.')));
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) setError(t('invitation.unknown'));
      else if (err instanceof ApiError && err.status === 422) setError(t('invitation.weak'));
      else setError(t('error.generic', { detail: (err as Error).message }));
    } finally {
      setBusy(false);
    }
  }

  function finish() {
    history.replaceState(null, '', location.pathname + location.search);
    onDone();
  }

  if (activated) {
    return (
      <section class="card" aria-labelledby="enrol-title">
        <h1 id="enrol-title">{t('invitation.enrol.title')}</h1>
        <p>{t('invitation.enrol.scan')}</p>
        {/* The server's own SVG (libqrencode): shapes only, no script or style. */}
        <div class="qr" role="img" aria-label={t('invitation.enrol.qr')} dangerouslySetInnerHTML={{ __html: activated.totp.qr_svg }} />
        <p>
          {t('invitation.enrol.secret')} <code id="totp-secret">{activated.totp.secret}</code>
        </p>
        <p>{t('invitation.enrol.next', { email: activated.user.email })}</p>
        <button type="button" onClick={finish}>
          {t('invitation.enrol.continue')}
        </button>
      </section>
    );
  }

  return (
    <form class="card" onSubmit={submit} aria-labelledby="invitation-title">
      <h1 id="invitation-title">{t('invitation.title')}</h1>
      <p>{t('invitation.intro')}</p>
      {error && <Alert>{error}</Alert>}
      <Field id="new-password" label={t('invitation.password')} value={password} onInput={setPassword} type="password" autocomplete="new-password" />
      <Field id="new-password-again" label={t('invitation.again')} value={again} onInput={setAgain} type="password" autocomplete="new-password" />
      <button type="submit" disabled={busy}>
        {t('invitation.submit')}
      </button>
    </form>
  );
}
