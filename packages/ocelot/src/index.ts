// Every msgkit error class (ApiError and its subclasses, ConnectionError, TimeoutError, …).
export * from '@msgkit/core/errors';
export { createOcelotClient, type OcelotClient, type OcelotClientOptions, type OcelotErrorBody } from './client.js';
export type { callbacks, components, operations, paths, webhookPayloads, webhooks } from './generated/schema.js';
