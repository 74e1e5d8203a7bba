import { CLIENT_OPTION_NAMES, type ClientOptions, checkOptionNames, createProviderClient, MsgkitError, type ProviderClient } from '@msgkit/core';
import { checkAuth, type VollyAuth, vollyAuthenticator } from './auth.js';
import type { paths } from './generated/schema.js';
import type { VollyMtlsOptions } from './jwt.js';

/** Volly's production origin; API paths start with `/v1` (`client.POST('/v1/leads')`), the token endpoint is `/oauth/token`. */
export const VOLLY_BASE_URL = 'https://api.vollyma.com';

/** Volly's OAuth token endpoint (on the production origin, not under `/v1`). */
export const VOLLY_TOKEN_URL = 'https://api.vollyma.com/oauth/token';

/** `/oauth/token` on the origin of `baseUrl`, so a mock or proxy base URL serves the token too. */
function defaultTokenUrl(baseUrl: string): string {
  // An invalid baseUrl is reported by createProviderClient; the token URL is not used before then.
  return URL.canParse(baseUrl) ? new URL('/oauth/token', baseUrl).href : VOLLY_TOKEN_URL;
}

/** Options of `createVollyClient`. */
export interface VollyClientOptions extends ClientOptions {
  /** The production origin (`https://api.vollyma.com`, default), or the mock's URL (`http://127.0.0.1:4014`); never with `/v1`, which is part of every API path. */
  baseUrl?: string;
  /** How to authenticate: `{ apiKey, in? }`, `{ clientId, clientSecret, tokenUrl? }` or `{ clientId, clientSecret, mtls }`. */
  auth: VollyAuth;
}

/** A typed Volly client: `client.POST('/v1/leads', { body })`. */
export type VollyClient = ProviderClient<paths>;

type Send = (request: Request) => Promise<Response>;

/**
 * What `@msgkit/volly/mtls` adds to the client (jose lives there only): checks the keys (a MsgkitError for missing
 * ones) and wraps the client's fetch (`globalThis.fetch` when undefined) so every request body goes out as `{"jwt": ...}`.
 */
export type MtlsMode = (fetch: Send | undefined, mtls: VollyMtlsOptions) => Send;

/**
 * Creates a typed Volly client. Non-2xx answers throw `ApiError` subclasses. OAuth tokens are fetched
 * (through `fetch`, when given), shared by concurrent calls and refreshed before their 10 minutes run
 * out. mTLS mode (`auth.mtls`) is `createVollyMtlsClient` from `@msgkit/volly/mtls`.
 */
export function createVollyClient(options: VollyClientOptions): VollyClient {
  return buildVollyClient(options, 'createVollyClient');
}

/** The client of both entries: `mtlsMode` is given by `@msgkit/volly/mtls` only. */
export function buildVollyClient(options: VollyClientOptions, where: string, mtlsMode?: MtlsMode): VollyClient {
  if (options === null || typeof options !== 'object') throw new MsgkitError('options are required');
  checkOptionNames(options, [...CLIENT_OPTION_NAMES, 'auth'], where);
  const { auth: given, baseUrl = VOLLY_BASE_URL, fetch, ...rest } = options;
  const auth = checkAuth(given);
  const mtls = 'mtls' in auth ? auth.mtls : undefined;
  if (mtls !== undefined && mtlsMode === undefined) {
    throw new MsgkitError('auth.mtls: mTLS mode is createVollyMtlsClient from @msgkit/volly/mtls (its own entry, so clients without mTLS do not load jose)');
  }
  const send = mtls === undefined || mtlsMode === undefined ? fetch : mtlsMode(fetch, mtls);
  const { clock } = rest;
  const now = clock?.now ? () => clock.now?.() ?? Date.now() : undefined;
  return createProviderClient<paths>({
    ...rest,
    baseUrl,
    auth: vollyAuthenticator(auth, { defaultTokenUrl: defaultTokenUrl(baseUrl), fetch, now }),
    fetch: send,
  });
}
