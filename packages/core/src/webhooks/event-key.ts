/** JSON text of `value` with object keys sorted at every level: equal events give equal text, whatever their key order or spacing. */
function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += `${i === 0 ? '' : ','}${canonicalJson(value[i])}`;
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  let out = '';
  for (const key of Object.keys(record).sort()) {
    const item = record[key];
    if (item !== undefined) out += `${out === '' ? '' : ','}${JSON.stringify(key)}:${canonicalJson(item)}`;
  }
  return `{${out}}`;
}

const encoder = new TextEncoder();

/** Canonical texts up to this size are hashed on the spot where the runtime can; larger ones by WebCrypto, off the main thread. */
const INLINE_HASH_BYTES = 64 * 1024;

type NodeCrypto = {
  /** One-shot hash (Node ≥ 20.12): no Hash object per call. */
  hash?: (algorithm: 'sha256', data: Uint8Array, encoding: 'hex') => string;
  createHash(algorithm: 'sha256'): { update(data: Uint8Array): { digest(encoding: 'hex'): string } };
};
type WithBuiltins = { process?: { getBuiltinModule?: (id: string) => unknown } };

/** Node's synchronous SHA-256 as hex, or undefined in runtimes without one; looked up on first use. */
let nodeSha256: ((bytes: Uint8Array) => string) | undefined | null = null;

/**
 * `node:crypto` through `process.getBuiltinModule` (Node ≥ 20.16): no import, so every runtime loads this file. A
 * WebCrypto digest is a round trip to another thread, which costs more than hashing one small event here.
 */
function inlineSha256(): ((bytes: Uint8Array) => string) | undefined {
  if (nodeSha256 === null) {
    const crypto = (globalThis as WithBuiltins).process?.getBuiltinModule?.('node:crypto') as NodeCrypto | undefined;
    const { hash, createHash } = crypto ?? {};
    if (typeof hash === 'function') nodeSha256 = (bytes) => hash('sha256', bytes, 'hex');
    else if (typeof createHash === 'function') nodeSha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
    else nodeSha256 = undefined;
  }
  return nodeSha256;
}

/**
 * A canonical dedupe key for a parsed event of a provider that sends no event id (Amio, Volly): the hex SHA-256
 * of the event's canonical JSON. It is derived from the event itself, so re-encoded signature headers, changed
 * whitespace or key order of a replayed delivery give the same key.
 */
export async function eventKey(event: unknown): Promise<string> {
  const bytes = encoder.encode(canonicalJson(event));
  const inline = bytes.byteLength <= INLINE_HASH_BYTES ? inlineSha256() : undefined;
  if (inline) return `sha256:${inline(bytes)}`;
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes));
  let hex = '';
  for (const byte of digest) hex += byte.toString(16).padStart(2, '0');
  return `sha256:${hex}`;
}
