// The supervisor dashboard (supervisors and admins): one read of GET /v1/kpis/dashboard,
// polled every 5 s while the page is in view. Headline figures, the backlog by type and
// state, processing time p50/p95 per type per hour as uPlot charts (each with its figures
// as a table for those who do not see the chart), completions per agent, CSAT and the bulk
// jobs still running. Loaded on demand, so the console's first load does not carry uPlot.
import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import { api, ApiError, type Dashboard as Figures, type HourlyProcessing } from '../shared/api';
import { formatDateTime, formatDuration, humanize, lang, t } from '../shared/i18n';
import { Alert } from '../shared/ui';

const REFRESH_MS = 5000;
const CHART_HEIGHT = 220;

function percent(v: number | null): string {
  if (v === null) return t('dash.none');
  return new Intl.NumberFormat(lang.value === 'fr' ? 'fr-FR' : 'en-GB', { style: 'percent', maximumFractionDigits: 1 }).format(v);
}

function seconds(v: number | null): string {
  return v === null ? t('dash.none') : formatDuration(v);
}

// From zero to a little above the highest value, with a sliver below zero so that a series of
// requests that all took no time at all is drawn whole rather than cut by the plot's edge.
function yRange(_u: uPlot, _min: number | null, max: number | null): [number, number] {
  const top = Math.max(max ?? 1, 1) * 1.1;
  return [-top * 0.04, top];
}

function hourLabel(iso: string): string {
  return new Intl.DateTimeFormat(lang.value === 'fr' ? 'fr-FR' : 'en-GB', { hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

// Processing time of one request type, hour by hour over the dashboard's window (the x axis is
// always those 24 hours): p50 as a solid line, p95 dashed (the two differ in more than
// colour). Every point is drawn, so a single hour still shows.
function ProcessingChart({ type, hours, from, to }: { type: string; hours: HourlyProcessing[]; from: string; to: string }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const span = useRef<[number, number]>([0, 0]);
  span.current = [Date.parse(from) / 1000, Date.parse(to) / 1000];
  const data: uPlot.AlignedData = [
    hours.map((h) => Date.parse(h.hour) / 1000),
    hours.map((h) => h.p50_seconds),
    hours.map((h) => h.p95_seconds),
  ];

  useEffect(() => {
    const el = box.current!;
    const opts: uPlot.Options = {
      width: Math.max(el.clientWidth, 240),
      height: CHART_HEIGHT,
      scales: { x: { time: true, range: () => span.current }, y: { range: yRange } },
      legend: { live: false },
      series: [
        {},
        { label: t('dash.p50'), stroke: '#0a55c2', width: 2, points: { show: true, size: 8, fill: '#0a55c2' } },
        { label: t('dash.p95'), stroke: '#8c0f1f', width: 2, dash: [6, 4], points: { show: true, size: 8, fill: '#8c0f1f' } },
      ],
      axes: [{}, { label: t('dash.seconds'), size: 60 }],
    };
    plot.current = new uPlot(opts, data, el);
    const resize = new ResizeObserver(() => plot.current?.setSize({ width: Math.max(el.clientWidth, 240), height: CHART_HEIGHT }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, [lang.value]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [hours]);

  const id = `chart-${type}`;
  return (
    <figure class="chart" aria-labelledby={id} data-testid={`chart-${type}`}>
      <figcaption id={id}>{t('dash.chart', { type: humanize(type) })}</figcaption>
      <div ref={box} class="chart-canvas" aria-hidden="true" />
      <details>
        <summary>{t('dash.as_table')}</summary>
        <table class="rows">
          <thead>
            <tr>
              <th scope="col">{t('dash.hour')}</th>
              <th scope="col">{t('dash.completed')}</th>
              <th scope="col">{t('dash.p50')}</th>
              <th scope="col">{t('dash.p95')}</th>
            </tr>
          </thead>
          <tbody>
            {hours.map((h) => (
              <tr>
                <td>{hourLabel(h.hour)}</td>
                <td>{h.completed}</td>
                <td>{seconds(h.p50_seconds)}</td>
                <td>{seconds(h.p95_seconds)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

function Backlog({ backlog }: { backlog: Figures['backlog'] }) {
  const types = Object.keys(backlog).sort();
  const states = [...new Set(types.flatMap((ty) => Object.keys(backlog[ty])))].sort();
  if (types.length === 0) return <p class="note">{t('dash.backlog.empty')}</p>;
  return (
    <table class="rows" data-testid="backlog">
      <caption>{t('dash.backlog.caption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('bulk.type')}</th>
          {states.map((s) => (
            <th scope="col">{humanize(s)}</th>
          ))}
          <th scope="col">{t('dash.total')}</th>
        </tr>
      </thead>
      <tbody>
        {types.map((ty) => (
          <tr>
            <th scope="row">{humanize(ty)}</th>
            {states.map((s) => (
              <td>{backlog[ty][s] ?? 0}</td>
            ))}
            <td>{Object.values(backlog[ty]).reduce((a, b) => a + b, 0)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Dashboard() {
  const [figures, setFigures] = useState<Figures | null>(null);
  const [error, setError] = useState('');
  const [updated, setUpdated] = useState<Date | null>(null);

  useEffect(() => {
    let stopped = false;
    async function load() {
      if (document.visibilityState !== 'visible') return;
      try {
        const next = await api<Figures>('GET', '/v1/kpis/dashboard');
        if (stopped) return;
        setFigures(next);
        setUpdated(new Date());
        setError('');
      } catch (e) {
        if (!stopped) setError(e instanceof ApiError ? t('file.refused', { detail: e.detail }) : t('error.generic', { detail: (e as Error).message }));
      }
    }
    load();
    const timer = setInterval(load, REFRESH_MS);
    document.addEventListener('visibilitychange', load);
    return () => {
      stopped = true;
      clearInterval(timer);
      document.removeEventListener('visibilitychange', load);
    };
  }, []);
  useEffect(() => {
    document.title = `${t('dash.title')} · ${t('app.name')}`;
  });

  const open = figures ? Object.values(figures.backlog).reduce((n, states) => n + Object.values(states).reduce((a, b) => a + b, 0), 0) : 0;
  const agents = figures ? Object.entries(figures.throughput_by_agent).sort((a, b) => b[1] - a[1]) : [];
  const charts = figures ? Object.entries(figures.processing_by_hour).sort(([a], [b]) => a.localeCompare(b)) : [];
  return (
    <>
      <h1>{t('dash.title')}</h1>
      <p class="note">
        {t('dash.window')}
        {updated && (
          <>
            {' '}
            · <span data-testid="dash-updated">{t('dash.updated', { time: updated.toLocaleTimeString(lang.value === 'fr' ? 'fr-FR' : 'en-GB') })}</span>
          </>
        )}
      </p>
      {error && <Alert>{error}</Alert>}
      {figures && (
        <>
          <dl class="tiles" data-testid="dash-tiles">
            <div>
              <dt>{t('dash.open')}</dt>
              <dd>{open}</dd>
            </div>
            <div>
              <dt>{t('dash.sla')}</dt>
              <dd>{percent(figures.sla_compliance)}</dd>
            </div>
            <div class={figures.breaches_today > 0 ? 'breached' : ''}>
              <dt>{t('dash.breaches')}</dt>
              <dd>{figures.breaches_today}</dd>
            </div>
            <div>
              <dt>{t('dash.success')}</dt>
              <dd>{percent(figures.success_rate)}</dd>
            </div>
            <div>
              <dt>{t('dash.csat')}</dt>
              <dd>
                {figures.csat.mean === null ? t('dash.none') : t('dash.csat.value', { mean: figures.csat.mean.toFixed(1), n: figures.csat.count })}
              </dd>
            </div>
          </dl>

          <h2>{t('dash.backlog')}</h2>
          <Backlog backlog={figures.backlog} />

          <h2>{t('dash.processing')}</h2>
          {charts.length === 0 ? (
            <p class="note">{t('dash.processing.empty')}</p>
          ) : (
            <div class="charts">
              {charts.map(([type, hours]) => (
                <ProcessingChart key={type} type={type} hours={hours} from={figures.from} to={figures.to} />
              ))}
            </div>
          )}

          <div class="two-cols">
            <section aria-labelledby="dash-agents">
              <h2 id="dash-agents">{t('dash.agents')}</h2>
              {agents.length === 0 ? (
                <p class="note">{t('dash.agents.empty')}</p>
              ) : (
                <table class="rows" data-testid="agents">
                  <thead>
                    <tr>
                      <th scope="col">{t('dash.agent')}</th>
                      <th scope="col">{t('dash.completed')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {agents.map(([agent, n]) => (
                      <tr>
                        <td>{agent === 'unassigned' ? t('dash.unassigned') : agent}</td>
                        <td>{n}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>
            <section aria-labelledby="dash-bulk">
              <h2 id="dash-bulk">{t('dash.bulk')}</h2>
              {figures.bulk_jobs.length === 0 ? (
                <p class="note">{t('dash.bulk.empty')}</p>
              ) : (
                <ul class="plain" data-testid="dash-bulk-jobs">
                  {figures.bulk_jobs.map((j) => (
                    <li>
                      <a href="#/bulk-jobs">{t('bulk.job', { id: j.id })}</a> <span class="badge">{humanize(j.state)}</span>{' '}
                      <progress max={Math.max(j.total_rows, 1)} value={j.done_rows} aria-label={t('bulk.progress', { done: j.done_rows, total: j.total_rows })} />{' '}
                      {t('bulk.progress', { done: j.done_rows, total: j.total_rows })}
                      {j.eta_seconds !== null ? ` · ${t('bulk.eta', { d: formatDuration(j.eta_seconds) })}` : ''}
                    </li>
                  ))}
                </ul>
              )}
            </section>
          </div>
          <p class="note">{t('dash.since', { from: formatDateTime(figures.from) })}</p>
        </>
      )}
    </>
  );
}
