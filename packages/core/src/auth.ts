import { abortControl } from './attempt.js';
import { readBody } from './body.js';
import { checkUrl } from './client.js';
import { AuthenticationError, MsgkitError, TimeoutError } from './errors.js';
import { redactUrl, scrubHeaders } from './redact.js';
import type { SignalLike, Transport } from './request.js';
import { untilAborted } from './send.js';
import { type StoredToken, sharedToken, type TokenStore } from './token-store.js';

/** Adds credentials to requests. Built by the factories below; passed to `createProviderClient`. */
export interface Authenticator {
  /** Returns the request with credentials added. */
  apply(request: Request): Request | Promise<Request>;
  /** Called after a 401 with the request that got it; resolves true when a retry with fresh credentials may succeed. */
  onUnauthorized?(request?: Request): Promise<boolean>;
  /** Credential values to scrub from anything msgkit reports. */
  readonly secrets: readonly string[];
}

/** The authenticators built here: they work on core's light request, so calls need no WHATWG `Request`. */
const builtIn = new WeakSet<Authenticator>();

/** Marks an authenticator as built by core. */
function own<A extends Authenticator>(authenticator: A): A {
  builtIn.add(authenticator);
  return authenticator;
}

/** True for the authenticators of this module; any other gets a real `Request`. */
export const isBuiltInAuth = (authenticator: Authenticator): boolean => builtIn.has(authenticator);

/** The transport of the first client built with a `transport` option, by the authenticator it was given. */
const clientTransports = new WeakMap<Authenticator, Transport>();

/**
 * Sends the requests `authenticator` makes itself (the OAuth token request) through `transport`, the client's own
 * undici Dispatcher (a proxy, mTLS or a MockAgent), unless the authenticator was given its own `fetch`. An
 * authenticator shared by several clients keeps the first one's.
 */
export function sendOwnRequestsThrough(authenticator: Authenticator, transport: Transport): void {
  if (!clientTransports.has(authenticator)) clientTransports.set(authenticator, transport);
}

/** Sets a header on the request itself: every attempt gets a fresh Request, so nothing else sees it. */
function withHeader(request: Request, name: string, value: string): Request {
  request.headers.set(name, value);
  return request;
}

function requireValue(value: string | undefined, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new MsgkitError(`${what} is required and must be a non-empty string`);
  }
  return value;
}

/**
 * Sends a credential in a header as `<prefix><secret>`, e.g. `Authorization: Basic <api-key>` (Olly)
 * or `Authorization: Key <key>` (Volly).
 */
export function headerAuth(name: string, secret: string, prefix = ''): Authenticator {
  requireValue(secret, `The ${name} credential`);
  return own({ apply: (request) => withHeader(request, name, `${prefix}${secret}`), secrets: [secret] });
}

/** RFC 7617 HTTP basic auth: `Authorization: Basic base64(username:password)`. */
export function basicAuth(username: string, password: string): Authenticator {
  requireValue(username, 'username');
  requireValue(password, 'password');
  const encoded = btoa(String.fromCharCode(...new TextEncoder().encode(`${username}:${password}`)));
  return own({ apply: (request) => withHeader(request, 'Authorization', `Basic ${encoded}`), secrets: [password, encoded] });
}

/** `Authorization: Bearer <token>`. */
export function bearerAuth(token: string): Authenticator {
  requireValue(token, 'The access token');
  return own({ apply: (request) => withHeader(request, 'Authorization', `Bearer ${token}`), secrets: [token] });
}

/** Sends the credential as a query parameter, e.g. `?access_token=<token>` (Amio) or `?key=<key>` (Volly). */
export function queryAuth(name: string, value: string): Authenticator {
  requireValue(value, `The ${name} query parameter`);
  return own({
    apply(request) {
      const url = new URL(request.url);
      url.searchParams.set(name, value);
      // Core's light request (see request.ts) takes the new URL in place; a real Request is rebuilt.
      return request instanceof Request ? new Request(url, request) : Object.assign(request, { url: url.href });
    },
    secrets: [value],
  });
}

/** Options of the OAuth 2.0 client-credentials token manager. */
export interface ClientCredentialsOptions {
  /** Token endpoint URL. */
  tokenUrl: string;
  /** OAuth client id. */
  clientId: string;
  /** OAuth client secret (never reported in errors). */
  clientSecret: string;
  /** How the token request carries the credentials: a JSON body (default) or a form body. */
  bodyFormat?: 'json' | 'form';
  /** Send `grant_type: client_credentials` in the token request (default true; Volly's token endpoint takes only the id and secret). */
  sendGrantType?: boolean;
  /** Lifetime to assume when the token response has no `expires_in`, in seconds (default 600). */
  defaultExpiresInSeconds?: number;
  /** Refresh this long before expiry, in milliseconds (default 30 000). */
  refreshAheadMs?: number;
  /** Deadline of one token request in milliseconds (default 10 000); a call waits for it at most until its own deadline. */
  tokenTimeout?: number;
  /** Shares tokens between processes (default: none, each authenticator keeps its own token in memory). */
  tokenStore?: TokenStore;
  /** Gets `tokenStore` failures (default `console.warn`); the token is then requested directly. Credentials are scrubbed from the error. */
  onTokenStoreError?: (error: unknown) => void;
  /** Extra headers sent with every authenticated call, besides `Authorization: Bearer`. */
  extraHeaders?: Record<string, string>;
  /** fetch used for the token request (default: the client's `transport` when it was given one, otherwise `globalThis.fetch`). */
  fetch?: typeof fetch;
  /** Clock, for tests. */
  now?: () => number;
}

/** Deadline of a token request when `tokenTimeout` is not set. */
export const DEFAULT_TOKEN_TIMEOUT_MS = 10_000;
/** A token response is a few hundred bytes: anything past 64 KiB is not one (a literal, which bundles without OAuth drop). */
const MAX_TOKEN_RESPONSE_BYTES = 65_536;
/** Same-origin 307/308 redirects the token request follows before giving up. */
const MAX_TOKEN_REDIRECTS = 5;

/** One shared token request and the calls waiting for it: it is aborted when every waiter has left. */
interface Flight {
  promise: Promise<string>;
  controller: AbortController;
  /** Waiters with a signal that has not aborted. */
  waiters: number;
  /** A waiter without a signal (`getToken()`) never leaves. */
  pinned: boolean;
}

const isRedirect = (response: Response) => response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400 && response.status !== 304);

/**
 * OAuth 2.0 client credentials: fetches a token, refreshes it ahead of expiry, shares one in-flight
 * refresh among concurrent calls (and among processes through `tokenStore`), and lets the client retry
 * once after a 401 with a fresh token. The token request has its own deadline, is dropped when it fails
 * or hangs (the next call starts a new one), and never follows a redirect to another origin.
 */
export function clientCredentialsAuth(options: ClientCredentialsOptions): Authenticator & { getToken(signal?: SignalLike): Promise<string> } {
  if (!options || typeof options !== 'object') throw new MsgkitError('clientCredentialsAuth options are required');
  const tokenUrl = checkUrl(requireValue(options.tokenUrl, 'tokenUrl'), 'tokenUrl');
  const clientId = requireValue(options.clientId, 'clientId');
  const clientSecret = requireValue(options.clientSecret, 'clientSecret');
  const tokenTimeout = options.tokenTimeout ?? DEFAULT_TOKEN_TIMEOUT_MS;
  if (typeof tokenTimeout !== 'number' || !Number.isFinite(tokenTimeout) || tokenTimeout <= 0) {
    throw new MsgkitError(`tokenTimeout must be a positive, finite number of milliseconds, got ${JSON.stringify(tokenTimeout)}`);
  }
  const store = options.tokenStore;
  if (
    store !== undefined &&
    (store === null || ['get', 'set', 'lock'].some((name) => typeof (store as unknown as Record<string, unknown>)[name] !== 'function'))
  ) {
    throw new MsgkitError('tokenStore must have get, set and lock functions');
  }
  const reportStoreError =
    options.onTokenStoreError ?? ((error: unknown) => console.warn('msgkit: the OAuth token store failed; requesting the token directly', error));
  const now = options.now ?? Date.now;
  const refreshAhead = options.refreshAheadMs ?? 30_000;
  const target = redactUrl(tokenUrl);
  const storeKey = `${tokenUrl}#${clientId}`;
  /** The client secret and the live tokens (the current one and the one before it), replaced in place as tokens rotate. */
  const secrets: string[] = [clientSecret];
  let token: { value: string; refreshAt: number } | undefined;
  let stale: string | undefined;
  let flight: Flight | undefined;

  function refused(response: Response, reason: string): AuthenticationError {
    const headers = scrubHeaders(response.headers, secrets);
    return new AuthenticationError({ status: response.status, headers, body: reason, method: 'POST', url: target });
  }

  /** The token request, within `tokenTimeout` (and aborted with `signal`): even a fetch that ignores its signal cannot hang it. */
  async function requestToken(signal: AbortSignal): Promise<StoredToken> {
    const control = abortControl(signal, tokenTimeout);
    try {
      return await untilAborted(fetchToken(control.signal), control.signal);
    } catch (error) {
      if (control.timedOut()) throw new TimeoutError(`POST ${target} (the OAuth token request) timed out after ${tokenTimeout} ms`);
      throw error;
    } finally {
      control.dispose();
    }
  }

  /** The token request's fetch: the `fetch` option, else the client's `transport` (a Dispatcher), else `globalThis.fetch`. */
  function tokenFetch(): (url: string, init: RequestInit & { signal: AbortSignal }) => Promise<Response> {
    if (options.fetch) return options.fetch;
    const transport = clientTransports.get(self);
    if (transport === undefined) return globalThis.fetch;
    return (url, { method = 'POST', headers, body, redirect = 'follow', signal }) =>
      transport({ url, method, headers: new Headers(headers), body: body as string, redirect, signal }, MAX_TOKEN_RESPONSE_BYTES, () => `POST ${target}`);
  }

  async function fetchToken(signal: AbortSignal): Promise<StoredToken> {
    const doFetch = tokenFetch();
    const credentials: Record<string, string> = { client_id: clientId, client_secret: clientSecret };
    if (options.sendGrantType !== false) credentials.grant_type = 'client_credentials';
    const form = options.bodyFormat === 'form';
    const init: RequestInit & { signal: AbortSignal } = {
      method: 'POST',
      headers: { 'Content-Type': form ? 'application/x-www-form-urlencoded' : 'application/json', Accept: 'application/json' },
      body: form ? new URLSearchParams(credentials).toString() : JSON.stringify(credentials),
      // Redirects are followed below, and only to the same origin: the body carries the client secret.
      redirect: 'manual',
      signal,
    };
    let url = tokenUrl;
    for (let hop = 0; ; hop++) {
      const response = await doFetch(url, init);
      if (isRedirect(response)) {
        await response.body?.cancel().catch(() => {});
        const location = response.headers.get('location');
        const next = location !== null && URL.canParse(location, url) ? new URL(location, url) : undefined;
        const sameOrigin = next !== undefined && next.origin === new URL(tokenUrl).origin;
        if (sameOrigin && (response.status === 307 || response.status === 308) && hop < MAX_TOKEN_REDIRECTS) {
          url = next.href;
          continue;
        }
        const where = next === undefined ? 'an unreadable location' : sameOrigin ? redactUrl(next.href) : `another origin (${next.origin})`;
        throw refused(response, `the token endpoint redirected to ${where}; msgkit does not follow it, so the client secret goes nowhere else`);
      }
      const bytes = await readBody(response, MAX_TOKEN_RESPONSE_BYTES, `POST ${target}`);
      let body: { access_token?: unknown; expires_in?: unknown } | undefined;
      try {
        body = JSON.parse(new TextDecoder().decode(bytes ?? new Uint8Array()));
      } catch {
        body = undefined;
      }
      if (!response.ok || typeof body?.access_token !== 'string' || body.access_token === '') {
        throw refused(response, response.ok ? 'token response has no access_token' : 'token request was refused');
      }
      const expiresIn = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : (options.defaultExpiresInSeconds ?? 600);
      return { accessToken: body.access_token, expiresAt: now() + expiresIn * 1000 };
    }
  }

  /** Makes `stored` the token in use: refreshed `refreshAhead` before expiry, but never sooner than half-way through what is left of it. */
  function adopt(stored: StoredToken): string {
    const left = stored.expiresAt - now();
    token = { value: stored.accessToken, refreshAt: stored.expiresAt - Math.min(refreshAhead, left / 2) };
    if (!secrets.includes(stored.accessToken)) {
      secrets.push(stored.accessToken);
      // Only the client secret, the live token and the one before it (late answers may still echo it).
      if (secrets.length > 3) secrets.splice(1, secrets.length - 3);
    }
    return stored.accessToken;
  }

  async function obtain(signal: AbortSignal): Promise<string> {
    if (store !== undefined) {
      const shared = await sharedToken({
        store,
        key: storeKey,
        stale,
        waitMs: tokenTimeout,
        now,
        // Adopted at once, so the token is scrubbed from a failing `set`'s error.
        request: async () => {
          const fresh = await requestToken(signal);
          adopt(fresh);
          return fresh;
        },
        report: reportStoreError,
        secrets,
        signal,
      });
      if (shared !== undefined) return adopt(shared);
    }
    return adopt(await requestToken(signal));
  }

  function startFlight(): Flight {
    const controller = new AbortController();
    const current: Flight = { controller, waiters: 0, pinned: false, promise: Promise.resolve('') };
    current.promise = untilAborted(obtain(controller.signal), controller.signal).finally(() => {
      // Failed, timed out or done: the next call that needs a token starts a new request.
      if (flight === current) flight = undefined;
    });
    current.promise.catch(() => {});
    return current;
  }

  /** Waits for the flight until `signal` aborts; the last waiter to leave aborts the flight. */
  function join(current: Flight, signal: SignalLike | undefined): Promise<string> {
    if (signal === undefined) {
      current.pinned = true;
      return current.promise;
    }
    current.waiters++;
    return new Promise((resolve, reject) => {
      const leave = () => {
        current.waiters--;
        if (current.waiters === 0 && !current.pinned) current.controller.abort(signal.reason);
        reject(signal.reason);
      };
      if (signal.aborted) return leave();
      signal.addEventListener('abort', leave, { once: true });
      current.promise.finally(() => signal.removeEventListener('abort', leave)).then(resolve, reject);
    });
  }

  function getToken(signal?: SignalLike): Promise<string> {
    if (token && now() < token.refreshAt) return Promise.resolve(token.value);
    if (token) stale = token.value;
    flight ??= startFlight();
    return join(flight, signal);
  }

  const self = own({
    getToken,
    secrets,
    async apply(request) {
      const { headers } = request;
      headers.set('Authorization', `Bearer ${await getToken(request.signal)}`);
      for (const [name, value] of Object.entries(options.extraHeaders ?? {})) headers.set(name, value);
      return request;
    },
    async onUnauthorized(request) {
      // Only drop the token this request carried: a concurrent 401 must not throw away a token refreshed meanwhile.
      const used = request?.headers.get('authorization');
      if (used === undefined || used === null || used === `Bearer ${token?.value}`) {
        stale = token?.value ?? stale;
        token = undefined;
      }
      return true;
    },
  });
  return self;
}
