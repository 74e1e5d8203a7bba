import { MsgkitError } from './errors.js';
import { scrub } from './redact.js';
import { systemClock, untilAborted } from './send.js';

/** An OAuth access token as a `TokenStore` keeps it. */
export interface StoredToken {
  /** The access token. */
  accessToken: string;
  /** When it expires, in epoch milliseconds. */
  expiresAt: number;
}

/**
 * Where `clientCredentialsAuth` shares tokens between processes (e.g. `redisTokenStore` of `@msgkit/redis`).
 * `key` is derived from the token URL and the client id, never from the secret.
 */
export interface TokenStore {
  /** The stored token, or undefined when there is none. */
  get(key: string): Promise<StoredToken | undefined>;
  /** Stores a token (the store may drop it once `expiresAt` passes). */
  set(key: string, token: StoredToken): Promise<void>;
  /** Cross-process single flight: resolves a release function when this caller got the lock, undefined when another holds it. */
  lock(key: string, ttlMs: number): Promise<(() => Promise<void>) | undefined>;
}

/** How often a process that did not get the lock looks for the token the lock holder stores. */
const POLL_MS = 25;

/** A store call failed or did not answer in time: the caller falls back to its own token request. */
class StoreFailure {
  constructor(
    readonly operation: string,
    readonly error: unknown,
  ) {}
}

/** What `sharedToken` needs from the token manager. */
export interface SharedTokenContext {
  store: TokenStore;
  key: string;
  /** A token this process no longer uses (refused with a 401, or due for refresh): never taken from the store again. */
  stale: string | undefined;
  /** Deadline of each store call, the lock's time to live, and how long to wait for another lock holder's token, in milliseconds. */
  waitMs: number;
  now: () => number;
  /** Requests a token from the token endpoint. */
  request: () => Promise<StoredToken>;
  /** Gets store failures, credentials scrubbed. */
  report: (error: MsgkitError) => void;
  /** Secrets to scrub from reported store errors. */
  secrets: readonly string[];
  /** Aborts the waiting when every call that needs the token has ended. */
  signal: AbortSignal;
}

/** Runs one store call within `waitMs`; its failure (or silence) becomes a `StoreFailure`. */
async function storeCall<T>(context: SharedTokenContext, operation: string, call: () => Promise<T>): Promise<T> {
  const { signal, waitMs } = context;
  const timeout = AbortSignal.timeout(waitMs);
  try {
    return await untilAborted(untilAborted(Promise.resolve().then(call), signal), timeout);
  } catch (error) {
    if (signal.aborted) throw error;
    throw new StoreFailure(operation, timeout.aborted ? new Error(`no answer within ${waitMs} ms`) : error);
  }
}

/** The store's error as a `MsgkitError` that names the operation and holds no credential (and no `cause`, which might). */
function storeError(failure: StoreFailure, secrets: readonly string[]): MsgkitError {
  const { error } = failure;
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new MsgkitError(scrub(`tokenStore.${failure.operation} failed (${detail})`, secrets));
}

/** Reports a store failure and goes on; anything else is rethrown. */
function reported(context: SharedTokenContext) {
  return (error: unknown): undefined => {
    if (!(error instanceof StoreFailure)) throw error;
    context.report(storeError(error, context.secrets));
    return undefined;
  };
}

/**
 * Gets a token through the shared store: the stored one when it is usable, else the one this process requests
 * while holding the lock (and stores), else the one another process stores while it holds the lock (taking the
 * lock over when it is released without one). Resolves undefined when the store fails or no token appears
 * within `waitMs`: the caller then requests one itself. Failures of the token request itself are thrown, as
 * without a store.
 */
export async function sharedToken(context: SharedTokenContext): Promise<StoredToken | undefined> {
  const { store, key, stale, now, signal } = context;
  const usable = (token: StoredToken | undefined): token is StoredToken =>
    token !== undefined && token !== null && typeof token.accessToken === 'string' && token.accessToken !== stale && now() < token.expiresAt;
  try {
    const until = Date.now() + context.waitMs;
    for (let first = true; first || Date.now() < until; first = false) {
      if (!first) await systemClock.sleep(POLL_MS, signal);
      const found = await storeCall(context, 'get', () => store.get(key));
      if (usable(found)) return found;
      const release = await storeCall(context, 'lock', () => store.lock(key, context.waitMs));
      if (release) return await holdingLock(context, release, usable);
    }
  } catch (error) {
    return reported(context)(error);
  }
  context.report(new MsgkitError(`tokenStore: no token appeared within ${context.waitMs} ms while another process held the lock; requesting one directly`));
  return undefined;
}

/** With the lock: takes a token stored meanwhile, or requests one and stores it; releases the lock in any case. */
async function holdingLock(
  context: SharedTokenContext,
  release: () => Promise<void>,
  usable: (token: StoredToken | undefined) => token is StoredToken,
): Promise<StoredToken> {
  const { store, key } = context;
  try {
    // Another process may have stored a token between our get and our lock.
    const again = await storeCall(context, 'get', () => store.get(key)).catch(reported(context));
    if (usable(again)) return again;
    const token = await context.request();
    await storeCall(context, 'set', () => store.set(key, token)).catch(reported(context));
    return token;
  } finally {
    await storeCall(context, 'lock release', release).catch(reported(context));
  }
}
