import { MsgkitError } from '../errors.js';

/** What `DedupeStore.claim` found: the key is now yours (with the token that proves it), being handled elsewhere, or handled. */
export type DedupeClaim = { status: 'claimed'; token: string } | { status: 'in-flight' } | { status: 'done' };

/**
 * Where a deduper keeps the state of each event key. The default keeps it in memory (one process);
 * implement it over Redis (`SET key inflight:<token> NX PX lease`, Lua compare-and-set / compare-and-delete),
 * a database unique key, … to share it between processes.
 */
export interface DedupeStore {
  /** Atomically claims `key` for handling for `leaseMs` (a handler still running after that may be redelivered). */
  claim(key: string, leaseMs: number): Promise<DedupeClaim>;
  /** Marks the claim held with `token` as handled; the key is then remembered as done for `ttlMs`. No-op when the token no longer holds it. */
  complete(key: string, token: string, ttlMs: number): Promise<void>;
  /** Drops the claim held with `token` (handling failed) so a redelivery is handled again. No-op when the token no longer holds it. */
  release(key: string, token: string): Promise<void>;
}

/** Options of `createDeduper`. */
export interface DeduperOptions {
  /** Where event keys are kept (default: in memory, LRU + TTL, one process). */
  store?: DedupeStore;
  /** How long a handled key is remembered, in milliseconds (default 24 h: longer than providers keep redelivering). */
  ttlMs?: number;
  /** How long a claim lasts while its handler runs, in milliseconds (default 5 min); a handler running longer may see its event redelivered. */
  leaseMs?: number;
  /** How long a duplicate of an in-flight event waits for that handling before answering 503 + Retry-After (default 10 s). */
  waitMs?: number;
  /** Most keys the default in-memory store keeps; the least recently seen go first (default 10 000). */
  maxEntries?: number;
  /** Clock of the in-memory store in milliseconds, for tests. */
  now?: () => number;
}

/** What `Deduper.run` did: handled the event now (with the handler's result), or found it already handled. */
export type DedupeOutcome<T> = { status: 'handled'; value: T } | { status: 'duplicate' };

/** Runs a handler once per event key, however many copies of the event arrive, concurrently or later. */
export interface Deduper {
  /**
   * Runs `handle` unless the event `key` was already handled: resolves `handled` after it succeeded (the key is then
   * done), `duplicate` when another delivery handled it. A copy arriving while another copy is handled waits for that
   * outcome. Rejects with the handler's error (the key is released for the redelivery), a `DedupeInFlightError` (answer
   * 503 + Retry-After) or a `DedupeStoreError` (answer 5xx).
   */
  run<T>(key: string, handle: () => T | Promise<T>): Promise<DedupeOutcome<T>>;
}

/** A copy of an event that another delivery is still handling (or failed handling): answer a retryable 503 with `Retry-After`. */
export class DedupeInFlightError extends MsgkitError {
  override name = 'DedupeInFlightError';
  /** Seconds after which a redelivery makes sense. */
  readonly retryAfterSeconds: number;

  constructor(message: string, retryAfterSeconds: number) {
    super(message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** The dedupe store failed: nothing is known about the event, so answer a retryable 5xx. */
export class DedupeStoreError extends MsgkitError {
  override name = 'DedupeStoreError';
}

/** How long handled keys are remembered by default: 24 h. */
export const DEFAULT_DEDUPE_TTL_MS = 24 * 60 * 60 * 1000;
/** How long a claim lasts by default while its handler runs: 5 min. */
export const DEFAULT_DEDUPE_LEASE_MS = 5 * 60 * 1000;
/** How long a duplicate waits by default for the copy in flight: 10 s, below common provider timeouts. */
export const DEFAULT_DEDUPE_WAIT_MS = 10_000;
/** Most keys the in-memory store keeps by default. */
export const DEFAULT_DEDUPE_MAX_ENTRIES = 10_000;

function positive(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
    throw new MsgkitError(`${name} must be a positive integer, got ${JSON.stringify(value)}`);
  return value;
}

/** A key of the in-memory store claimed for handling. */
interface Entry {
  readonly key: string;
  /** Proves the claim: the public store hands it out as a string. */
  readonly token: number;
  /** When the lease ends. */
  readonly expiresAt: number;
  /** While an async handler of this process runs under the claim: its outcome, which copies arriving meanwhile wait for. */
  handling: Promise<unknown> | undefined;
}

/**
 * The in-memory store's synchronous core. `createDeduper` calls it directly when its store is a
 * `memoryDedupeStore` (no promise per step); the public `DedupeStore` methods wrap it.
 */
interface MemoryCore {
  /** The entry now claimed by the caller, or the state of a key held by others. */
  claim(key: string, leaseMs: number): Entry | 'in-flight' | 'done';
  /** Marks a claimed entry's key done for `ttlMs`, unless the entry no longer holds it. */
  complete(entry: Entry, ttlMs: number): void;
  /** Drops a claimed entry, unless it no longer holds its key. */
  release(entry: Entry): void;
  /** The entry holding `key` in flight with `token`. */
  held(key: string, token: string): Entry | undefined;
  /** The outcome of the async handler of this process that holds `key` in flight, if one does. */
  handling(key: string): Promise<unknown> | undefined;
}

/** The synchronous core of every store `memoryDedupeStore` made, found by the store object itself. */
const memoryCores = new WeakMap<DedupeStore, MemoryCore>();

/**
 * The default store: a `Map` in recency order (a key seen again is deleted and set again, so it moves to the end).
 * Eviction takes the first key through one long-lived iterator, which steps over each deleted slot once
 * (a fresh iterator would walk every hole at the front again), so every operation is O(1) amortised, whatever
 * `maxEntries` is. A claimed key maps to its `Entry`; a handled key to a number, the end of its TTL in
 * milliseconds after the store was made: a small integer that V8 keeps in the map itself, so the many keys
 * remembered as done cost the garbage collector no object each.
 */
export function memoryDedupeStore(options: { maxEntries?: number; now?: () => number } = {}): DedupeStore {
  const maxEntries = positive(options.maxEntries, 'maxEntries', DEFAULT_DEDUPE_MAX_ENTRIES);
  const now = options.now ?? Date.now;
  const origin = now();
  const entries = new Map<string, Entry | number>();
  /** Everything before it was evicted or deleted; made when first needed, and again once it ran out. */
  let oldest: Iterator<string> | undefined;
  let tokens = 0;

  /** Makes `key` the most recently seen (`known`: it is in the map), evicting the least recently seen past `maxEntries`. */
  function put(key: string, value: Entry | number, known: boolean): void {
    if (known) entries.delete(key);
    entries.set(key, value);
    while (entries.size > maxEntries) {
      let next = oldest?.next();
      if (!next || next.done) {
        oldest = entries.keys();
        next = oldest.next();
      }
      entries.delete(next.value as string);
    }
  }

  /** The entry holding `key` in flight, if one does (expired or not). */
  const claimed = (key: string) => {
    const value = entries.get(key);
    return typeof value === 'object' ? value : undefined;
  };

  const core: MemoryCore = {
    claim(key, leaseMs) {
      const time = now();
      const value = entries.get(key);
      if (value !== undefined && (typeof value === 'number' ? value > time - origin : value.expiresAt > time)) {
        put(key, value, true);
        return typeof value === 'number' ? 'done' : 'in-flight';
      }
      const fresh: Entry = { key, token: ++tokens, expiresAt: time + leaseMs, handling: undefined };
      put(key, fresh, value !== undefined);
      return fresh;
    },
    complete(entry, ttlMs) {
      // Set in place: the key keeps its place in the recency order.
      if (entries.get(entry.key) === entry) entries.set(entry.key, now() - origin + ttlMs);
    },
    release(entry) {
      if (entries.get(entry.key) === entry) entries.delete(entry.key);
    },
    handling: (key) => claimed(key)?.handling,
    held(key, token) {
      const entry = claimed(key);
      return entry && String(entry.token) === token ? entry : undefined;
    },
  };
  const store: DedupeStore = {
    async claim(key, leaseMs) {
      const claim = core.claim(key, leaseMs);
      return typeof claim === 'string' ? { status: claim } : { status: 'claimed', token: String(claim.token) };
    },
    async complete(key, token, ttlMs) {
      const entry = core.held(key, token);
      if (entry) core.complete(entry, ttlMs);
    },
    async release(key, token) {
      const entry = core.held(key, token);
      if (entry) core.release(entry);
    },
  };
  memoryCores.set(store, core);
  return store;
}

function checkKey(key: unknown): string {
  if (typeof key !== 'string' || key === '') throw new MsgkitError(`A dedupe key must be a non-empty string, got ${JSON.stringify(key)}`);
  return key;
}

function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as PromiseLike<T>).then === 'function';
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const storeFailed = (what: string, cause: unknown) => new DedupeStoreError(`The dedupe store failed to ${what}`, { cause });
const ignore = () => {};

/**
 * Creates a deduper keyed by a canonical event key (Olly `guid`, Ocelot `eventId`, or `eventKey(event)` for
 * providers without an event id): `run(key, handle)` handles each event once, however its copies arrive.
 */
export function createDeduper(options: DeduperOptions = {}): Deduper {
  if (options === null || typeof options !== 'object') throw new MsgkitError('createDeduper options must be an object');
  if (options.store && options.maxEntries !== undefined) throw new MsgkitError('maxEntries applies to the in-memory store only: size your own store yourself');
  const ttlMs = positive(options.ttlMs, 'ttlMs', DEFAULT_DEDUPE_TTL_MS);
  const leaseMs = positive(options.leaseMs, 'leaseMs', DEFAULT_DEDUPE_LEASE_MS);
  const waitMs = positive(options.waitMs, 'waitMs', DEFAULT_DEDUPE_WAIT_MS);
  const store = options.store ?? memoryDedupeStore({ maxEntries: options.maxEntries, now: options.now });
  if (typeof store.claim !== 'function' || typeof store.complete !== 'function' || typeof store.release !== 'function') {
    throw new MsgkitError('A dedupe store needs claim(key, leaseMs), complete(key, token, ttlMs) and release(key, token)');
  }
  const retryAfter = Math.max(1, Math.ceil(waitMs / 1000));
  /** Handlings in flight in this process under a store other than the in-memory one, by key: copies arriving meanwhile wait for them instead of polling the store. */
  const running = new Map<string, Promise<unknown>>();

  /** Runs the handler under our claim: complete on success; on failure release only our own claim (the token). */
  async function settle<T>(key: string, token: string, handle: () => T | Promise<T>): Promise<T> {
    let value: T;
    try {
      value = await handle();
    } catch (error) {
      // So the redelivery is handled; a failing release leaves the key to the lease.
      await store.release(key, token).catch(ignore);
      throw error;
    }
    try {
      await store.complete(key, token, ttlMs);
    } catch (cause) {
      throw storeFailed('remember a handled event', cause);
    }
    return value;
  }

  /** The synchronous core when the store is a `memoryDedupeStore`: claims and completes without a promise per step. */
  const memory = memoryCores.get(store);

  /** Awaits an async handler under an in-memory claim: complete on success, release on failure. */
  async function settleInMemory<T>(core: MemoryCore, entry: Entry, pending: PromiseLike<T>): Promise<T> {
    let value: T;
    try {
      value = await pending;
    } catch (error) {
      core.release(entry);
      throw error;
    }
    core.complete(entry, ttlMs);
    return value;
  }

  /** Shares an async handling with copies arriving meanwhile, as `handleClaimed` does, through the claimed entry itself. */
  async function awaitInMemory<T>(core: MemoryCore, entry: Entry, pending: PromiseLike<T>): Promise<DedupeOutcome<T>> {
    const handling = settleInMemory(core, entry, pending);
    entry.handling = handling;
    // Settled, the entry is out of the map (done, or released): nothing keeps the handler's value alive.
    return { status: 'handled', value: await handling };
  }

  /**
   * Runs the handler under a claim of the in-memory store. A synchronous handler runs and completes with no await in
   * between, so no copy can see the claim and nothing is shared; an async one is shared through the entry.
   */
  function handleInMemory<T>(core: MemoryCore, entry: Entry, handle: () => T | Promise<T>): DedupeOutcome<T> | Promise<DedupeOutcome<T>> {
    let value: T | Promise<T>;
    try {
      value = handle();
    } catch (error) {
      core.release(entry);
      throw error;
    }
    if (isThenable(value)) return awaitInMemory(core, entry, value);
    core.complete(entry, ttlMs);
    return { status: 'handled', value };
  }

  async function handleClaimed<T>(key: string, token: string, handle: () => T | Promise<T>): Promise<DedupeOutcome<T>> {
    const handling = settle(key, token, handle);
    running.set(key, handling);
    try {
      return { status: 'handled', value: await handling };
    } finally {
      if (running.get(key) === handling) running.delete(key);
    }
  }

  return {
    async run(key, handle) {
      checkKey(key);
      if (typeof handle !== 'function') throw new MsgkitError('run needs a handler function');
      let deadline: number | undefined;
      for (let pause = 25; ; pause = Math.min(pause * 2, 1000)) {
        /** The handling of this process that holds the key, if one does. */
        let local: Promise<unknown> | undefined;
        if (memory) {
          const claim = memory.claim(key, leaseMs);
          if (claim === 'done') return { status: 'duplicate' };
          if (claim !== 'in-flight') return handleInMemory(memory, claim, handle);
          local = memory.handling(key);
        } else {
          let claim: DedupeClaim;
          try {
            claim = await store.claim(key, leaseMs);
          } catch (cause) {
            throw storeFailed('claim an event', cause);
          }
          if (claim?.status === 'done') return { status: 'duplicate' };
          if (claim?.status === 'claimed' && typeof claim.token === 'string') return handleClaimed(key, claim.token, handle);
          if (claim?.status !== 'in-flight') throw new DedupeStoreError(`The dedupe store answered a claim with ${JSON.stringify(claim)}`);
          local = running.get(key);
        }
        deadline ??= Date.now() + waitMs;
        const left = deadline - Date.now();
        if (left <= 0) throw new DedupeInFlightError(`Event ${JSON.stringify(key)} is still being handled by another delivery`, retryAfter);
        if (local) {
          // Same process: share the outcome of the copy in flight, or give up waiting at the deadline.
          let timer: ReturnType<typeof setTimeout> | undefined;
          const outcome = await Promise.race([
            local.then(
              () => 'done' as const,
              () => 'failed' as const,
            ),
            new Promise<'waited'>((resolve) => {
              timer = setTimeout(() => resolve('waited'), left);
            }),
          ]);
          clearTimeout(timer);
          if (outcome === 'done') return { status: 'duplicate' };
          if (outcome === 'failed')
            throw new DedupeInFlightError(`The delivery in flight of event ${JSON.stringify(key)} failed; it will be redelivered`, retryAfter);
          throw new DedupeInFlightError(`Event ${JSON.stringify(key)} is still being handled by another delivery`, retryAfter);
        }
        // Another process holds the claim: poll the store until it is done, released or the wait is over.
        await sleep(Math.min(pause, left));
      }
    },
  };
}
