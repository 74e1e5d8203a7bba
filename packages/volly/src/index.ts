// Every msgkit error class (ApiError and its subclasses, ConnectionError, TimeoutError, …).
export * from '@msgkit/core/errors';
export type { VollyApiKeyAuth, VollyAuth, VollyMtlsAuth, VollyOAuth } from './auth.js';
export { createVollyClient, VOLLY_BASE_URL, VOLLY_TOKEN_URL, type VollyClient, type VollyClientOptions } from './client.js';
export { type LeadExternalQuery, leadExternal } from './external.js';
export type { callbacks, components, operations, paths, webhookPayloads, webhooks } from './generated/schema.js';
export type { VollyJwtKeys, VollyKey, VollyMtlsOptions } from './jwt.js';
