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
export {
  createMessenteClient,
  MESSENTE_BASE_URL,
  type MessenteClient,
  type MessenteClientOptions,
  type MessenteErrorBody,
} from './client.js';
export type { callbacks, components, operations, paths, webhookPayloads, webhooks } from './generated/schema.js';
