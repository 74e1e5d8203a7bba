import { abortControl } from './attempt.js';
import { createProviderClientWith, type ProviderClientOptions } from './client.js';
import { globalFetchTransport } from './transport.js';
import type { ProviderClient } from './types.js';

export * from './common.js';

/**
 * Creates an openapi-fetch client typed by a provider's generated `paths`, with authentication, retries,
 * a deadline per call, hooks and typed errors (non-2xx answers throw an `ApiError` subclass). This entry
 * (browsers, workers, Bun, Deno) sends through `globalThis.fetch`.
 */
export function createProviderClient<Paths extends {}>(options: ProviderClientOptions): ProviderClient<Paths> {
  return createProviderClientWith<Paths>(options, { default: globalFetchTransport, control: abortControl });
}
