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
export { createOcelotClient, type OcelotClient, type OcelotClientOptions, type OcelotErrorBody } from './client.js';
export type { callbacks, components, operations, paths, webhookPayloads, webhooks } from './generated/schema.js';
export type { OcelotPageOptions, OcelotPaginators, PhoneNumbersFilter, TranscriptsFilter } from './pagination.js';
