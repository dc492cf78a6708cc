// The chat and IVR assistant's hand-overs (docs/ASSISTANT.md): the conversations waiting for a
// person (#/conversations, GET /v1/conversations?state=handed_over), each opened as its
// transcript (#/conversations/<id>, GET /v1/conversations/{id}); and the links to a
// transcript in what a hand-over wrote on its request.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, query } from '../shared/api';
import { formatDateTime, humanize, t } from '../shared/i18n';
import { usePagedList } from '../shared/paged';
import { Alert } from '../shared/ui';

interface ConversationSummary {
  id: string;
  channel: string;
  locale: string;
  state: string;
  account_id: string | null;
  request_id: string | null;
  handover_reason: string | null;
  turn_count: number;
  created_at: string;
  updated_at: string;
}

interface Turn {
  seq: number;
  who: 'customer' | 'assistant';
  text: string | null;
  intent: string | null;
  sentiment: number | null;
  at: string;
}

interface Conversation extends ConversationSummary {
  turns: Turn[];
}

// A comment's text with each conversation id in it ("conv_...") a link to its transcript.
export function LinkedText({ text }: { text: string }) {
  const parts = text.split(/(conv_[A-Za-z0-9]+)/);
  return (
    <>
      {parts.map((p, i) => (i % 2 === 1 ? <a href={`#/conversations/${encodeURIComponent(p)}`}>{p}</a> : p))}
    </>
  );
}

// The customer's mood in a turn, in words: the score runs from -1 (angry) to 1 (pleased).
function mood(sentiment: number | null): string {
  if (sentiment === null) return '';
  if (sentiment <= -0.25) return t('mood.negative');
  if (sentiment >= 0.25) return t('mood.positive');
  return t('mood.neutral');
}

export function HandOvers() {
  const { items, more, loaded, error } = usePagedList<ConversationSummary>(
    (after) => '/v1/conversations' + query({ state: 'handed_over', limit: 50, starting_after: after }),
  );
  return (
    <article aria-labelledby="handovers-title">
      <h1 id="handovers-title">{t('handovers.title')}</h1>
      <p class="note">{t('handovers.note')}</p>
      {error && <Alert>{error}</Alert>}
      {loaded && !error && items.length === 0 && <p role="status">{t('handovers.none')}</p>}
      {items.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('handovers.when')}</th>
              <th scope="col">{t('handovers.channel')}</th>
              <th scope="col">{t('handovers.reason')}</th>
              <th scope="col">{t('handovers.account')}</th>
              <th scope="col">{t('handovers.transcript')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <tr>
                <td>
                  <time dateTime={c.updated_at}>{formatDateTime(c.updated_at)}</time>
                </td>
                <td>{humanize(c.channel)}</td>
                <td>{c.handover_reason ? humanize(c.handover_reason) : ''}</td>
                <td>{c.account_id ? <a href={`#/accounts/${encodeURIComponent(c.account_id)}`}>{c.account_id}</a> : t('handovers.unidentified')}</td>
                <td>
                  <a href={`#/conversations/${encodeURIComponent(c.id)}`}>{t('handovers.turns', { n: String(c.turn_count) })}</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {more && (
        <button type="button" class="secondary" onClick={more}>
          {t('outreach.more')}
        </button>
      )}
    </article>
  );
}

export function ConversationPage({ id }: { id: string }) {
  const [c, setC] = useState<Conversation | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<Conversation>('GET', `/v1/conversations/${encodeURIComponent(id)}`)
      .then(setC)
      .catch((e) => setError(e instanceof ApiError ? e.detail : (e as Error).message));
  }, [id]);
  if (error) return <Alert>{error}</Alert>;
  if (!c) return <p role="status">{t('queue.loading')}</p>;
  return (
    <article aria-labelledby="conversation-title">
      <h1 id="conversation-title">{t('conversation.title', { id: c.id })}</h1>
      <dl class="facts">
        <dt>{t('handovers.channel')}</dt>
        <dd>
          {humanize(c.channel)} ({c.locale})
        </dd>
        <dt>{t('account.status')}</dt>
        <dd>{humanize(c.state)}</dd>
        {c.handover_reason && (
          <>
            <dt>{t('handovers.reason')}</dt>
            <dd>{humanize(c.handover_reason)}</dd>
          </>
        )}
        <dt>{t('handovers.account')}</dt>
        <dd>{c.account_id ? <a href={`#/accounts/${encodeURIComponent(c.account_id)}`}>{c.account_id}</a> : t('handovers.unidentified')}</dd>
        {c.request_id && (
          <>
            <dt>{t('conversation.request')}</dt>
            <dd>{c.request_id}</dd>
          </>
        )}
      </dl>
      <h2>{t('handovers.transcript')}</h2>
      <ol class="plain transcript" aria-label={t('handovers.transcript')}>
        {c.turns.map((turn) => (
          <li class={turn.who}>
            <time dateTime={turn.at}>{formatDateTime(turn.at)}</time> · <strong>{t(`conversation.${turn.who}`)}</strong>:{' '}
            {turn.text ?? <em>{t('conversation.masked')}</em>}
            {turn.who === 'customer' && turn.sentiment !== null && <span class="note"> ({mood(turn.sentiment)})</span>}
          </li>
        ))}
      </ol>
    </article>
  );
}
