import { MsgkitError } from './errors.js';
import { scrub } from './redact.js';

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

/** A store call failed: the caller falls back to its own token request. */
class StoreFailure {
  constructor(readonly error: unknown) {}
}

/** What `sharedToken` needs from the token manager. */
export interface SharedTokenContext {
  store: TokenStore;
  key: string;
  /** A token this process no longer uses (refused with a 401, or due for refresh): never taken from the store again. */
  stale: string | undefined;
  /** How long the lock holder may take, and so how long the others wait for its token, in milliseconds. */
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

function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

async function storeCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new StoreFailure(error);
  }
}

/** The store's error as a `MsgkitError` whose message names the operation and holds no credential (and no `cause`, which might). */
function storeError(operation: string, error: unknown, secrets: readonly string[]): MsgkitError {
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new MsgkitError(scrub(`tokenStore.${operation} failed (${detail})`, secrets));
}

/**
 * Gets a token through the shared store: the stored one when it is usable, else the one this process requests
 * while holding the lock (and stores), else the one another process stores while it holds the lock. Resolves
 * undefined when the store fails or no token appears within `waitMs`: the caller then requests one itself.
 * Failures of the token request itself are thrown, as without a store.
 */
export async function sharedToken(context: SharedTokenContext): Promise<StoredToken | undefined> {
  const { store, key, stale, now, signal } = context;
  const usable = (token: StoredToken | undefined): token is StoredToken =>
    token !== undefined && token !== null && typeof token.accessToken === 'string' && token.accessToken !== stale && now() < token.expiresAt;
  let operation = 'get';
  try {
    const found = await storeCall(() => store.get(key));
    if (usable(found)) return found;
    operation = 'lock';
    const release = await storeCall(() => store.lock(key, context.waitMs));
    if (release) return await holdingLock(context, release, usable);
    operation = 'get';
    const until = Date.now() + context.waitMs;
    while (Date.now() < until) {
      await wait(POLL_MS, signal);
      const polled = await storeCall(() => store.get(key));
      if (usable(polled)) return polled;
    }
    context.report(new MsgkitError(`tokenStore: no token appeared within ${context.waitMs} ms while another process held the lock; requesting one directly`));
    return undefined;
  } catch (error) {
    if (!(error instanceof StoreFailure)) throw error;
    context.report(storeError(operation, error.error, context.secrets));
    return undefined;
  }
}

/** With the lock: takes a token stored meanwhile, or requests one and stores it; releases the lock in any case. */
async function holdingLock(
  context: SharedTokenContext,
  release: () => Promise<void>,
  usable: (token: StoredToken | undefined) => token is StoredToken,
): Promise<StoredToken> {
  const { store, key, secrets } = context;
  try {
    // Another process may have stored a token between our get and our lock.
    const again = await store.get(key).catch((error: unknown) => context.report(storeError('get', error, secrets)));
    if (usable(again ?? undefined)) return again as StoredToken;
    const token = await context.request();
    await store.set(key, token).catch((error: unknown) => context.report(storeError('set', error, secrets)));
    return token;
  } finally {
    await release().catch((error: unknown) => context.report(storeError('lock release', error, secrets)));
  }
}
