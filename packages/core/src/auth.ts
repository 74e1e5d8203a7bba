import { AuthenticationError, MsgkitError } from './errors.js';
import { redactUrl } from './redact.js';

/** Adds credentials to requests. Built by the factories below; passed to `createProviderClient`. */
export interface Authenticator {
  /** Returns the request with credentials added. */
  apply(request: Request): Request | Promise<Request>;
  /** Called after a 401 with the request that got it; resolves true when a retry with fresh credentials may succeed. */
  onUnauthorized?(request?: Request): Promise<boolean>;
  /** Credential values to scrub from anything msgkit reports. */
  readonly secrets: readonly string[];
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
  return { apply: (request) => withHeader(request, name, `${prefix}${secret}`), secrets: [secret] };
}

/** RFC 7617 HTTP basic auth: `Authorization: Basic base64(username:password)`. */
export function basicAuth(username: string, password: string): Authenticator {
  requireValue(username, 'username');
  requireValue(password, 'password');
  const encoded = btoa(String.fromCharCode(...new TextEncoder().encode(`${username}:${password}`)));
  return { apply: (request) => withHeader(request, 'Authorization', `Basic ${encoded}`), secrets: [password, encoded] };
}

/** `Authorization: Bearer <token>`. */
export function bearerAuth(token: string): Authenticator {
  requireValue(token, 'The access token');
  return { apply: (request) => withHeader(request, 'Authorization', `Bearer ${token}`), secrets: [token] };
}

/** Sends the credential as a query parameter, e.g. `?access_token=<token>` (Amio) or `?key=<key>` (Volly). */
export function queryAuth(name: string, value: string): Authenticator {
  requireValue(value, `The ${name} query parameter`);
  return {
    apply(request) {
      const url = new URL(request.url);
      url.searchParams.set(name, value);
      return new Request(url, request);
    },
    secrets: [value],
  };
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
  /** Extra headers sent with every authenticated call, besides `Authorization: Bearer`. */
  extraHeaders?: Record<string, string>;
  /** fetch used for the token request (defaults to `globalThis.fetch`). */
  fetch?: typeof fetch;
  /** Clock, for tests. */
  now?: () => number;
}

/**
 * OAuth 2.0 client credentials: fetches a token, refreshes it ahead of expiry, shares one in-flight
 * refresh among concurrent calls, and lets the client retry once after a 401 with a fresh token.
 */
export function clientCredentialsAuth(options: ClientCredentialsOptions): Authenticator & { getToken(): Promise<string> } {
  if (!options || typeof options !== 'object') throw new MsgkitError('clientCredentialsAuth options are required');
  const tokenUrl = requireValue(options.tokenUrl, 'tokenUrl');
  if (!URL.canParse(tokenUrl)) throw new MsgkitError('tokenUrl must be an absolute URL');
  const clientId = requireValue(options.clientId, 'clientId');
  const clientSecret = requireValue(options.clientSecret, 'clientSecret');
  const now = options.now ?? Date.now;
  const refreshAhead = options.refreshAheadMs ?? 30_000;
  const secrets: string[] = [clientSecret];
  let token: { value: string; refreshAt: number } | undefined;
  let inFlight: Promise<string> | undefined;

  async function requestToken(): Promise<string> {
    const doFetch = options.fetch ?? globalThis.fetch;
    const credentials: Record<string, string> = { client_id: clientId, client_secret: clientSecret };
    if (options.sendGrantType !== false) credentials.grant_type = 'client_credentials';
    const form = options.bodyFormat === 'form';
    const response = await doFetch(tokenUrl, {
      method: 'POST',
      headers: { 'Content-Type': form ? 'application/x-www-form-urlencoded' : 'application/json', Accept: 'application/json' },
      body: form ? new URLSearchParams(credentials).toString() : JSON.stringify(credentials),
    });
    const text = await response.text();
    let body: { access_token?: unknown; expires_in?: unknown } | undefined;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (!response.ok || typeof body?.access_token !== 'string' || body.access_token === '') {
      throw new AuthenticationError({
        status: response.status,
        headers: response.headers,
        body: response.ok ? 'token response has no access_token' : 'token request was refused',
        method: 'POST',
        url: redactUrl(tokenUrl),
      });
    }
    const expiresIn = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : (options.defaultExpiresInSeconds ?? 600);
    // Refresh `refreshAhead` before expiry, but never sooner than half-way through a short-lived token.
    token = { value: body.access_token, refreshAt: now() + expiresIn * 1000 - Math.min(refreshAhead, expiresIn * 500) };
    secrets.push(body.access_token);
    return body.access_token;
  }

  function getToken(): Promise<string> {
    if (token && now() < token.refreshAt) return Promise.resolve(token.value);
    inFlight ??= requestToken().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  }

  return {
    getToken,
    secrets,
    async apply(request) {
      const { headers } = request;
      headers.set('Authorization', `Bearer ${await getToken()}`);
      for (const [name, value] of Object.entries(options.extraHeaders ?? {})) headers.set(name, value);
      return request;
    },
    async onUnauthorized(request) {
      // Only drop the token this request carried: a concurrent 401 must not throw away a token refreshed meanwhile.
      const used = request?.headers.get('authorization');
      if (used === undefined || used === null || used === `Bearer ${token?.value}`) token = undefined;
      return true;
    },
  };
}
