// Every msgkit error class (ApiError and its subclasses, ConnectionError, TimeoutError, …).
export * from '@msgkit/core/errors';
export {
  createMessenteClient,
  MESSENTE_BASE_URL,
  type MessenteClient,
  type MessenteClientOptions,
  type MessenteErrorBody,
} from './client.js';
export type { callbacks, components, operations, paths, webhookPayloads, webhooks } from './generated/schema.js';
