// Checks an audit entry's inclusion proof against the tenant's signed checkpoint in the
// browser, with WebCrypto only: SHA-256 for the Merkle path (RFC 9162, section 2.1.3.2) and
// Ed25519 for the checkpoint's signature over its signed-note text (the same bytes as
// CheckpointSignedBytes in src/domain/audit_entry.cc).

import type { AuditEntry, Checkpoint, InclusionProof } from './api';

export type VerifyStep = 'leaf' | 'path' | 'signature';
export interface VerifyOutcome {
  ok: boolean;
  failed?: VerifyStep;
  treeSize: number;
  keyId: string;
}

export function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

async function nodeHash(left: Uint8Array, right: Uint8Array): Promise<Uint8Array> {
  const buf = new Uint8Array(1 + left.length + right.length);
  buf[0] = 1;
  buf.set(left, 1);
  buf.set(right, 1 + left.length);
  return new Uint8Array(await crypto.subtle.digest('SHA-256', buf));
}

// The root an inclusion path leads to, or null when the path cannot be one for this index
// and size.
export async function rootFromPath(
  index: number,
  size: number,
  leaf: Uint8Array,
  path: Uint8Array[],
): Promise<Uint8Array | null> {
  if (index >= size) return null;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  const half = (n: number) => Math.floor(n / 2);
  for (const p of path) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = await nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 ? r : null;
}

function escapeNote(text: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(text)) {
    if (byte === 0x25 || byte < 0x21 || byte === 0x7f) out += '%' + byte.toString(16).toUpperCase().padStart(2, '0');
    else out += String.fromCharCode(byte);
  }
  return out;
}

export function checkpointText(tenantId: string, cp: Checkpoint): string {
  return (
    `switchboard.audit/v1 ${escapeNote(tenantId)}\n${cp.tree_size}\n${cp.root_hash}\n` +
    `time ${Date.parse(cp.created_at)}\nkey ${escapeNote(cp.key_id)}\n`
  );
}

export async function verifyEntry(
  tenantId: string,
  entry: Pick<AuditEntry, 'id' | 'leaf_hash'>,
  proof: InclusionProof,
  cp: Checkpoint,
): Promise<VerifyOutcome> {
  const base = { treeSize: cp.tree_size, keyId: cp.key_id };
  if (!entry.leaf_hash || proof.leaf_hash !== entry.leaf_hash || proof.entry_id !== entry.id) {
    return { ok: false, failed: 'leaf', ...base };
  }
  const root = await rootFromPath(
    proof.leaf_index,
    cp.tree_size,
    fromBase64(proof.leaf_hash),
    proof.audit_path.map(fromBase64),
  );
  if (!root || proof.tree_size !== cp.tree_size || !equal(root, fromBase64(cp.root_hash))) {
    return { ok: false, failed: 'path', ...base };
  }
  const key = await crypto.subtle.importKey('raw', fromBase64(cp.public_key), { name: 'Ed25519' }, false, ['verify']);
  const signed = await crypto.subtle.verify(
    { name: 'Ed25519' },
    key,
    fromBase64(cp.signature),
    new TextEncoder().encode(checkpointText(tenantId, cp)),
  );
  return signed ? { ok: true, ...base } : { ok: false, failed: 'signature', ...base };
}
