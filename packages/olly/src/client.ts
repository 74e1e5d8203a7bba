import { CLIENT_OPTION_NAMES, type ClientOptions, checkOptionNames, createProviderClient, headerAuth, type ProviderClient } from '@msgkit/core';
import type { paths } from './generated/schema.js';

/** Olly's production origin (the spec's `servers` entry); every path starts with `/api`. */
export const OLLY_BASE_URL = 'https://messenger.olly.bot';

/** Options of `createOllyClient`. */
export interface OllyClientOptions extends ClientOptions {
  /** Your Olly API key, sent as `Authorization: Basic <apiKey>` exactly as Olly documents. */
  apiKey: string;
  /** The production origin (default `OLLY_BASE_URL`), or the mock's URL, e.g. `http://127.0.0.1:4010`: never a path, which the operations carry. */
  baseUrl?: string;
}

/** A typed Olly Messenger client: `client.POST('/api/message', { body })`. */
export type OllyClient = ProviderClient<paths>;

/** Creates a typed Olly Messenger client. Non-2xx answers throw `ApiError` subclasses. */
export function createOllyClient(options: OllyClientOptions): OllyClient {
  checkOptionNames(options ?? {}, [...CLIENT_OPTION_NAMES, 'apiKey'], 'createOllyClient');
  const { apiKey, baseUrl = OLLY_BASE_URL, ...rest } = options ?? ({} as OllyClientOptions);
  return createProviderClient<paths>({ ...rest, baseUrl, auth: headerAuth('Authorization', apiKey, 'Basic ') });
}
