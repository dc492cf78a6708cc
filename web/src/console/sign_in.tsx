// Staff sign-in: organisation, email, password and the authenticator's code.
import { useState } from 'preact/hooks';
import { api, ApiError, setCsrfToken } from '../shared/api';
import { t } from '../shared/i18n';
import { Alert, Field } from '../shared/ui';

const TENANT_KEY = 'sb.tenant';

export function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const fromUrl = new URLSearchParams(location.search).get('tenant');
  const [tenant, setTenant] = useState(fromUrl ?? localStorage.getItem(TENANT_KEY) ?? '');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const s = await api<{ csrf_token: string }>('POST', '/v1/sessions', {
        tenant_id: tenant.trim(),
        email: email.trim(),
        password,
        totp_code: code.trim(),
      });
      setCsrfToken(s.csrf_token);
      localStorage.setItem(TENANT_KEY, tenant.trim());
      if (!location.hash) location.hash = '#/queue';
      onSignedIn();
    } catch (err) {
      if (err instanceof ApiError && err.status === 429) setError(t('signin.locked'));
      else if (err instanceof ApiError && err.status === 401) setError(t('signin.failed'));
      else setError(t('error.generic', { detail: (err as Error).message }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="card" onSubmit={submit} aria-labelledby="signin-title">
      <h1 id="signin-title">{t('signin.title')}</h1>
      {error && <Alert>{error}</Alert>}
      <Field id="tenant" label={t('signin.tenant')} value={tenant} onInput={setTenant} autocomplete="organization" />
      <Field id="email" label={t('signin.email')} value={email} onInput={setEmail} type="email" autocomplete="username" />
      <Field id="password" label={t('signin.password')} value={password} onInput={setPassword} type="password" autocomplete="current-password" />
      <Field id="totp" label={t('signin.totp')} value={code} onInput={setCode} inputmode="numeric" autocomplete="one-time-code" />
      <button type="submit" disabled={busy}>
        {t('signin.submit')}
      </button>
    </form>
  );
}
