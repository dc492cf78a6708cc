// The account page: status, services, holds, open requests and the timeline of requests,
// audit entries and notifications; each audit entry's proof can be verified in the browser.
// Any request type can be filed from here (file_request.tsx).
import { useEffect, useState } from 'preact/hooks';
import {
  api,
  ApiError,
  query,
  type Account,
  type AuditEntry,
  type Checkpoint,
  type InclusionProof,
  type Page,
  type Request,
  type TimelineItem,
  type WhoAmI,
} from '../shared/api';
import { formatDateTime, humanize, t } from '../shared/i18n';
import { usePagedList } from '../shared/paged';
import { Alert } from '../shared/ui';
import { verifyEntry } from '../shared/verify';
import { TERMINAL } from './sla';
import { FileRequest } from './file_request';
import { ScorePanel } from './score';
import { EntryMood } from './sentiment';

type VerifyState = { kind: 'running' } | { kind: 'ok'; text: string } | { kind: 'bad'; text: string };

function VerifyButton({ entry, me }: { entry: AuditEntry; me: WhoAmI }) {
  const [state, setState] = useState<VerifyState | null>(null);
  async function run() {
    setState({ kind: 'running' });
    try {
      const cp = await api<Checkpoint>('GET', '/v1/audit/checkpoint');
      if (entry.leaf_index === null || entry.leaf_index >= cp.tree_size) {
        setState({ kind: 'bad', text: t('verify.pending') });
        return;
      }
      const proof = await api<InclusionProof>('GET', `/v1/audit/entries/${encodeURIComponent(entry.id)}/proof${query({ tree_size: cp.tree_size })}`);
      const out = await verifyEntry(me.tenant_id, entry, proof, cp);
      if (out.ok) setState({ kind: 'ok', text: t('verify.ok', { size: out.treeSize, key: out.keyId }) });
      else setState({ kind: 'bad', text: t(`verify.${out.failed}`) });
    } catch (e) {
      if (e instanceof ApiError && e.status === 403) setState({ kind: 'bad', text: t('verify.forbidden') });
      else setState({ kind: 'bad', text: t('error.generic', { detail: (e as Error).message }) });
    }
  }
  return (
    <>
      <button type="button" class="secondary" onClick={run} aria-label={t('verify.label', { id: entry.id })} disabled={state?.kind === 'running'}>
        {t('verify.button')}
      </button>
      <p class={`verify-result ${state?.kind ?? ''}`} role="status" data-testid={`verify-${entry.id}`}>
        {state?.kind === 'running' ? t('verify.running') : state ? state.text : ''}
      </p>
    </>
  );
}

// The customer's receipt of a request they asked for (GET /v1/requests/{id}/receipt): the
// link to read out or send, where they can check the filing against the signed audit log.
function ReceiptLink({ requestId }: { requestId: string }) {
  const [link, setLink] = useState<string | null>(null);
  const [error, setError] = useState('');
  async function run() {
    setError('');
    try {
      const r = await api<{ token: string; url: string | null }>('GET', `/v1/requests/${encodeURIComponent(requestId)}/receipt`);
      setLink(r.url ?? r.token);
    } catch (e) {
      setError(e instanceof ApiError ? e.detail : (e as Error).message);
    }
  }
  if (link) return <code class="receipt-link" data-testid="staff-receipt">{link}</code>;
  return (
    <>
      {' '}
      <button type="button" class="link" aria-label={t('account.receipt.for', { id: requestId })} onClick={run}>
        {t('account.receipt')}
      </button>
      {error && <span role="alert"> {error}</span>}
    </>
  );
}

function TimelineRow({ item, me }: { item: TimelineItem; me: WhoAmI }) {
  const when = <time dateTime={item.at}>{formatDateTime(item.at)}</time>;
  if (item.kind === 'request' && item.request) {
    const r = item.request;
    return (
      <div class="timeline-item">
        {when}
        <span>{t('timeline.request', { type: humanize(r.type), state: humanize(r.state) })}</span>
        <span class="note">{r.id}</span>
      </div>
    );
  }
  const e = item.audit_entry!;
  const n = item.notification;
  return (
    <div class="timeline-item">
      {when}
      <span>
        {n
          ? t('timeline.notification', { name: humanize(n.notification ?? ''), channel: n.channel ?? '', state: humanize(n.state ?? '') })
          : t('timeline.audit', { action: humanize(e.action) })}
      </span>
      <span class="note">
        {humanize(e.category)} · {e.actor.type}
        {e.reason_code ? ` · ${e.reason_code}` : ''}
      </span>
      <EntryMood entry={e} />
      <VerifyButton entry={e} me={me} />
    </div>
  );
}

export function AccountPage({ id, me }: { id: string; me: WhoAmI }) {
  const [account, setAccount] = useState<Account | null>(null);
  const [open, setOpen] = useState<Request[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [loads, setLoads] = useState(0);
  const timeline = usePagedList<TimelineItem>(
    (after) => `/v1/accounts/${encodeURIComponent(id)}/timeline${query({ limit: 25, starting_after: after })}`,
    `${id} ${loads}`,
  );
  useEffect(() => {
    setError(null);
    (async () => {
      try {
        const [a, reqs] = await Promise.all([
          api<Account>('GET', `/v1/accounts/${encodeURIComponent(id)}`),
          api<Page<Request>>('GET', '/v1/requests' + query({ account_id: id, limit: 100 })),
        ]);
        setAccount(a);
        setOpen(reqs.data.filter((r) => !TERMINAL.has(r.state)));
      } catch (e) {
        setError(t('error.generic', { detail: (e as Error).message }));
      }
    })();
  }, [id, loads]);

  useEffect(() => {
    if (account) document.title = `${t('account.title', { ref: account.external_ref })} · ${t('app.name')}`;
  });

  if (error) return <Alert>{error}</Alert>;
  if (!account) return <p role="status">{t('queue.loading')}</p>;
  return (
    <article aria-labelledby="account-title">
      <p>
        <a href="#/queue">{t('account.back')}</a>
      </p>
      <h1 id="account-title">{t('account.title', { ref: account.external_ref })}</h1>
      <dl class="facts">
        <dt>{t('account.status')}</dt>
        <dd data-testid="account-status">{humanize(account.status)}</dd>
        <dt>{t('account.lifecycle')}</dt>
        <dd>{humanize(account.lifecycle)}</dd>
      </dl>
      <ScorePanel account={account} />
      <div class="two-cols">
        <section aria-labelledby="services-title">
          <h2 id="services-title">{t('account.services')}</h2>
          <ul class="plain">
            {account.services.map((s) => (
              <li>
                {s.plan} · {humanize(s.status)} <span class="note">{s.id}</span>
              </li>
            ))}
          </ul>
        </section>
        <section aria-labelledby="holds-title">
          <h2 id="holds-title">{t('account.holds')}</h2>
          {account.active_holds.length === 0 ? (
            <p>{t('account.noholds')}</p>
          ) : (
            <ul class="plain">
              {account.active_holds.map((h) => (
                <li>
                  <strong>{humanize(h.hold_type)}</strong> · {h.reason_code}
                  {h.comment ? ` · ${h.comment}` : ''} ·{' '}
                  {h.expires_at ? t('account.hold.expires', { t: formatDateTime(h.expires_at) }) : t('account.hold.noexpiry')}
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
      <section aria-labelledby="open-title">
        <h2 id="open-title">{t('account.open')}</h2>
        {open.length === 0 ? (
          <p>{t('account.noopen')}</p>
        ) : (
          <ul class="plain">
            {open.map((r) => (
              <li>
                {humanize(r.type)} · {humanize(r.state)} · {r.priority} <span class="note">{r.id}</span>
                {r.origin === 'voluntary' && <ReceiptLink requestId={r.id} />}
              </li>
            ))}
          </ul>
        )}
      </section>
      <FileRequest account={account} onFiled={() => setLoads((n) => n + 1)} />
      <section aria-labelledby="timeline-title">
        <h2 id="timeline-title">{t('account.timeline')}</h2>
        <ul class="plain" data-testid="timeline">
          {timeline.items.map((item) => (
            <li key={item.id}>
              <TimelineRow item={item} me={me} />
            </li>
          ))}
        </ul>
        {timeline.error && <Alert>{t('error.generic', { detail: timeline.error })}</Alert>}
        {timeline.more && (
          <button type="button" class="secondary" onClick={timeline.more}>
            {t('timeline.more')}
          </button>
        )}
      </section>
    </article>
  );
}
