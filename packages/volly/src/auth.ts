import { type Authenticator, checkOptionNames, clientCredentialsAuth, headerAuth, MsgkitError, queryAuth, type TokenStore } from '@msgkit/core';
import type { VollyMtlsOptions } from './jwt.js';

/** API key auth: `Authorization: Key <apiKey>` on every call. */
export interface VollyApiKeyAuth {
  /** Your Volly API key. */
  apiKey: string;
  /**
   * Where the key goes on `POST /send`: `'header'` (default, `Authorization: Key <key>`) or
   * `'query'` (`?key=<key>`, the alternative Volly documents for that operation only). Every other
   * operation always sends the header, the only form Volly accepts there.
   */
  in?: 'header' | 'query';
  /** Not with `apiKey`: OAuth is a separate mode. */
  clientId?: never;
  /** Not with `apiKey`: OAuth is a separate mode. */
  clientSecret?: never;
  /** Not with `apiKey`: mTLS builds on OAuth. */
  mtls?: never;
  /** Not with `apiKey`: tokens are an OAuth matter. */
  tokenStore?: never;
}

/** OAuth client credentials: a 10-minute bearer token plus a `client_id` header on every call. */
export interface VollyOAuth {
  /** Your OAuth client id (also sent as the `client_id` header). */
  clientId: string;
  /** Your OAuth client secret. */
  clientSecret: string;
  /** Token endpoint; defaults to `/oauth/token` on the origin of `baseUrl` (`https://api.vollyma.com/oauth/token`). */
  tokenUrl?: string;
  /** Shares the token between processes, e.g. `redisTokenStore(redis)` from `@msgkit/redis` (default: kept in memory). */
  tokenStore?: TokenStore;
  /** Gets `tokenStore` failures (default `console.warn`); the token is then requested directly. */
  onTokenStoreError?: (error: unknown) => void;
  /** Not with OAuth: the API key is a separate mode. */
  apiKey?: never;
  /** Only for `{ apiKey }`. */
  in?: never;
}

/** mTLS mode: OAuth as above, and every request body signed then encrypted as `{"jwt": ...}`. */
export interface VollyMtlsAuth extends VollyOAuth {
  /** Keys that sign and encrypt request bodies. */
  mtls: VollyMtlsOptions;
}

/** How the client authenticates: `{ apiKey }`, `{ clientId, clientSecret }` or `{ clientId, clientSecret, mtls }`. */
export type VollyAuth = VollyApiKeyAuth | VollyOAuth | VollyMtlsAuth;

const SEND_PATH = /\/send\/?$/;
/** The keys of `{ apiKey }` auth. */
const API_KEY_KEYS = ['apiKey', 'in'];
/** The keys OAuth adds; `{ apiKey }` auth takes none of them. */
const OAUTH_KEYS = ['clientId', 'clientSecret', 'tokenUrl', 'tokenStore', 'onTokenStoreError', 'mtls'];

/** The API key as a header everywhere, and as the `key` query parameter on `POST /send`. */
function keyInQueryOnSend(apiKey: string): Authenticator {
  const header = headerAuth('Authorization', apiKey, 'Key ');
  const query = queryAuth('key', apiKey);
  return {
    secrets: [apiKey],
    apply: (request) => (request.method === 'POST' && SEND_PATH.test(new URL(request.url).pathname) ? query : header).apply(request),
  };
}

/** Checks that exactly one auth mode is chosen, with its fields, and says what is wrong otherwise. */
export function checkAuth(auth: VollyAuth | undefined): VollyAuth {
  if (auth === null || typeof auth !== 'object') {
    throw new MsgkitError('auth is required: { apiKey }, { clientId, clientSecret } or { clientId, clientSecret, mtls }');
  }
  const record = auth as unknown as Record<string, unknown>;
  const oauth = 'clientId' in record || 'clientSecret' in record || 'mtls' in record;
  if ('apiKey' in record && oauth) {
    throw new MsgkitError('auth must be either { apiKey } or { clientId, clientSecret[, mtls] }, not both');
  }
  if (!('apiKey' in record) && !oauth) throw new MsgkitError('auth needs apiKey, or clientId and clientSecret');
  if ('apiKey' in record && (typeof record.apiKey !== 'string' || record.apiKey.trim() === '')) {
    throw new MsgkitError('auth.apiKey must be a non-empty string');
  }
  if (oauth && record.in !== undefined) throw new MsgkitError('auth.in applies to { apiKey } only');
  for (const key of OAUTH_KEYS) {
    if (!oauth && key in record) throw new MsgkitError(`auth.${key} applies to { clientId, clientSecret } only`);
  }
  // A misspelt key (say `tokenURL`) would otherwise be ignored and its default used in silence.
  checkOptionNames(record, oauth ? OAUTH_KEYS : API_KEY_KEYS, 'auth');
  if (record.in !== undefined && record.in !== 'header' && record.in !== 'query') {
    throw new MsgkitError(`auth.in must be "header" or "query", got ${JSON.stringify(record.in)}`);
  }
  return auth;
}

/** What the OAuth modes take from the client options. */
export interface TokenContext {
  /** Token URL when `auth.tokenUrl` is not set. */
  defaultTokenUrl: string;
  /** The client's fetch, which also carries the token request. */
  fetch?: (request: Request) => Promise<Response>;
  /** The client's clock, which also times token expiry. */
  now?: () => number;
}

/** The core authenticator for a Volly auth mode. */
export function vollyAuthenticator(auth: VollyAuth, { defaultTokenUrl, fetch, now }: TokenContext): Authenticator {
  if ('apiKey' in auth && typeof auth.apiKey === 'string') {
    return auth.in === 'query' ? keyInQueryOnSend(auth.apiKey) : headerAuth('Authorization', auth.apiKey, 'Key ');
  }
  const oauth = auth as VollyOAuth;
  return clientCredentialsAuth({
    tokenUrl: oauth.tokenUrl ?? defaultTokenUrl,
    clientId: oauth.clientId,
    clientSecret: oauth.clientSecret,
    bodyFormat: 'json',
    sendGrantType: false,
    extraHeaders: { client_id: oauth.clientId },
    tokenStore: oauth.tokenStore,
    onTokenStoreError: oauth.onTokenStoreError,
    fetch: fetch ? (input, init) => fetch(new Request(input, init)) : undefined,
    now,
  });
}
