import type { Dispatcher } from 'undici';
import { lightControl } from './attempt-node.js';
import { createProviderClientWith, type ProviderClientOptions } from './client.js';
import { MsgkitError } from './errors.js';
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
  return createProviderClientWith<Paths>(options, {
    default: fetchForced ? globalFetchTransport : defaultNodeTransport,
    fromDispatcher,
    control: lightControl,
  });
}

/** The `transport` option as a transport: the Dispatcher check lives here, so the edge entry does not carry it. */
function fromDispatcher(dispatcher: Dispatcher) {
  if (dispatcher === null || typeof (dispatcher as { dispatch?: unknown }).dispatch !== 'function') {
    throw new MsgkitError('transport must be an undici Dispatcher (Agent, Pool, ProxyAgent, MockAgent, …)');
  }
  return undiciTransport(dispatcher);
}
