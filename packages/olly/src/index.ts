// Every msgkit error class (ApiError and its subclasses, ConnectionError, TimeoutError, …).
export * from '@msgkit/core/errors';
export { createOllyClient, OLLY_BASE_URL, type OllyClient, type OllyClientOptions } from './client.js';
export type { callbacks, components, operations, paths, webhookPayloads, webhooks } from './generated/schema.js';
