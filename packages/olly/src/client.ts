import { createProviderClient, headerAuth, type ProviderClient } from '@msgkit/core';
import type { paths } from './generated/schema.js';

/** Olly's production API. */
export const OLLY_BASE_URL = 'https://messenger.olly.bot';

/** Options of `createOllyClient`. */
export interface OllyClientOptions {
  /** Your Olly API key, sent as `Authorization: Basic <apiKey>` exactly as Olly documents. */
  apiKey: string;
  /** API base URL; defaults to Olly's production API. Point it at `msgkit mock olly` for local work. */
  baseUrl?: string;
  /** fetch implementation (defaults to `globalThis.fetch`). */
  fetch?: (request: Request) => Promise<Response>;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
}

/** A typed Olly Messenger client: `client.POST('/api/message', { body })`. */
export type OllyClient = ProviderClient<paths>;

/** Creates a typed Olly Messenger client. Non-2xx answers throw `ApiError` subclasses. */
export function createOllyClient(options: OllyClientOptions): OllyClient {
  return createProviderClient<paths>({
    baseUrl: options?.baseUrl ?? OLLY_BASE_URL,
    auth: headerAuth('Authorization', options?.apiKey, 'Basic '),
    fetch: options?.fetch,
    headers: options?.headers,
  });
}
