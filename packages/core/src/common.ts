// What both entries of core export (index.ts, the edge entry; node.ts, the Node entry); each adds its createProviderClient.
export {
  type Authenticator,
  basicAuth,
  bearerAuth,
  type ClientCredentialsOptions,
  clientCredentialsAuth,
  DEFAULT_TOKEN_TIMEOUT_MS,
  headerAuth,
  queryAuth,
} from './auth.js';
export { DEFAULT_MAX_RESPONSE_BYTES } from './body.js';
export { CLIENT_OPTION_NAMES, type ClientOptions, checkUrl, DEFAULT_TIMEOUT_MS, type ProviderClientOptions } from './client.js';
export {
  AbortedError,
  ApiError,
  type ApiErrorInit,
  AuthenticationError,
  apiErrorFor,
  BadRequestError,
  ConnectionError,
  InternalServerError,
  InvalidResponseError,
  MsgkitError,
  NotFoundError,
  PermissionDeniedError,
  parseRetryAfter,
  RateLimitError,
  ResponseTooLargeError,
  TimeoutError,
  UnprocessableEntityError,
} from './errors.js';
export { checkOptionNames } from './options.js';
export { DEFAULT_PAGE_SIZE, type Page, type PaginateOptions, paginate } from './paginate.js';
export { REDACTED, redactHeaders, redactUrl } from './redact.js';
export { LightRequest, type OutgoingRequest, type Transport } from './request.js';
export {
  DEFAULT_MAX_RETRIES,
  INITIAL_RETRY_DELAY_MS,
  isIdempotent,
  isRetryableStatus,
  MAX_RETRY_DELAY_MS,
  MAX_SERVER_DELAY_MS,
  neverReachedServer,
} from './retry.js';
export { type CallOptions, type Clock, type HookErrorEvent, type RequestEvent, type ResponseEvent, systemClock } from './send.js';
export type { StoredToken, TokenStore } from './token-store.js';
export type { CallResult, ProviderClient } from './types.js';
