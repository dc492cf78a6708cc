// The approvals inbox (maker-checker): requests awaiting approval, oldest due first, each
// with what its checks found, who filed it and its comments; approve or reject with a
// comment (a rejection names a reason code), hand it to someone else, or comment. The server
// decides who may approve: the filer of a request never may, and its refusal is shown as is.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, query, type Page, type Request, type StaffMember, type TypePolicy, type WhoAmI } from '../shared/api';
import { formatDateTime, humanize, t } from '../shared/i18n';
import { Alert } from '../shared/ui';
import { MoodBadge } from './sentiment';
import { LinkedText } from './conversations';

function refusal(e: unknown): string {
  if (e instanceof ApiError && e.code === 'maker_checker') return t('approvals.maker_checker');
  if (e instanceof ApiError && e.code === 'role_required') return t('approvals.role', { detail: e.detail });
  if (e instanceof ApiError) return t('file.refused', { detail: e.detail });
  return t('error.generic', { detail: (e as Error).message });
}

function Item({ r, me, reasons, onDone }: { r: Request; me: WhoAmI; reasons: string[]; onDone: (text: string) => void }) {
  const [comment, setComment] = useState('');
  const [reason, setReason] = useState(reasons[0] ?? '');
  const [assignee, setAssignee] = useState(r.assignee ?? '');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [notes, setNotes] = useState(r.comments ?? []);
  const path = `/v1/requests/${encodeURIComponent(r.id)}`;
  const mine = !!me.user_id && r.actor?.id === me.user_id;

  async function act(what: () => Promise<unknown>, done?: string) {
    setBusy(true);
    setError('');
    try {
      await what();
      if (done) onDone(done);
    } catch (e) {
      setError(refusal(e));
    } finally {
      setBusy(false);
    }
  }
  const headers = (extra: Record<string, string> = {}) => ({ ...(comment ? { 'X-Comment': comment } : {}), ...extra });
  const approve = () => act(() => api('POST', `${path}/approve`, undefined, { headers: headers() }), t('approvals.approved', { id: r.id }));
  const reject = () => act(() => api('POST', `${path}/reject`, undefined, { headers: headers({ 'X-Reason': reason }) }), t('approvals.rejected', { id: r.id }));
  const assign = () => act(() => api('POST', `${path}/assign`, { assignee }), t('approvals.assigned', { id: r.id, who: assignee || t('approvals.nobody') }));
  const addComment = () =>
    act(async () => {
      const out = await api<Request>('POST', `${path}/comments`, { text: comment });
      setNotes(out.comments ?? []);
      setComment('');
    });

  const id = r.id.replace(/[^A-Za-z0-9_-]/g, '');
  return (
    <article class="approval" aria-labelledby={`ap-${id}`} data-testid="approval">
      <h2 id={`ap-${id}`}>
        {humanize(r.type)} · <a href={`#/accounts/${encodeURIComponent(r.account_id)}`}>{t('approvals.account')}</a>
      </h2>
      <p class="note">
        {r.id} · {t('approvals.filed', { who: r.actor?.id ?? '', t: formatDateTime(r.created_at) })} · {humanize(r.reason_code)} · {r.priority}
      </p>
      {mine && <p class="warn">{t('approvals.yours')}</p>}
      <ul class="plain checks">
        {(r.checks ?? []).map((c) => (
          <li class={c.passed ? 'ok' : 'bad'}>
            <strong>{c.passed ? t('file.check.met') : t('file.check.unmet')}</strong> {t(`checkname.${c.kind}`)}
            {c.detail ? ` · ${c.detail}` : ''}
          </li>
        ))}
      </ul>
      {notes.length > 0 && (
        <ul class="plain comments" aria-label={t('approvals.comments')}>
          {notes.map((c) => (
            <li>
              <time dateTime={c.at}>{formatDateTime(c.at)}</time> · {c.actor.id}: <LinkedText text={c.text} /> <MoodBadge sentiment={c.sentiment} />
            </li>
          ))}
        </ul>
      )}
      <div class="field">
        <label for={`ap-comment-${id}`}>{t('approvals.comment')}</label>
        <input id={`ap-comment-${id}`} value={comment} onInput={(e) => setComment((e.currentTarget as HTMLInputElement).value)} />
      </div>
      <div class="actions">
        <button type="button" disabled={busy} onClick={approve}>
          {t('approvals.approve')}
        </button>
        <div class="field">
          <label for={`ap-reason-${id}`}>{t('approvals.reason')}</label>
          <select id={`ap-reason-${id}`} value={reason} onChange={(e) => setReason((e.currentTarget as HTMLSelectElement).value)}>
            {reasons.map((c) => (
              <option value={c}>{humanize(c)}</option>
            ))}
          </select>
        </div>
        <button type="button" class="secondary" disabled={busy} onClick={reject}>
          {t('approvals.reject')}
        </button>
        <button type="button" class="secondary" disabled={busy || !comment} onClick={addComment}>
          {t('approvals.addcomment')}
        </button>
      </div>
      <div class="actions">
        <div class="field">
          <label for={`ap-assignee-${id}`}>{t('approvals.assignee')}</label>
          <input id={`ap-assignee-${id}`} list="ap-staff" value={assignee} onInput={(e) => setAssignee((e.currentTarget as HTMLInputElement).value)} />
        </div>
        <button type="button" class="secondary" disabled={busy} onClick={assign}>
          {t('approvals.assign')}
        </button>
      </div>
      {error && <Alert>{error}</Alert>}
    </article>
  );
}

export function Approvals({ me }: { me: WhoAmI }) {
  const [items, setItems] = useState<Request[] | null>(null);
  const [types, setTypes] = useState<TypePolicy[]>([]);
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  const [staff, setStaff] = useState<StaffMember[]>([]);

  async function load() {
    try {
      const [page, pack] = await Promise.all([
        api<Page<Request>>('GET', '/v1/requests' + query({ state: 'awaiting_approval', sort: 'due_at', limit: 100 })),
        api<{ data: TypePolicy[] }>('GET', '/v1/policy-pack/request-types'),
      ]);
      setItems(page.data);
      setTypes(pack.data);
    } catch (e) {
      setError(t('error.generic', { detail: (e as Error).message }));
    }
  }
  useEffect(() => {
    load();
    // Suggestions for reassigning: the staff directory (a queue's name may be typed too).
    api<Page<StaffMember>>('GET', '/v1/staff')
      .then((p) => setStaff(p.data))
      .catch(() => setStaff([]));
  }, []);
  useEffect(() => {
    document.title = `${t('approvals.title')} · ${t('app.name')}`;
  });

  return (
    <section aria-labelledby="approvals-title">
      <h1 id="approvals-title">{t('approvals.title')}</h1>
      <datalist id="ap-staff">
        {staff.map((m) => (
          <option value={m.id}>{m.team ? `${m.name} (${m.team})` : m.name}</option>
        ))}
      </datalist>
      <p role="status" data-testid="approvals-status">
        {status}
      </p>
      {error && <Alert>{error}</Alert>}
      {items === null ? (
        <p>{t('queue.loading')}</p>
      ) : items.length === 0 ? (
        <p>{t('approvals.empty')}</p>
      ) : (
        items.map((r) => (
          <Item
            key={r.id}
            r={r}
            me={me}
            reasons={types.find((p) => p.type === r.type)?.reason_codes ?? []}
            onDone={(text) => {
              setStatus(text);
              load();
            }}
          />
        ))
      )}
    </section>
  );
}
