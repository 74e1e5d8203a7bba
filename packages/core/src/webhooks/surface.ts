// What every provider's `/webhooks` entry re-exports from core (issue 15's one webhook surface): one list, `export *`-ed by each.
export { toFetchHandler, toNodeHandler, type WebhookHandlerOptions } from './adapters.js';
export {
  createDeduper,
  type DedupeClaim,
  DedupeInFlightError,
  type DedupeOutcome,
  type Deduper,
  type DeduperOptions,
  type DedupeStore,
  DedupeStoreError,
} from './dedupe.js';
export { UnknownEventError, WebhookError } from './errors.js';
export { eventKey } from './event-key.js';
export type { HeadersLike } from './headers.js';
export type { ParseOptions, RawBody } from './parse.js';
export type { WebhookProfile } from './profile.js';
export { SignatureError } from './signature.js';
