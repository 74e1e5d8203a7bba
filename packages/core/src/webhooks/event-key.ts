/** JSON text of `value` with object keys sorted at every level: equal events give equal text, whatever their key order or spacing. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * A canonical dedupe key for a parsed event of a provider that sends no event id (Amio, Volly): the hex SHA-256
 * of the event's canonical JSON. It is derived from the event itself, so re-encoded signature headers, changed
 * whitespace or key order of a replayed delivery give the same key.
 */
export async function eventKey(event: unknown): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonicalJson(event)));
  let hex = '';
  for (const byte of new Uint8Array(digest)) hex += byte.toString(16).padStart(2, '0');
  return `sha256:${hex}`;
}
