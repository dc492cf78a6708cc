// A request's receipt, reached from the acknowledgement email or a request's card:
// <portal>#receipt=<token>. No sign-in: the token is the proof (POST /v1/receipts/check; the
// fragment never reaches a server's logs). The page shows what was asked and when, then checks
// in the browser, with verify.ts, that the entry which recorded the filing is in the company's
// audit log under a signed checkpoint: the customer need not take the server's word for it.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, type ReceiptCheck } from '../shared/api';
import { formatDateTime, humanize, t } from '../shared/i18n';
import { Alert } from '../shared/ui';
import { verifyEntry } from '../shared/verify';

// The token of a `#receipt=<token>` address, or null.
export function receiptToken(hash: string): string | null {
  const m = /^#receipt=([A-Za-z0-9_.-]{1,256})$/.exec(hash);
  return m ? m[1] : null;
}

type Verdict = { kind: 'running' | 'pending' | 'ok' | 'bad'; text: string };

async function verdictOf(check: ReceiptCheck): Promise<Verdict> {
  const { receipt, proof, checkpoint } = check;
  if (!proof || !checkpoint) return { kind: 'pending', text: t('receipt.pending') };
  const out = await verifyEntry(receipt.tenant_id, { id: receipt.audit_entry_id, leaf_hash: receipt.leaf_hash }, proof, checkpoint);
  if (!out.ok) return { kind: 'bad', text: t(`verify.${out.failed}`) };
  return { kind: 'ok', text: t('receipt.ok', { n: proof.leaf_index + 1, size: out.treeSize, t: formatDateTime(checkpoint.created_at) }) };
}

export function Receipt({ token }: { token: string }) {
  const [check, setCheck] = useState<ReceiptCheck | null>(null);
  const [verdict, setVerdict] = useState<Verdict>({ kind: 'running', text: t('verify.running') });
  const [error, setError] = useState('');

  async function load() {
    setError('');
    setVerdict({ kind: 'running', text: t('verify.running') });
    try {
      const c = await api<ReceiptCheck>('POST', '/v1/receipts/check', { token });
      setCheck(c);
      setVerdict(await verdictOf(c));
    } catch (e) {
      setError(e instanceof ApiError && e.status === 401 ? t('receipt.unknown') : t('error.generic', { detail: (e as Error).message }));
    }
  }
  useEffect(() => {
    load();
  }, [token]);

  if (error) {
    return (
      <div class="card">
        <h1>{t('receipt.title')}</h1>
        <Alert>{error}</Alert>
      </div>
    );
  }
  if (!check) return <p role="status">{t('verify.running')}</p>;
  const r = check.receipt;
  const type = t(`type.${r.request_type}`) === `type.${r.request_type}` ? humanize(r.request_type) : t(`type.${r.request_type}`);
  return (
    <div class="card" data-testid="receipt">
      <h1>{t('receipt.title')}</h1>
      <dl class="receipt">
        <dt>{t('receipt.reference')}</dt>
        <dd data-testid="receipt-reference">{r.reference}</dd>
        <dt>{t('receipt.asked')}</dt>
        <dd>{type}</dd>
        <dt>{t('receipt.filed')}</dt>
        <dd>
          <time dateTime={r.filed_at}>{formatDateTime(r.filed_at)}</time>
        </dd>
        <dt>{t('receipt.leaf')}</dt>
        <dd>
          <code class="hash">{r.leaf_hash}</code>
        </dd>
      </dl>
      <p class={`verify-result ${verdict.kind}`} role="status" data-testid="receipt-verdict">
        {verdict.text}
      </p>
      {verdict.kind === 'pending' && (
        <button type="button" class="secondary" onClick={load}>
          {t('receipt.again')}
        </button>
      )}
      <p class="note">{t('receipt.explain')}</p>
    </div>
  );
}
