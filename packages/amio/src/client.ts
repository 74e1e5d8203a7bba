import {
  bearerAuth,
  CLIENT_OPTION_NAMES,
  type ClientOptions,
  checkOptionNames,
  createProviderClient,
  MsgkitError,
  type ProviderClient,
  queryAuth,
} from '@msgkit/core';
import { amioApiError } from './errors.js';
import type { components, paths } from './generated/schema.js';

/** Amio's production origin; every path starts with `/v1` (`client.POST('/v1/messages')`). */
export const AMIO_BASE_URL = 'https://api.amio.io';

/** Amio's error body `{timestamp, status, errors[]}`: the `body` of every `ApiError` the client throws (`error as AmioRateLimitError<AmioErrorBody>`). */
export type AmioErrorBody = components['schemas']['Error'];

/** Where the access token travels: the `Authorization: Bearer` header (default) or the `access_token` query parameter. */
export type AmioTokenIn = 'header' | 'query';

/** Options of `createAmioClient`. */
export interface AmioClientOptions extends ClientOptions {
  /** The production origin (`https://api.amio.io`, default), or the mock's URL (`http://127.0.0.1:4013`); never with `/v1`, which is part of every path. */
  baseUrl?: string;
  /** Your Amio access token (app.amio.io → Settings → API). Never appears in errors. */
  accessToken: string;
  /** Send the token as `Authorization: Bearer <token>` (`'header'`, default) or as `?access_token=<token>` (`'query'`). */
  tokenIn?: AmioTokenIn;
}

/** A typed Amio client: `client.POST('/v1/messages', { body })`; list operations page with `paginate` from `@msgkit/amio/paginate`. */
export type AmioClient = ProviderClient<paths>;

const TOKEN_IN: readonly AmioTokenIn[] = ['header', 'query'];

/**
 * Creates a typed Amio client. Non-2xx answers throw `ApiError` subclasses carrying Amio's `{timestamp, status, errors[]}`
 * body; a 429 is an `AmioRateLimitError` with the parsed `X-RateLimit-*` headers.
 */
export function createAmioClient(options: AmioClientOptions): AmioClient {
  checkOptionNames(options ?? {}, [...CLIENT_OPTION_NAMES, 'accessToken', 'tokenIn'], 'createAmioClient');
  const { accessToken, tokenIn = 'header', baseUrl = AMIO_BASE_URL, ...rest } = options ?? ({} as AmioClientOptions);
  if (!TOKEN_IN.includes(tokenIn)) throw new MsgkitError(`tokenIn must be "header" or "query", got ${JSON.stringify(tokenIn)}`);
  const auth = tokenIn === 'query' ? queryAuth('access_token', accessToken) : bearerAuth(accessToken);
  return createProviderClient<paths>({ ...rest, baseUrl, auth, apiError: amioApiError });
}
