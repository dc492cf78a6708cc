// Filing any request type from the account page. The form is the pack in force's
// (GET /v1/policy-pack/request-types): its types, each type's reason codes, and the checks
// that will run, shown before anything is sent. A dry run (POST /v1/requests?dry_run=true)
// previews exactly what the filing would do; the real submit is offered only for the inputs
// previewed, and reuses one Idempotency-Key so a double click files once.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, newIdempotencyKey, type Account, type CheckSpec, type RequestOutcome, type TypePolicy } from '../shared/api';
import { humanize, t } from '../shared/i18n';
import { Alert } from '../shared/ui';
import { VerifyCustomer } from './verify_customer';

const PRIORITIES = ['normal', 'low', 'high', 'urgent'];

// The payload fields a type takes, as an example the agent edits (types not listed take none).
const PAYLOAD_EXAMPLES: Record<string, string> = {
  suspension: '{"hold_type": "voluntary_pause"}',
  plan_change: '{"plan_code": "mobile_plus"}',
  personal_info_update: '{"name": "", "email": "", "phone": "", "address": ""}',
};

interface Draft {
  type: string;
  reason: string;
  service: string;
  priority: string;
  payload: string;
  comment: string;
}

// One check of the pack, in words; an approval check without its own role is the type's
// `approvalRole`'s (the server's default: admin).
export function describeCheck(c: CheckSpec, approvalRole: string | null = null): string {
  const params: Record<string, string | number> = {
    level: c.level ?? c.min_kyc_level ?? '',
    hours: c.max_age_minutes ? Math.round((c.max_age_minutes / 60) * 10) / 10 : '',
    role: humanize(c.role ?? approvalRole ?? 'admin'),
    count: c.max_count ?? '',
    days: c.window_days ?? '',
  };
  let text = t(`check.${c.kind}`, params);
  if (c.kind === 'identity_verified' && c.party === 'new_owner') text += ` (${t('check.new_owner')})`;
  if (c.kind === 'approval' && c.maker_checker !== false) text += ` · ${t('check.maker_checker')}`;
  return text;
}

function Choice(p: { id: string; label: string; value: string; options: [string, string][]; invalid?: boolean; onChange: (v: string) => void }) {
  return (
    <div class="field">
      <label for={p.id}>{p.label}</label>
      <select id={p.id} value={p.value} aria-invalid={p.invalid ? 'true' : undefined} onChange={(e) => p.onChange((e.currentTarget as HTMLSelectElement).value)}>
        {p.options.map(([v, label]) => (
          <option value={v}>{label}</option>
        ))}
      </select>
    </div>
  );
}

function Preview({ out }: { out: RequestOutcome }) {
  const checks = out.checks ?? [];
  return (
    <section class="preview" aria-labelledby="preview-title" data-testid="preview">
      <h3 id="preview-title">{t('file.preview.title')}</h3>
      <p data-testid="preview-state">{t('file.preview.state', { state: humanize(out.state) })}</p>
      {out.state === 'awaiting_approval' && <p class="warn">{t('file.preview.approval')}</p>}
      {checks.length > 0 && (
        <ul class="plain checks">
          {checks.map((c) => (
            <li class={c.passed ? 'ok' : 'bad'}>
              <strong>{c.passed ? t('file.check.met') : t('file.check.unmet')}</strong> {t(`checkname.${c.kind}`)}
              {c.detail ? ` · ${c.detail}` : ''}
              {c.waits_for ? ` · ${t('file.check.waits', { state: humanize(c.waits_for) })}` : ''}
            </li>
          ))}
        </ul>
      )}
      {out.follow_ups.length > 0 && (
        <p>
          {t('file.preview.followups')} {out.follow_ups.map((f) => `${humanize(f.type)} (${humanize(f.state)})`).join(', ')}
        </p>
      )}
    </section>
  );
}

export function FileRequest({ account, onFiled }: { account: Account; onFiled: () => void }) {
  const [types, setTypes] = useState<TypePolicy[]>([]);
  const [draft, setDraft] = useState<Draft>({ type: '', reason: '', service: '', priority: 'normal', payload: '', comment: '' });
  const [preview, setPreview] = useState<{ out: RequestOutcome; key: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ text: string; param?: string } | null>(null);
  const [filed, setFiled] = useState<string>('');

  useEffect(() => {
    api<{ data: TypePolicy[] }>('GET', '/v1/policy-pack/request-types')
      .then((list) => {
        setTypes(list.data);
        const first = list.data.find((p) => p.type === 'reconnection') ?? list.data[0];
        if (first) setDraft((d) => ({ ...d, type: first.type, reason: first.reason_codes[0] ?? '', service: account.services[0]?.id ?? '' }));
      })
      .catch((e) => setError({ text: t('error.generic', { detail: (e as Error).message }) }));
  }, [account.id]);

  const policy = types.find((p) => p.type === draft.type);
  function change(patch: Partial<Draft>) {
    setDraft((d) => {
      const next = { ...d, ...patch };
      if (patch.type) {
        const p = types.find((x) => x.type === patch.type);
        next.reason = p?.reason_codes[0] ?? '';
        next.payload = PAYLOAD_EXAMPLES[patch.type] ?? '';
      }
      return next;
    });
    setPreview(null);
    setFiled('');
    setError(null);
  }

  async function send(dryRun: boolean) {
    setBusy(true);
    setError(null);
    try {
      let payload: unknown;
      if (draft.payload.trim()) {
        try {
          payload = JSON.parse(draft.payload);
        } catch {
          setError({ text: t('file.payload.bad'), param: 'payload' });
          return;
        }
      }
      const body: Record<string, unknown> = { type: draft.type, account_id: account.id, priority: draft.priority };
      if (draft.service) body.service_id = draft.service;
      if (payload !== undefined) body.payload = payload;
      const headers: Record<string, string> = { 'X-Reason': draft.reason };
      if (draft.comment) headers['X-Comment'] = draft.comment;
      const key = dryRun ? newIdempotencyKey() : preview!.key;
      const out = await api<RequestOutcome>('POST', `/v1/requests${dryRun ? '?dry_run=true' : ''}`, body, { key, headers });
      if (dryRun) setPreview({ out, key });
      else {
        setPreview(null);
        setFiled(t('file.filed', { id: out.id, state: humanize(out.state) }));
        onFiled();
      }
    } catch (e) {
      if (e instanceof ApiError) setError({ text: t('file.refused', { detail: e.detail }), param: e.param });
      else setError({ text: t('error.generic', { detail: (e as Error).message }) });
    } finally {
      setBusy(false);
    }
  }

  // The field a refusal names: the payload's own fields mark the details box.
  const invalid = (field: string) => {
    const param = error?.param ?? '';
    const named = field === 'payload' ? param === 'payload' || param.startsWith('payload.') : param === field;
    return named ? 'true' : undefined;
  };
  return (
    <section aria-labelledby="file-title" class="file-request">
      <h2 id="file-title">{t('file.title')}</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          send(true);
        }}
      >
        <div class="filters">
          <Choice id="file-type" label={t('file.type')} value={draft.type} options={types.map((p) => [p.type, humanize(p.type)])} onChange={(v) => change({ type: v })} />
          <Choice id="file-reason" label={t('file.reason')} value={draft.reason} options={(policy?.reason_codes ?? []).map((c) => [c, humanize(c)])} invalid={!!invalid('X-Reason')} onChange={(v) => change({ reason: v })} />
          <Choice
            id="file-service"
            label={t('file.service')}
            value={draft.service}
            options={[['', t('file.service.none')] as [string, string]].concat(account.services.map((s) => [s.id, `${s.plan} · ${humanize(s.status)}`]))}
            invalid={!!invalid('service_id')}
            onChange={(v) => change({ service: v })}
          />
          <Choice id="file-priority" label={t('file.priority')} value={draft.priority} options={PRIORITIES.map((p) => [p, humanize(p)])} onChange={(v) => change({ priority: v })} />
        </div>
        {policy && (
          <div class="checks-up-front" data-testid="checks-up-front">
            <h3>{t('file.checks.title')}</h3>
            {policy.checks.length === 0 ? (
              <p>{t('file.checks.none')}</p>
            ) : (
              <ul>
                {policy.checks.map((c) => (
                  <li>{describeCheck(c, policy.approval_role)}</li>
                ))}
              </ul>
            )}
            <p>
              {policy.auto_approve === 'never'
                ? t('file.approval.always', { role: humanize(policy.approval_role ?? 'admin') })
                : policy.auto_approve === 'always'
                  ? t('file.approval.never')
                  : t('file.approval.checks')}
              {policy.fee_minor > 0 ? ` ${t('file.fee', { amount: (policy.fee_minor / 100).toFixed(2), currency: policy.currency ?? '' })}` : ''}
            </p>
          </div>
        )}
        <div class="field">
          <label for="file-payload">{t('file.payload')}</label>
          <textarea id="file-payload" rows={2} spellcheck={false} value={draft.payload} aria-invalid={invalid('payload')} aria-describedby="file-payload-hint" onInput={(e) => change({ payload: (e.currentTarget as HTMLTextAreaElement).value })} />
          <p id="file-payload-hint" class="note">
            {t('file.payload.hint')}
          </p>
        </div>
        <div class="field">
          <label for="file-comment">{t('file.comment')}</label>
          <input id="file-comment" value={draft.comment} onInput={(e) => change({ comment: (e.currentTarget as HTMLInputElement).value })} />
        </div>
        {error && <Alert>{error.text}</Alert>}
        <div class="actions">
          <button type="submit" class="secondary" disabled={busy || !policy}>
            {t('file.preview')}
          </button>
          <button type="button" disabled={busy || !preview} onClick={() => send(false)} aria-describedby={preview ? undefined : 'file-submit-hint'}>
            {t('file.submit')}
          </button>
          {!preview && (
            <span id="file-submit-hint" class="note">
              {t('file.submit.hint')}
            </span>
          )}
        </div>
      </form>
      {preview && <Preview out={preview.out} />}
      <p role="status" data-testid="file-status">
        {filed}
      </p>
      <VerifyCustomer account={account} />
    </section>
  );
}
