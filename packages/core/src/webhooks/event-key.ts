import { INLINE_HASH_BYTES, nodeCrypto } from './node-crypto.js';

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

/**
 * A canonical dedupe key for a parsed event of a provider that sends no event id (Amio, Volly): the hex SHA-256
 * of the event's canonical JSON. It is derived from the event itself, so re-encoded signature headers, changed
 * whitespace or key order of a replayed delivery give the same key.
 */
export async function eventKey(event: unknown): Promise<string> {
  const text = canonicalJson(event);
  // Node hashes the text as its UTF-8 bytes, as WebCrypto below hashes the encoded text: no copy to encode first.
  const crypto = text.length <= INLINE_HASH_BYTES ? nodeCrypto() : undefined;
  if (crypto) return `sha256:${crypto.hash ? crypto.hash('sha256', text, 'hex') : crypto.createHash('sha256').update(text).digest('hex')}`;
  const bytes = encoder.encode(text);
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes));
  let hex = '';
  for (const byte of digest) hex += byte.toString(16).padStart(2, '0');
  return `sha256:${hex}`;
}
