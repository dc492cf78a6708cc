// The work queue: filters, live SLA countdowns, claim, keyboard navigation, and a
// virtualised list (only the rows in view are in the DOM) so thousands of rows scroll
// smoothly.
import { useEffect, useRef, useState } from 'preact/hooks';
import { signal } from '@preact/signals';
import { api, query, type Page, type Request, type StaffMember, type WhoAmI } from '../shared/api';
import { formatDuration, humanize, t } from '../shared/i18n';
import { Alert } from '../shared/ui';
import { slaAt, TERMINAL } from './sla';

const ROW_HEIGHT = 52;
const OVERSCAN = 6;
const MAX_ROWS = 10000;

// 'open': every state but the finished ones (filtered here: the API takes one state).
const STATES = ['open', 'received', 'verifying', 'awaiting_customer', 'awaiting_approval', 'awaiting_payment', 'approved', 'provisioning', 'completed', 'rejected', 'cancelled', 'failed'];
const TYPES = ['reconnection', 'reactivation', 'activation', 'suspension', 'termination', 'plan_change', 'personal_info_update', 'billing_info_update', 'access_change', 'ownership_transfer', 'security_settings_change', 'billing_adjustment', 'status_sync', 'data_access', 'data_erasure'];
const PRIORITIES = ['low', 'normal', 'high', 'urgent'];
const SLA = ['on_track', 'at_risk', 'breached'];

// One clock for every countdown on the page, ticking each second.
export const now = signal(Date.now());
setInterval(() => (now.value = Date.now()), 1000);

interface Filters {
  state: string;
  type: string;
  priority: string;
  sla_status: string;
  assignee: '' | 'me' | 'none';
  team: string;
}
const ASSIGNEES = ['me', 'none'];

// The API's filter for the assignee choice: the signed-in user, or the empty value that
// matches unassigned requests.
function assigneeQuery(choice: Filters['assignee'], me: WhoAmI): string {
  if (choice === 'me') return `&assignee=${encodeURIComponent(me.user_id ?? '')}`;
  if (choice === 'none') return '&assignee=';
  return '';
}

function Select(p: { id: string; label: string; value: string; options: string[]; labels?: (o: string) => string; onChange: (v: string) => void }) {
  return (
    <div>
      <label for={p.id}>{p.label}</label>
      <select id={p.id} value={p.value} onChange={(e) => p.onChange((e.currentTarget as HTMLSelectElement).value)}>
        <option value="">{t('queue.any')}</option>
        {p.options.map((o) => (
          <option value={o}>{p.labels ? p.labels(o) : humanize(o)}</option>
        ))}
      </select>
    </div>
  );
}

export function Queue({ me }: { me: WhoAmI }) {
  const [filters, setFilters] = useState<Filters>({ state: 'open', type: '', priority: '', sla_status: '', assignee: '', team: '' });
  const [teams, setTeams] = useState<string[]>([]);
  const [staff, setStaff] = useState<StaffMember[]>([]);
  const [handTo, setHandTo] = useState('');
  const [rows, setRows] = useState<Request[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [active, setActive] = useState(0);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(600);
  const body = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    setError(null);
    setRows([]);
    setActive(0);
    (async () => {
      let cursor: string | null = null;
      let all: Request[] = [];
      try {
        do {
          const state = filters.state === 'open' ? '' : filters.state;
          const { assignee, ...rest } = filters;
          const page: Page<Request> = await api('GET', '/v1/requests' + query({ ...rest, state, sort: 'due_at', limit: 100, starting_after: cursor }) + assigneeQuery(assignee, me));
          if (cancelled) return;
          all = all.concat(filters.state === 'open' ? page.data.filter((r) => !TERMINAL.has(r.state)) : page.data);
          setRows(all);
          setLoading(false);
          cursor = page.has_more ? page.next_cursor : null;
        } while (cursor && all.length < MAX_ROWS);
      } catch (e) {
        if (!cancelled) setError(t('error.generic', { detail: (e as Error).message }));
      } finally {
        if (!cancelled) setLoading(false);
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [filters.state, filters.type, filters.priority, filters.sla_status, filters.assignee, filters.team]);

  // The teams on offer (those the tenant's staff are in; none: no team filter) and the staff
  // directory, for assignees' names and for handing a request to someone.
  useEffect(() => {
    api<Page<{ team: string }>>('GET', '/v1/teams')
      .then((p) => setTeams(p.data.map((x) => x.team)))
      .catch(() => setTeams([]));
    api<Page<StaffMember>>('GET', '/v1/staff')
      .then((p) => setStaff(p.data))
      .catch(() => setStaff([]));
  }, []);
  const nameOf = (id: string | null) => (id ? (staff.find((m) => m.id === id)?.name ?? id) : '—');

  useEffect(() => {
    const el = body.current;
    if (!el) return;
    const measure = () => setViewport(el.clientHeight);
    measure();
    addEventListener('resize', measure);
    return () => removeEventListener('resize', measure);
  }, []);

  function moveTo(i: number) {
    const n = Math.max(0, Math.min(rows.length - 1, i));
    setActive(n);
    const el = body.current;
    if (!el) return;
    const top = n * ROW_HEIGHT;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW_HEIGHT > el.scrollTop + el.clientHeight) el.scrollTop = top + ROW_HEIGHT - el.clientHeight;
  }

  // Hands `r` to `assignee` ("" for no one); the row shows it at once.
  async function assign(r: Request, assignee: string, done: string) {
    try {
      const updated = await api<Request>('POST', `/v1/requests/${encodeURIComponent(r.id)}/assign`, { assignee });
      setRows((old) => old.map((x) => (x.id === r.id ? { ...x, assignee: updated.assignee } : x)));
      setStatus(done);
    } catch (e) {
      setStatus(t('error.generic', { detail: (e as Error).message }));
    }
  }
  const claim = (r: Request) => assign(r, me.user_id ?? '', `${t('queue.claimed')}: ${r.id}`);

  function open(r: Request) {
    location.hash = `#/accounts/${encodeURIComponent(r.account_id)}`;
  }

  function onKey(e: KeyboardEvent) {
    if (rows.length === 0) return;
    const page = Math.max(1, Math.floor(viewport / ROW_HEIGHT) - 1);
    const keys: Record<string, () => void> = {
      ArrowDown: () => moveTo(active + 1),
      ArrowUp: () => moveTo(active - 1),
      PageDown: () => moveTo(active + page),
      PageUp: () => moveTo(active - page),
      Home: () => moveTo(0),
      End: () => moveTo(rows.length - 1),
      Enter: () => open(rows[active]),
      c: () => claim(rows[active]),
    };
    const run = keys[e.key];
    if (run) {
      e.preventDefault();
      run();
    }
  }

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + viewport) / ROW_HEIGHT) + OVERSCAN);
  const current = now.value;
  const set = (k: keyof Filters) => (v: string) => setFilters({ ...filters, [k]: v });

  return (
    <section aria-labelledby="queue-title">
      <h1 id="queue-title">{t('queue.title')}</h1>
      <fieldset class="filters">
        <legend class="skip">{t('queue.filters')}</legend>
        <Select id="f-state" label={t('queue.state')} value={filters.state} options={STATES} labels={(o) => (o === 'open' ? t('queue.state.open') : humanize(o))} onChange={set('state')} />
        <Select id="f-type" label={t('queue.type')} value={filters.type} options={TYPES} onChange={set('type')} />
        <Select id="f-priority" label={t('queue.priority')} value={filters.priority} options={PRIORITIES} onChange={set('priority')} />
        <Select id="f-sla" label={t('queue.sla')} value={filters.sla_status} options={SLA} labels={(o) => t(`sla.${o}`)} onChange={set('sla_status')} />
        <Select id="f-assignee" label={t('queue.assignee')} value={filters.assignee} options={ASSIGNEES} labels={(o) => t(`queue.assignee.${o}`)} onChange={set('assignee')} />
        {teams.length > 0 && <Select id="f-team" label={t('queue.team')} value={filters.team} options={teams} labels={(o) => o} onChange={set('team')} />}
      </fieldset>
      <p class="note" id="queue-help">
        {t('queue.help')}
      </p>
      {staff.length > 0 && rows[active] && (
        <form
          class="actions"
          onSubmit={(e) => {
            e.preventDefault();
            const r = rows[active];
            assign(r, handTo, t('queue.assigned', { id: r.id, who: handTo ? nameOf(handTo) : t('queue.assignee.none') }));
          }}
        >
          <div class="field">
            <label for="q-hand-to">{t('queue.assign.to', { id: rows[active].id })}</label>
            <select id="q-hand-to" value={handTo} onChange={(e) => setHandTo((e.currentTarget as HTMLSelectElement).value)}>
              <option value="">{t('queue.assignee.none')}</option>
              {staff.map((m) => (
                <option value={m.id}>
                  {m.name}
                  {m.team ? ` (${m.team})` : ''}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" class="secondary">
            {t('queue.assign')}
          </button>
        </form>
      )}
      <p role="status" class="note" data-testid="queue-count">
        {loading ? t('queue.loading') : t('queue.count', { n: rows.length })} {status}
      </p>
      {error && <Alert>{error}</Alert>}
      <div class="grid">
        <div class="grid-head" aria-hidden="true">
          <span>{t('queue.col.request')}</span>
          <span>{t('queue.col.state')}</span>
          <span>{t('queue.col.priority')}</span>
          <span>{t('queue.col.due')}</span>
          <span>{t('queue.col.assignee')}</span>
          <span>{t('queue.col.actions')}</span>
        </div>
        <div
          ref={body}
          class="grid-body"
          role="grid"
          aria-rowcount={rows.length}
          aria-colcount={6}
          tabIndex={0}
          aria-labelledby="queue-title"
          aria-describedby="queue-help"
          aria-activedescendant={active >= first && active < last ? `q-row-${active}` : undefined}
          onKeyDown={onKey}
          onScroll={(e) => setScrollTop((e.currentTarget as HTMLDivElement).scrollTop)}
        >
          <div style={{ height: `${rows.length * ROW_HEIGHT}px`, position: 'relative' }} role="rowgroup">
            {rows.slice(first, last).map((r, k) => {
              const i = first + k;
              const sla = slaAt(r, current);
              const due =
                sla.secondsLeft === null ? '' : sla.secondsLeft < 0 ? t('sla.overdue', { t: formatDuration(sla.secondsLeft) }) : formatDuration(sla.secondsLeft);
              return (
                <div
                  id={`q-row-${i}`}
                  key={r.id}
                  role="row"
                  aria-selected={i === active}
                  aria-rowindex={i + 1}
                  class={`grid-row ${sla.mark} ${i === active ? 'active' : ''}`}
                  style={{ top: `${i * ROW_HEIGHT}px` }}
                  onClick={() => setActive(i)}
                  data-request-id={r.id}
                >
                  <span role="gridcell">
                    {humanize(r.type)} · {r.id}
                  </span>
                  <span role="gridcell">{humanize(r.state)}</span>
                  <span role="gridcell">{r.priority}</span>
                  <span role="gridcell">
                    <span class={`badge ${sla.mark}`}>{t(`sla.${sla.mark}`)}</span> {due}
                  </span>
                  <span role="gridcell">{nameOf(r.assignee)}</span>
                  <span role="gridcell" class="actions">
                    <button type="button" tabIndex={-1} onClick={() => claim(r)} disabled={r.assignee === me.user_id}>
                      {r.assignee === me.user_id ? t('queue.claimed') : t('queue.claim')}
                    </button>
                    <a href={`#/accounts/${encodeURIComponent(r.account_id)}`} tabIndex={-1}>
                      {t('queue.open')}
                    </a>
                  </span>
                </div>
              );
            })}
          </div>
        </div>
      </div>
      {!loading && rows.length === 0 && !error && <p>{t('queue.empty')}</p>}
    </section>
  );
}
