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
export { createOllyClient, OLLY_BASE_URL, type OllyClient, type OllyClientOptions } from './client.js';
export type { callbacks, components, operations, paths, webhookPayloads, webhooks } from './generated/schema.js';
