// Calls to Switchboard's JSON API from the browser: same origin, the session cookie, and the
// CSRF token and an Idempotency-Key on every write (a retry of one action reuses its key, so
// the server replays its answer instead of acting twice). A problem answer (application/problem+json) becomes an ApiError
// carrying its code, detail and the field it names.

const CSRF_KEY = 'sb.csrf';

export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    public detail: string,
    public param?: string,
    // The whole problem answer, for problems that carry more (e.g. a bulk upload's rows).
    public body?: Record<string, unknown>,
  ) {
    super(detail || code);
  }
}

export function setCsrfToken(token: string | null): void {
  if (token) sessionStorage.setItem(CSRF_KEY, token);
  else sessionStorage.removeItem(CSRF_KEY);
}

// A fresh key for one write the user asks for: 24 random letters (about 112 bits). Letters
// only, because the server refuses any header that reads as a card number, and a UUID's digit
// groups now and then do (8-4-4 digits that pass the Luhn check: a browser test met one).
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return 'ui-' + Array.from(bytes, (b) => String.fromCharCode(97 + (b % 26))).join('');
}

export interface CallOptions {
  // The write's Idempotency-Key; a new one when unset.
  key?: string;
  // More headers: X-Reason, X-Comment, a body's own Content-Type.
  headers?: Record<string, string>;
  // The body as sent (YAML text, a CSV file), instead of `body` as JSON; give its
  // Content-Type in `headers`.
  raw?: BodyInit;
}

export async function api<T>(method: string, path: string, body?: unknown, opts: CallOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD') {
    const csrf = sessionStorage.getItem(CSRF_KEY);
    if (csrf) headers['X-CSRF-Token'] = csrf;
    headers['Idempotency-Key'] = opts.key ?? newIdempotencyKey();
  }
  Object.assign(headers, opts.headers ?? {});
  const res = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: opts.raw !== undefined ? opts.raw : body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const data = text ? JSON.parse(text) : null;
  if (!res.ok) {
    throw new ApiError(res.status, data?.code ?? 'error', data?.detail ?? res.statusText, data?.param, data ?? undefined);
  }
  return data as T;
}

export interface Page<T> {
  data: T[];
  has_more: boolean;
  next_cursor: string | null;
}

export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

// The API's shapes this UI reads (api/openapi.yaml has them in full).
export interface Sla {
  status: string;
  due_at: string | null;
  at_risk_at: string | null;
  paused: boolean;
  time_left_seconds?: number | null;
}
export interface Actor {
  type: string;
  id: string;
  role?: string | null;
}
export interface Request {
  id: string;
  account_id: string;
  service_id: string | null;
  type: string;
  origin: string;
  channel: string;
  state: string;
  priority: string;
  reason_code: string;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
  due_at: string | null;
  sla: Sla;
  assignee: string | null;
  checks: CheckResult[] | null;
  history: { state: string; at: string }[];
  actor?: Actor;
  comment?: string;
  result?: { offers_pending?: Offer[]; offer?: { code: string; accepted: boolean } } | null;
  decisions?: { actor: Actor; decision: string; reason_code: string; comment: string; at: string }[];
  comments?: { actor: Actor; text: string; at: string; sentiment?: Sentiment | null }[];
}
export interface CheckResult {
  kind: string;
  passed: boolean;
  detail: string;
  party?: string;
  waits_for?: string;
}
// A write's answer about a request: the request as it is (or would be, for a dry run) and
// the requests it started.
export interface RequestOutcome extends Request {
  dry_run: boolean;
  follow_ups: Request[];
}
export interface CheckSpec {
  kind: string;
  level?: number;
  max_age_minutes?: number;
  min_kyc_level?: number;
  party?: string;
  window_days?: number;
  max_count?: number;
  role?: string;
  maker_checker?: boolean;
}
// What the pack in force says of one request type (GET /v1/policy-pack/request-types).
export interface TypePolicy {
  type: string;
  people_only: boolean;
  reason_codes: string[];
  checks: CheckSpec[];
  auto_approve: 'always' | 'never' | 'when_checks_pass';
  approval_role: string | null;
  fee_minor: number;
  currency: string | null;
  offers: { code: string; description: string; discount_percent: number; duration_months: number }[];
}
export interface Hold {
  id: string;
  service_id: string | null;
  hold_type: string;
  state: string;
  reason_code: string;
  comment: string;
  placed_at: string;
  expires_at: string | null;
}
export interface Service {
  id: string;
  plan: string;
  status: string;
}
export interface Offer {
  code: string;
  description: string;
  discount_percent: number;
  duration_months: number;
}
export interface NotificationPreferences {
  locale: string;
  time_zone: string;
  opt_out: string[];
  marketing_consent: boolean;
  marketing_consent_at: string | null;
}
export interface Account {
  id: string;
  external_ref: string;
  status: string;
  lifecycle: string;
  name: string | null;
  services: Service[];
  active_holds: Hold[];
  version: number;
  notification_preferences?: NotificationPreferences;
}
// The sentiment of a comment (docs/SENTIMENT.md).
export interface Sentiment {
  polarity: number;
  frustration: number;
  label: 'positive' | 'neutral' | 'negative';
  angry: boolean;
  lexicon_version: string;
}
export interface AuditEntry {
  id: string;
  category: string;
  action: string;
  actor: Actor;
  channel: string;
  reason_code: string;
  request_id: string;
  created_at: string;
  leaf_index: number | null;
  leaf_hash: string | null;
}
export interface TimelineItem {
  at: string;
  kind: 'request' | 'audit_entry';
  id: string;
  request?: Request;
  audit_entry?: AuditEntry;
  notification?: { channel?: string; notification?: string; state?: string };
}
export interface WhoAmI {
  tenant_id: string;
  actor_type: string;
  user_id: string | null;
  role: string | null;
}
export interface Checkpoint {
  tree_size: number;
  root_hash: string;
  created_at: string;
  key_id: string;
  signature: string;
  public_key: string;
}
export interface InclusionProof {
  entry_id: string;
  leaf_index: number;
  tree_size: number;
  leaf_hash: string;
  audit_path: string[];
  root_hash: string;
}
export interface Receipt {
  tenant_id: string;
  reference: string;
  request_type: string;
  channel: string;
  filed_at: string;
  audit_entry_id: string;
  leaf_hash: string;
  token?: string;
  url?: string | null;
}
export interface ReceiptCheck {
  receipt: Receipt;
  proof: InclusionProof | null;
  checkpoint: Checkpoint | null;
}
export interface BulkJob {
  id: string;
  state: 'loading' | 'running' | 'paused' | 'cancelled' | 'completed';
  format: string;
  total_rows: number;
  done_rows: number;
  applied_rows: number;
  failed_rows: number;
  skipped_rows: number;
  cancelled_rows: number;
  remaining_rows: number;
  rows_per_second: number;
  eta_seconds: number | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}
export interface BulkPlan {
  dry_run: boolean;
  rows: number;
  plan: { row: number; account_id: string; type: string; action: string }[];
  plan_truncated: boolean;
}
export interface HourlyProcessing {
  hour: string;
  completed: number;
  p50_seconds: number | null;
  p95_seconds: number | null;
}
// GET /v1/kpis/dashboard: the last 24 hours and the backlog now.
export interface Dashboard {
  from: string;
  to: string;
  backlog: Record<string, Record<string, number>>;
  sla_compliance: number | null;
  breaches_today: number;
  success_rate: number | null;
  processing_by_hour: Record<string, HourlyProcessing[]>;
  throughput_by_agent: Record<string, number>;
  csat: { mean: number | null; count: number };
  bulk_jobs: {
    id: string;
    state: string;
    total_rows: number;
    done_rows: number;
    failed_rows: number;
    remaining_rows: number;
    rows_per_second: number;
    eta_seconds: number | null;
  }[];
}
// GET /v1/staff: who may be given work.
export interface StaffMember {
  id: string;
  name: string;
  role: string;
  team: string | null;
}
