import { UsageError } from './providers.js';

/** One `--set path=value` override. */
export interface Override {
  /** Property path: keys and array indices, e.g. `["data", "messages", 0, "id"]`. */
  path: (string | number)[];
  /** The value: JSON when it parses as JSON (`42`, `null`, `"42"`, `{"a":1}`), else the text as a string. */
  value: unknown;
}

const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor']);

/** `key`, `[0]`, then `.key`, `.0` or `[0]` steps. */
const PATH = /^(?:[^.[\]]+|\[\d+\])(?:\.[^.[\]]+|\[\d+\])*$/;

/** Splits `data.messages[0].id` (or `data.messages.0.id`, `[0].eventId`) into keys and indices. */
function parsePath(text: string, raw: string): (string | number)[] {
  if (!PATH.test(text)) throw new UsageError(`--set "${raw}": "${text}" is not a path like data.messages[0].id`);
  const parts = (text.match(/[^.[\]]+|\[\d+\]/g) ?? []).map((token) =>
    token.startsWith('[') ? Number(token.slice(1, -1)) : /^\d+$/.test(token) ? Number(token) : token,
  );
  const forbidden = parts.find((p) => typeof p === 'string' && FORBIDDEN.has(p));
  if (forbidden !== undefined) throw new UsageError(`--set "${raw}": "${forbidden}" cannot be set`);
  return parts;
}

/** Parses `path=value`. */
export function parseOverride(raw: string): Override {
  const at = raw.indexOf('=');
  if (at <= 0) throw new UsageError(`--set "${raw}" must look like path=value, e.g. --set status=SENT or --set data.messages[0].id=123`);
  const text = raw.slice(at + 1);
  let value: unknown = text;
  try {
    value = JSON.parse(text);
  } catch {
    // Not JSON: the text itself, so `--set status=SENT` needs no quotes.
  }
  return { path: parsePath(raw.slice(0, at), raw), value };
}

/** A deep copy of `payload` with the overrides applied in order; missing objects on the way are created. */
export function applyOverrides(payload: unknown, overrides: readonly Override[]): unknown {
  const copy = structuredClone(payload);
  for (const { path, value } of overrides) {
    const shown = path
      .map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`))
      .join('')
      .replace(/^\./, '');
    let node: any = copy;
    for (const [i, key] of path.entries()) {
      if (node === null || typeof node !== 'object') throw new UsageError(`--set ${shown}: ${describeParent(path, i)} is not an object or array`);
      if (typeof key === 'number' && !Array.isArray(node)) throw new UsageError(`--set ${shown}: ${describeParent(path, i)} is not an array`);
      if (typeof key === 'string' && Array.isArray(node)) throw new UsageError(`--set ${shown}: ${describeParent(path, i)} is an array; use an index`);
      if (i === path.length - 1) {
        node[key] = value;
      } else {
        if (node[key] === undefined) node[key] = typeof path[i + 1] === 'number' ? [] : {};
        node = node[key];
      }
    }
  }
  return copy;
}

function describeParent(path: (string | number)[], i: number): string {
  if (i === 0) return 'the payload';
  return `"${path
    .slice(0, i)
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`))
    .join('')
    .replace(/^\./, '')}"`;
}
