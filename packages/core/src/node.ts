import { createProviderClientWith, type ProviderClientOptions } from './client.js';
import { globalFetchTransport } from './transport.js';
import { defaultNodeTransport, undiciTransport } from './transport-node.js';
import type { ProviderClient } from './types.js';

export * from './common.js';
export { undiciTransport } from './transport-node.js';

/**
 * Creates an openapi-fetch client typed by a provider's generated `paths`, with authentication, retries,
 * a deadline per call, hooks and typed errors (non-2xx answers throw an `ApiError` subclass). This entry
 * (Node, the `"node"` export condition) sends through undici's dispatcher API, or through the `transport`
 * Dispatcher given; `MSGKIT_TRANSPORT=fetch` in the environment makes it use `globalThis.fetch` instead
 * (the test suite runs once per transport).
 */
export function createProviderClient<Paths extends {}>(options: ProviderClientOptions): ProviderClient<Paths> {
  const fetchForced = globalThis.process?.env?.MSGKIT_TRANSPORT === 'fetch';
  return createProviderClientWith<Paths>(options, { default: fetchForced ? globalFetchTransport : defaultNodeTransport, fromDispatcher: undiciTransport });
}
