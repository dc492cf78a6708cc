// Bulk jobs (supervisors and admins): a CSV or NDJSON file of rows, each filed as one
// request. The file is checked first (a dry run: every invalid row named with its column and
// code, or what each row would do); starting it sends the same file under the key of that
// check, so a double click starts one job. A job's progress comes as server-sent events
// (GET /v1/bulk-jobs/{id}/events, with the session cookie); it can be paused, resumed or
// cancelled, and its results downloaded as CSV.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, newIdempotencyKey, query, type BulkJob, type BulkPlan, type Page } from '../shared/api';
import { formatDateTime, formatDuration, humanize, t } from '../shared/i18n';
import { Alert } from '../shared/ui';

const SHOWN_ROWS = 50;
const FINISHED = new Set(['completed', 'cancelled']);

interface RowError {
  row: number;
  column?: string;
  code: string;
}

function contentType(file: File): string {
  return /\.(ndjson|jsonl)$/i.test(file.name) ? 'application/x-ndjson' : 'text/csv';
}

// One job, live: its figures follow the event stream until it is finished.
function JobView({ initial }: { initial: BulkJob }) {
  const [job, setJob] = useState(initial);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const finished = FINISHED.has(job.state);

  useEffect(() => {
    setJob(initial);
    if (FINISHED.has(initial.state)) return;
    const events = new EventSource(`/v1/bulk-jobs/${encodeURIComponent(initial.id)}/events`);
    events.addEventListener('progress', (e) => {
      const next = JSON.parse((e as MessageEvent).data) as BulkJob;
      setJob(next);
      if (FINISHED.has(next.state)) events.close();
    });
    return () => events.close();
  }, [initial.id]);

  async function act(action: 'pause' | 'resume' | 'cancel') {
    setBusy(true);
    setError('');
    try {
      setJob(await api<BulkJob>('POST', `/v1/bulk-jobs/${encodeURIComponent(job.id)}/${action}`));
    } catch (e) {
      setError(e instanceof ApiError ? t('file.refused', { detail: e.detail }) : t('error.generic', { detail: (e as Error).message }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="job-title" class="file-request" data-testid="bulk-job">
      <h2 id="job-title">{t('bulk.job', { id: job.id })}</h2>
      <p>
        <span class={`badge ${job.state === 'completed' ? 'ok' : ''}`} data-testid="bulk-state">
          {humanize(job.state)}
        </span>{' '}
        <label for="job-progress">{t('bulk.progress', { done: job.done_rows, total: job.total_rows })}</label>{' '}
        <progress id="job-progress" max={Math.max(job.total_rows, 1)} value={job.done_rows} />
      </p>
      <p role="status" data-testid="bulk-figures">
        {t('bulk.figures', { applied: job.applied_rows, failed: job.failed_rows, skipped: job.skipped_rows })}
        {job.eta_seconds !== null && !finished ? ` · ${t('bulk.eta', { d: formatDuration(job.eta_seconds) })}` : ''}
      </p>
      <div class="actions">
        {job.state === 'running' && (
          <button type="button" class="secondary" disabled={busy} onClick={() => act('pause')}>
            {t('bulk.pause')}
          </button>
        )}
        {job.state === 'paused' && (
          <button type="button" class="secondary" disabled={busy} onClick={() => act('resume')}>
            {t('bulk.resume')}
          </button>
        )}
        {!finished && (
          <button type="button" class="secondary" disabled={busy} onClick={() => act('cancel')}>
            {t('bulk.cancel')}
          </button>
        )}
        <a href={`/v1/bulk-jobs/${encodeURIComponent(job.id)}/results`} download={`${job.id}-results.csv`}>
          {t('bulk.results')}
        </a>
      </div>
      {error && <Alert>{error}</Alert>}
    </section>
  );
}

export function BulkJobs() {
  const [file, setFile] = useState<File | null>(null);
  const [checked, setChecked] = useState<{ plan: BulkPlan; key: string } | null>(null);
  const [rowErrors, setRowErrors] = useState<{ rows: RowError[]; count: number } | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [jobs, setJobs] = useState<BulkJob[]>([]);
  const [current, setCurrent] = useState<BulkJob | null>(null);

  async function loadJobs() {
    try {
      setJobs((await api<Page<BulkJob>>('GET', '/v1/bulk-jobs' + query({ limit: 20 }))).data);
    } catch (e) {
      setError(t('error.generic', { detail: (e as Error).message }));
    }
  }
  useEffect(() => {
    loadJobs();
  }, []);
  useEffect(() => {
    document.title = `${t('bulk.title')} · ${t('app.name')}`;
  });

  async function upload(dryRun: boolean) {
    if (!file) return;
    setBusy(true);
    setError('');
    setRowErrors(null);
    try {
      const key = dryRun ? newIdempotencyKey() : checked!.key;
      const opts = { key, raw: file, headers: { 'Content-Type': contentType(file) } };
      if (dryRun) {
        setChecked({ plan: await api<BulkPlan>('POST', '/v1/bulk-jobs?dry_run=true', undefined, opts), key });
      } else {
        const job = await api<BulkJob>('POST', '/v1/bulk-jobs', undefined, opts);
        setChecked(null);
        setCurrent(job);
        loadJobs();
      }
    } catch (e) {
      setChecked(null);
      if (e instanceof ApiError && Array.isArray(e.body?.errors)) {
        setRowErrors({ rows: e.body!.errors as RowError[], count: Number(e.body!.error_count ?? 0) });
      }
      setError(e instanceof ApiError ? t('file.refused', { detail: e.detail }) : t('error.generic', { detail: (e as Error).message }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="bulk-title">
      <h1 id="bulk-title">{t('bulk.title')}</h1>
      <form
        class="file-request"
        onSubmit={(e) => {
          e.preventDefault();
          upload(true);
        }}
      >
        <h2>{t('bulk.upload')}</h2>
        <p class="note" id="bulk-file-hint">
          {t('bulk.hint')}
        </p>
        <div class="field">
          <label for="bulk-file">{t('bulk.file')}</label>
          <input
            id="bulk-file"
            type="file"
            accept=".csv,.ndjson,.jsonl,text/csv"
            aria-describedby="bulk-file-hint"
            onChange={(e) => {
              setFile((e.currentTarget as HTMLInputElement).files?.[0] ?? null);
              setChecked(null);
              setRowErrors(null);
              setError('');
            }}
          />
        </div>
        <div class="actions">
          <button type="submit" class="secondary" disabled={busy || !file}>
            {t('bulk.check')}
          </button>
          <button type="button" disabled={busy || !checked} onClick={() => upload(false)}>
            {t('bulk.start')}
          </button>
        </div>
        {error && <Alert>{error}</Alert>}
        {rowErrors && (
          <table class="rows" data-testid="bulk-errors">
            <caption>{t('bulk.errors', { n: rowErrors.count })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('bulk.row')}</th>
                <th scope="col">{t('bulk.column')}</th>
                <th scope="col">{t('bulk.code')}</th>
              </tr>
            </thead>
            <tbody>
              {rowErrors.rows.slice(0, SHOWN_ROWS).map((r) => (
                <tr>
                  <td>{r.row}</td>
                  <td>{r.column ?? ''}</td>
                  <td>{humanize(r.code)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {checked && (
          <table class="rows" data-testid="bulk-plan">
            <caption>{t('bulk.plan', { n: checked.plan.rows })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('bulk.row')}</th>
                <th scope="col">{t('bulk.account')}</th>
                <th scope="col">{t('bulk.type')}</th>
                <th scope="col">{t('bulk.action')}</th>
              </tr>
            </thead>
            <tbody>
              {checked.plan.plan.slice(0, SHOWN_ROWS).map((r) => (
                <tr>
                  <td>{r.row}</td>
                  <td>{r.account_id}</td>
                  <td>{humanize(r.type)}</td>
                  <td>{humanize(r.action)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </form>
      {current && <JobView initial={current} />}
      <h2>{t('bulk.recent')}</h2>
      {jobs.length === 0 ? (
        <p>{t('bulk.none')}</p>
      ) : (
        <ul class="plain">
          {jobs.map((j) => (
            <li>
              <button type="button" class="link" onClick={() => setCurrent(j)}>
                {j.id}
              </button>{' '}
              · {humanize(j.state)} · {t('bulk.progress', { done: j.done_rows, total: j.total_rows })} · {formatDateTime(j.created_at)}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
