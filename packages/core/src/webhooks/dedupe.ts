import { MsgkitError } from '../errors.js';

/**
 * Where a deduper remembers the event ids it has seen. The default keeps them in memory (one process);
 * implement it over Redis (`SET key 1 NX PX ttl`), a database unique key, … to share it between processes.
 */
export interface DedupeStore {
  /** Records `key` for `ttlMs` unless it is already recorded; resolves true when it was newly recorded. Must be atomic. */
  add(key: string, ttlMs: number): Promise<boolean>;
  /** Forgets `key`, so that a redelivery is handled again (used when the handler failed). */
  delete(key: string): Promise<void>;
}

/** Options of `createDeduper`. */
export interface DeduperOptions {
  /** Where seen ids are kept (default: in memory, LRU + TTL). */
  store?: DedupeStore;
  /** How long an id is remembered, in milliseconds (default 24 h: longer than providers keep redelivering). */
  ttlMs?: number;
  /** Most ids the default in-memory store keeps; the least recently seen go first (default 10 000). */
  maxEntries?: number;
  /** Clock of the in-memory store in milliseconds, for tests. */
  now?: () => number;
}

/** Tells first deliveries of an event from redeliveries, by the provider's event id. */
export interface Deduper {
  /** `'new'` the first time `key` is seen within the TTL (and records it), `'duplicate'` after that. */
  check(key: string): Promise<'new' | 'duplicate'>;
  /** Forgets `key`: call it when handling the event failed, so the provider's redelivery is handled. */
  forget(key: string): Promise<void>;
}

/** How long ids are remembered by default: 24 h. */
export const DEFAULT_DEDUPE_TTL_MS = 24 * 60 * 60 * 1000;
/** Most ids the in-memory store keeps by default. */
export const DEFAULT_DEDUPE_MAX_ENTRIES = 10_000;

function positive(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
    throw new MsgkitError(`${name} must be a positive integer, got ${JSON.stringify(value)}`);
  return value;
}

/** The default store: a `Map` in insertion (= recency) order, with expiry times; the oldest entries are evicted first. */
export function memoryDedupeStore(options: { maxEntries?: number; now?: () => number } = {}): DedupeStore {
  const maxEntries = positive(options.maxEntries, 'maxEntries', DEFAULT_DEDUPE_MAX_ENTRIES);
  const now = options.now ?? Date.now;
  const expiries = new Map<string, number>();

  function evict(time: number): void {
    for (const [key, expiresAt] of expiries) {
      if (expiries.size <= maxEntries && expiresAt > time) return;
      expiries.delete(key);
    }
  }

  return {
    async add(key, ttlMs) {
      const time = now();
      const expiresAt = expiries.get(key);
      expiries.delete(key);
      if (expiresAt !== undefined && expiresAt > time) {
        expiries.set(key, expiresAt);
        return false;
      }
      expiries.set(key, time + ttlMs);
      evict(time);
      return true;
    },
    async delete(key) {
      expiries.delete(key);
    },
  };
}

function checkKey(key: unknown): string {
  if (typeof key !== 'string' || key === '') throw new MsgkitError(`A dedupe key must be a non-empty string, got ${JSON.stringify(key)}`);
  return key;
}

/**
 * Creates a deduper keyed by the provider's event id (Olly `guid`, Ocelot `eventId`, …): a redelivered
 * event is reported as `'duplicate'` instead of being handled twice.
 */
export function createDeduper(options: DeduperOptions = {}): Deduper {
  if (options === null || typeof options !== 'object') throw new MsgkitError('createDeduper options must be an object');
  if (options.store && options.maxEntries !== undefined) throw new MsgkitError('maxEntries applies to the in-memory store only: size your own store yourself');
  const ttlMs = positive(options.ttlMs, 'ttlMs', DEFAULT_DEDUPE_TTL_MS);
  const store = options.store ?? memoryDedupeStore({ maxEntries: options.maxEntries, now: options.now });
  if (typeof store.add !== 'function' || typeof store.delete !== 'function') throw new MsgkitError('A dedupe store needs add(key, ttlMs) and delete(key)');
  return {
    async check(key) {
      return (await store.add(checkKey(key), ttlMs)) ? 'new' : 'duplicate';
    },
    async forget(key) {
      await store.delete(checkKey(key));
    },
  };
}
