// The reconnection score of a suspended or dormant account (docs/SCORING.md): the probability
// that it comes back within 30 days under the tenant's latest model, and the features that
// moved it most, each with its value and whether it raises or lowers the chance; and the
// outreach page (#/outreach), those accounts by score (GET /v1/outreach).
import { query } from '../shared/api';
import { formatDateTime, humanize, t } from '../shared/i18n';
import { usePagedList } from '../shared/paged';
import { Alert } from '../shared/ui';

export interface ScoreDriver {
  feature: string;
  value: number;
  contribution: number;
}
export interface AccountScore {
  account_id: string;
  external_ref: string;
  status: string;
  probability: number;
  outcome_days: number;
  model_version: number;
  drivers: ScoreDriver[];
  scored_at: string;
}

function driverValue(d: ScoreDriver): string {
  if (d.feature.startsWith('channel_') || d.feature === 'dormant') return d.value ? t('score.yes') : t('score.no');
  return String(Math.round(d.value * 100) / 100);
}

function featureLabel(feature: string): string {
  if (feature.startsWith('channel_')) return t('score.f.channel', { c: humanize(feature.slice('channel_'.length)) });
  return t(`score.f.${feature}`);
}

// Nothing when the account has no score (not suspended or dormant, or no model yet).
export function ScorePanel({ account }: { account: object }) {
  const s = (account as { score?: AccountScore }).score;
  if (!s) return null;
  const percent = Math.round(s.probability * 100);
  return (
    <section aria-labelledby="score-title" data-testid="account-score">
      <h2 id="score-title">{t('score.title')}</h2>
      <p>
        <strong>{t('score.probability', { p: percent, days: s.outcome_days })}</strong>{' '}
        <span class="note">{t('score.model', { v: s.model_version })}</span>
      </p>
      <table>
        <caption>{t('score.drivers')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('score.feature')}</th>
            <th scope="col">{t('score.value')}</th>
            <th scope="col">{t('score.effect')}</th>
          </tr>
        </thead>
        <tbody>
          {s.drivers.map((d) => (
            <tr>
              <td>{featureLabel(d.feature)}</td>
              <td>{driverValue(d)}</td>
              <td>{t(d.contribution >= 0 ? 'score.raises' : 'score.lowers', { c: (Math.round(d.contribution * 100) / 100).toString() })}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

// The outreach list: suspended and dormant accounts, the likeliest to come back first.
export function OutreachPage() {
  const { items, more, error } = usePagedList<AccountScore>(
    (after) => '/v1/outreach' + query({ sort: 'score', limit: 50, starting_after: after }),
  );
  return (
    <article aria-labelledby="outreach-title">
      <h1 id="outreach-title">{t('outreach.title')}</h1>
      {error && <Alert>{error}</Alert>}
      {items.length > 0 && (
        <p>
          {t('outreach.as_of')} <time dateTime={items[0].scored_at}>{formatDateTime(items[0].scored_at)}</time>
        </p>
      )}
      <table>
        <thead>
          <tr>
            <th scope="col">{t('outreach.account')}</th>
            <th scope="col">{t('account.status')}</th>
            <th scope="col">{t('outreach.score')}</th>
            <th scope="col">{t('outreach.driver')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((s) => (
            <tr>
              <td>
                <a href={`#/accounts/${encodeURIComponent(s.account_id)}`}>{s.external_ref}</a>
              </td>
              <td>{humanize(s.status)}</td>
              <td>{Math.round(s.probability * 100)}%</td>
              <td>{s.drivers[0] ? featureLabel(s.drivers[0].feature) : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {more && (
        <button type="button" class="secondary" onClick={more}>
          {t('outreach.more')}
        </button>
      )}
    </article>
  );
}
