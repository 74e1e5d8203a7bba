import { providerRules } from './providers/index.js';
import { freshLike } from './realistic.js';

/**
 * Per provider, the fields that identify one event (what a receiver deduplicates by, see each
 * package's README), as dotted paths (`[]` = every array item), from the package's webhook profile.
 * `webhooks trigger` and the mocks give each event fresh values, so two different events never share an id.
 */
export const EVENT_ID_FIELDS: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  Object.entries(providerRules).map(([name, { profile }]) => [name, profile.eventIdFields]),
);

/** Sets fresh values (shaped like the old ones) at `path` in `node`, in place. */
function refresh(node: unknown, path: readonly string[]): void {
  const [head, ...rest] = path;
  if (head === undefined || node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const item of node) refresh(item, path);
    return;
  }
  const record = node as Record<string, unknown>;
  const key = head.replace(/\[\]$/, '');
  if (!(key in record)) return;
  if (rest.length === 0 && !head.endsWith('[]')) record[key] = freshLike(record[key]);
  else refresh(record[key], rest);
}

/** A copy of an event payload (or batch) with fresh event ids. */
export function withFreshIds(provider: string, payload: unknown): unknown {
  const copy = structuredClone(payload);
  for (const field of EVENT_ID_FIELDS[provider] ?? []) refresh(copy, field.split('.'));
  return copy;
}

/** The event-id values of a payload (or batch), as strings, in field order. */
export function eventIds(provider: string, payload: unknown): string[] {
  const found: string[] = [];
  const collect = (node: unknown, path: readonly string[]): void => {
    const [head, ...rest] = path;
    if (head === undefined || node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const item of node) collect(item, path);
      return;
    }
    const value = (node as Record<string, unknown>)[head.replace(/\[\]$/, '')];
    if (rest.length === 0 && !head.endsWith('[]')) {
      if (value !== undefined && value !== null) found.push(String(value));
    } else collect(value, rest);
  };
  for (const field of EVENT_ID_FIELDS[provider] ?? []) collect(payload, field.split('.'));
  return found;
}
