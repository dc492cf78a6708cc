// The policy pack page: the pack in force as stored (comments included); for admins, an
// editor with line numbers, a check by the server (POST /v1/policy-pack/validate) whose
// errors are shown at their line, the changes against the version in force, and saving it
// as a new version (PUT /v1/policy-pack), and what the edit would have changed over the last
// 30 days' requests (POST /v1/policy-pack/simulate) before it is saved.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, newIdempotencyKey, type WhoAmI } from '../shared/api';
import { formatDateTime, t } from '../shared/i18n';
import { Alert } from '../shared/ui';

interface Pack {
  version: string;
  effective_from: string;
  created_at: string;
  yaml: string;
}

interface SlaTarget {
  target_minutes: number;
  clock: string;
}

// The answer of POST /v1/policy-pack/simulate (api/openapi.yaml, PolicySimulation).
interface Simulation {
  days: number;
  requests: number;
  replayed: number;
  not_replayable: number;
  changed: number;
  by_type: { type: string; replayed: number; changed: number; transitions: { decided: string; would_be: string; requests: number }[] }[];
  decisions: { request_id: string; type: string; decided: string; would_be: string; checks: { kind: string; detail_after?: string }[] }[];
  truncated: boolean;
  sla_moves: { type: string; priority: string; before: SlaTarget | null; after: SlaTarget | null; requests: number }[];
}

const words = (name: string) => name.replace(/_/g, ' ');
const target = (s: SlaTarget | null) => (s ? t('pack.whatif.minutes', { n: s.target_minutes, clock: words(s.clock) }) : t('pack.whatif.none'));

type DiffLine = { op: ' ' | '+' | '-' | '…'; text: string; line: number };

// Line diff by longest common subsequence over the changed middle: changed lines with one
// line of context, longer unchanged runs folded to "…". Removed lines carry their line in
// the version in force, the others their line in the edit.
export function diffLines(before: string, after: string): DiffLine[] {
  const a = before.split('\n');
  const b = after.split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) endA--, endB--;
  const x = a.slice(start, endA);
  const y = b.slice(start, endB);
  const lcs: number[][] = Array.from({ length: x.length + 1 }, () => new Array(y.length + 1).fill(0));
  for (let i = x.length - 1; i >= 0; i--) for (let j = y.length - 1; j >= 0; j--) lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out: DiffLine[] = [];
  if (start > 0) out.push({ op: ' ', text: a[start - 1], line: start });
  let i = 0;
  let j = 0;
  while (i < x.length || j < y.length) {
    if (i < x.length && j < y.length && x[i] === y[j]) out.push({ op: ' ', text: x[i++], line: start + j++ + 1 });
    else if (j < y.length && (i >= x.length || lcs[i][j + 1] > lcs[i + 1][j])) out.push({ op: '+', text: y[j], line: start + ++j });
    else out.push({ op: '-', text: x[i], line: start + ++i });
  }
  if (endB < b.length) out.push({ op: ' ', text: b[endB], line: endB + 1 });
  return fold(out);
}

// Keeps the changed lines and the unchanged line either side of each; a longer unchanged
// run between changes becomes one "…".
function fold(lines: DiffLine[]): DiffLine[] {
  const changed = (k: number) => lines[k] !== undefined && lines[k].op !== ' ';
  const out: DiffLine[] = [];
  lines.forEach((d, k) => {
    if (changed(k) || changed(k - 1) || changed(k + 1)) out.push(d);
    else if (out[out.length - 1]?.op !== '…') out.push({ op: '…', text: '', line: 0 });
  });
  return out;
}

interface Problem {
  text: string;
  line: number | null;
}

export function PolicyPack({ me }: { me: WhoAmI }) {
  const [pack, setPack] = useState<Pack | null>(null);
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const [valid, setValid] = useState(false);
  const [sim, setSim] = useState<Simulation | null>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLPreElement>(null);
  const admin = me.role === 'admin';

  async function load() {
    try {
      const p = await api<Pack>('GET', '/v1/policy-pack');
      setPack(p);
      setText(p.yaml);
    } catch (e) {
      setProblem({ text: t('error.generic', { detail: (e as Error).message }), line: null });
    }
  }
  useEffect(() => {
    load();
  }, []);
  useEffect(() => {
    document.title = `${t('pack.title')} · ${t('app.name')}`;
  });

  function goTo(line: number) {
    const el = area.current!;
    const lines = el.value.split('\n');
    const from = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
    el.focus();
    el.setSelectionRange(from, from + (lines[line - 1]?.length ?? 0));
    const lineHeight = parseFloat(getComputedStyle(el).lineHeight) || 20;
    el.scrollTop = Math.max(0, (line - 5) * lineHeight);
  }

  async function send(action: 'validate' | 'simulate' | 'save') {
    setBusy(true);
    setProblem(null);
    setStatus('');
    setSim(null);
    try {
      const opts = { raw: text, headers: { 'Content-Type': 'application/yaml' }, key: newIdempotencyKey() };
      if (action === 'simulate') {
        setSim(await api<Simulation>('POST', '/v1/policy-pack/simulate?days=30', undefined, { raw: text, headers: opts.headers }));
      } else if (action === 'save') {
        const out = await api<Pack & { in_force: boolean }>('PUT', '/v1/policy-pack', undefined, opts);
        setStatus(t(out.in_force ? 'pack.saved' : 'pack.saved.later', { version: out.version, t: formatDateTime(out.effective_from) }));
        setValid(false);
        await load();
      } else {
        const out = await api<{ version: string }>('POST', '/v1/policy-pack/validate', undefined, opts);
        setValid(true);
        setStatus(t('pack.valid', { version: out.version }));
      }
    } catch (e) {
      setValid(false);
      const detail = e instanceof ApiError ? e.detail : (e as Error).message;
      const line = /line (\d+)/.exec(detail);
      setProblem({ text: detail, line: line ? Number(line[1]) : null });
    } finally {
      setBusy(false);
    }
  }

  if (!pack) return problem ? <Alert>{problem.text}</Alert> : <p role="status">{t('queue.loading')}</p>;
  const changed = text !== pack.yaml;
  const count = text.split('\n').length;
  const diff = changed ? diffLines(pack.yaml, text) : [];
  return (
    <section aria-labelledby="pack-title">
      <h1 id="pack-title">{t('pack.title')}</h1>
      <p data-testid="pack-version">{t('pack.inforce', { version: pack.version, t: formatDateTime(pack.effective_from) })}</p>
      <div class="editor">
        <pre class="gutter" aria-hidden="true" ref={gutter}>
          {Array.from({ length: count }, (_, i) => (
            <span class={problem?.line === i + 1 ? 'bad' : undefined}>{`${i + 1}\n`}</span>
          ))}
        </pre>
        <label class="visually-hidden" for="pack-text">
          {t('pack.text')}
        </label>
        <textarea
          id="pack-text"
          ref={area}
          spellcheck={false}
          wrap="off"
          readOnly={!admin}
          aria-invalid={problem ? 'true' : undefined}
          aria-describedby={problem ? 'pack-problem' : undefined}
          value={text}
          onInput={(e) => {
            setText((e.currentTarget as HTMLTextAreaElement).value);
            setValid(false);
            setStatus('');
            setSim(null);
          }}
          onScroll={(e) => (gutter.current!.scrollTop = (e.currentTarget as HTMLTextAreaElement).scrollTop)}
        />
      </div>
      {problem && (
        <div class="alert" role="alert" id="pack-problem">
          {problem.line !== null ? `${t('pack.line', { n: problem.line })} ` : ''}
          {problem.text}{' '}
          {problem.line !== null && (
            <button type="button" class="link" onClick={() => goTo(problem.line!)}>
              {t('pack.goto', { n: problem.line })}
            </button>
          )}
        </div>
      )}
      <p role="status" data-testid="pack-status">
        {status}
      </p>
      {admin ? (
        <div class="actions">
          <button type="button" class="secondary" disabled={busy} onClick={() => send('validate')}>
            {t('pack.validate')}
          </button>
          <button type="button" class="secondary" disabled={busy} onClick={() => send('simulate')}>
            {t('pack.whatif')}
          </button>
          <button type="button" disabled={busy || !valid || !changed} onClick={() => send('save')}>
            {t('pack.save')}
          </button>
          <button type="button" class="secondary" disabled={busy || !changed} onClick={() => (setText(pack.yaml), setProblem(null), setValid(false), setSim(null))}>
            {t('pack.revert')}
          </button>
        </div>
      ) : (
        <p class="note">{t('pack.readonly')}</p>
      )}
      {sim && (
        <section aria-labelledby="whatif-title" data-testid="pack-whatif">
          <h2 id="whatif-title">{t('pack.whatif.title', { days: sim.days })}</h2>
          <p>{t('pack.whatif.summary', { requests: sim.requests, replayed: sim.replayed, changed: sim.changed })}</p>
          {sim.not_replayable > 0 && <p class="note">{t('pack.whatif.unreplayable', { n: sim.not_replayable })}</p>}
          {sim.by_type.length > 0 && (
            <table class="rows">
              <caption>{t('pack.whatif.bytype')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('pack.whatif.type')}</th>
                  <th scope="col">{t('pack.whatif.replayed')}</th>
                  <th scope="col">{t('pack.whatif.changed')}</th>
                  <th scope="col">{t('pack.whatif.moves')}</th>
                </tr>
              </thead>
              <tbody>
                {sim.by_type.map((ty) => (
                  <tr key={ty.type}>
                    <th scope="row">{words(ty.type)}</th>
                    <td>{ty.replayed}</td>
                    <td>{ty.changed}</td>
                    <td>{ty.transitions.map((m) => `${words(m.decided)} → ${words(m.would_be)} (${m.requests})`).join(', ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {sim.sla_moves.length > 0 && (
            <ul data-testid="pack-whatif-sla">
              {sim.sla_moves.map((m) => (
                <li>{t('pack.whatif.sla', { type: words(m.type), priority: m.priority, before: target(m.before), after: target(m.after), n: m.requests })}</li>
              ))}
            </ul>
          )}
          {sim.decisions.length > 0 && (
            <ul data-testid="pack-whatif-decisions">
              {sim.decisions.slice(0, 20).map((d) => (
                <li>
                  <a href={`#/requests/${d.request_id}`}>{d.request_id}</a> {words(d.type)}: {words(d.decided)} → {words(d.would_be)}
                  {d.checks.some((c) => c.detail_after) && ` (${d.checks.map((c) => c.detail_after).filter(Boolean).join('; ')})`}
                </li>
              ))}
              {(sim.decisions.length > 20 || sim.truncated) && <li>{t('pack.whatif.more', { n: sim.changed - Math.min(20, sim.decisions.length) })}</li>}
            </ul>
          )}
        </section>
      )}
      <h2>{t('pack.diff')}</h2>
      {changed ? (
        <pre class="diff" data-testid="pack-diff">
          {diff.map((d) => (
            <span class={d.op === '+' ? 'add' : d.op === '-' ? 'del' : undefined}>{d.op === '…' ? '…\n' : `${d.op === '-' ? '−' : d.op} ${String(d.line).padStart(4)} ${d.text}\n`}</span>
          ))}
        </pre>
      ) : (
        <p>{t('pack.nodiff')}</p>
      )}
    </section>
  );
}
