// The customer's rating of a completed request, reached from the link in the completion
// email: <portal>#csat=<token>. No sign-in: the single-use token is the proof (POST /v1/csat;
// the fragment never reaches a server's logs). A score from 1 to 5 and an optional comment;
// once answered, or when the link is spent or expired, the page says so in plain words and
// the token leaves the address bar.
import { useState } from 'preact/hooks';
import { api, ApiError } from '../shared/api';
import { t } from '../shared/i18n';
import { Alert } from '../shared/ui';

const SCORES = [1, 2, 3, 4, 5];
const MAX_COMMENT = 2000;

// The token of a `#csat=<token>` address, or null.
export function csatToken(hash: string): string | null {
  const m = /^#csat=([A-Za-z0-9_.-]{1,256})$/.exec(hash);
  return m ? m[1] : null;
}

function forgetToken(): void {
  history.replaceState(null, '', location.pathname + location.search);
}

export function Csat({ token }: { token: string }) {
  const [score, setScore] = useState(0);
  const [comment, setComment] = useState('');
  const [done, setDone] = useState<'' | 'thanks' | 'already' | 'expired' | 'unknown'>('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  async function send(e: Event) {
    e.preventDefault();
    if (score === 0) {
      setError(t('csat.pick'));
      return;
    }
    setBusy(true);
    setError('');
    try {
      await api('POST', '/v1/csat', comment.trim() ? { token, score, comment: comment.trim() } : { token, score });
      setDone('thanks');
      forgetToken();
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) setDone('already');
      else if (err instanceof ApiError && err.status === 422) setDone('expired');
      else if (err instanceof ApiError && err.status === 401) setDone('unknown');
      else setError(t('error.generic', { detail: (err as Error).message }));
      if (err instanceof ApiError && [401, 409, 422].includes(err.status)) forgetToken();
    } finally {
      setBusy(false);
    }
  }

  if (done) {
    return (
      <div class="card">
        <h1>{t('csat.title')}</h1>
        <p role="status" data-testid="csat-done">
          {t(`csat.${done}`)}
        </p>
      </div>
    );
  }
  return (
    <div class="card">
      <h1>{t('csat.title')}</h1>
      <form onSubmit={send}>
        <fieldset class="field csat-scores" aria-describedby="csat-scale">
          <legend>{t('csat.question')}</legend>
          <p id="csat-scale" class="note">
            {t('csat.scale')}
          </p>
          {SCORES.map((n) => (
            <label>
              <input type="radio" name="score" value={n} checked={score === n} onChange={() => setScore(n)} /> {t(`csat.score.${n}`)}
            </label>
          ))}
        </fieldset>
        <div class="field">
          <label for="csat-comment">{t('csat.comment')}</label>
          <textarea id="csat-comment" rows={4} maxLength={MAX_COMMENT} value={comment} onInput={(e) => setComment((e.currentTarget as HTMLTextAreaElement).value)} />
        </div>
        {error && <Alert>{error}</Alert>}
        <button type="submit" disabled={busy}>
          {t('csat.send')}
        </button>
      </form>
    </div>
  );
}
