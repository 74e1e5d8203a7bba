// Every msgkit error class (ApiError and its subclasses, ConnectionError, TimeoutError, …).
export * from '@msgkit/core/errors';
export { AMIO_BASE_URL, type AmioClient, type AmioClientOptions, type AmioErrorBody, type AmioTokenIn, createAmioClient } from './client.js';
export { type AmioRateLimit, AmioRateLimitError, parseAmioRateLimit } from './errors.js';
export type { callbacks, components, operations, paths, webhookPayloads, webhooks } from './generated/schema.js';
