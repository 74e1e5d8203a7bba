export {
  ApiError,
  AuthenticationError,
  BadRequestError,
  ConnectionError,
  InternalServerError,
  InvalidResponseError,
  MsgkitError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  TimeoutError,
  UnprocessableEntityError,
} from '@msgkit/core';
export type { VollyApiKeyAuth, VollyAuth, VollyMtlsAuth, VollyOAuth } from './auth.js';
export { createVollyClient, VOLLY_BASE_URL, VOLLY_TOKEN_URL, type VollyClient, type VollyClientOptions } from './client.js';
export { type LeadExternalQuery, leadExternal } from './external.js';
export type { callbacks, components, operations, paths, webhookPayloads, webhooks } from './generated/schema.js';
export type { VollyJwtKeys, VollyKey, VollyMtlsOptions } from './jwt.js';
