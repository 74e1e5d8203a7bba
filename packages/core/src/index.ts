export { type Authenticator, basicAuth, bearerAuth, type ClientCredentialsOptions, clientCredentialsAuth, headerAuth, queryAuth } from './auth.js';
export { type ClientOptions, createProviderClient, type ProviderClient, type ProviderClientOptions } from './client.js';
export {
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
  parseRateLimit,
  parseRetryAfter,
  RateLimitError,
  type RateLimitInfo,
  TimeoutError,
  UnprocessableEntityError,
} from './errors.js';
export { REDACTED, redactHeaders, redactUrl } from './redact.js';
