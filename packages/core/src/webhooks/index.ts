export {
  DEFAULT_BODY_TIMEOUT_MS,
  type NodeRequestLike,
  type NodeResponseLike,
  toFetchHandler,
  toNodeHandler,
  type WebhookHandlerOptions,
} from './adapters.js';
export {
  createDeduper,
  DEFAULT_DEDUPE_LEASE_MS,
  DEFAULT_DEDUPE_MAX_ENTRIES,
  DEFAULT_DEDUPE_TTL_MS,
  DEFAULT_DEDUPE_WAIT_MS,
  type DedupeClaim,
  DedupeInFlightError,
  type DedupeOutcome,
  type Deduper,
  type DeduperOptions,
  type DedupeStore,
  DedupeStoreError,
  memoryDedupeStore,
} from './dedupe.js';
export { UnknownEventError, WebhookError, type WebhookErrorCode } from './errors.js';
export { eventKey } from './event-key.js';
export { getHeader, type HeadersLike } from './headers.js';
export {
  bodyBytes,
  bodyText,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_DEPTH,
  type EventGroup,
  type ParseOptions,
  parseEvent,
  parseEvents,
  parseJson,
  type RawBody,
  type ValidateFunction,
  type ValidationIssue,
} from './parse.js';
export type { SignedDelivery, WebhookProfile, WebhookSigning } from './profile.js';
export {
  DEFAULT_TOLERANCE_SECONDS,
  type HmacAlgorithm,
  type SignatureEncoding,
  SignatureError,
  type SignatureErrorCode,
  type SignHmacOptions,
  signHmac,
  type VerifyHmacOptions,
  verifyHmac,
} from './signature.js';
export { validatorRuntime } from './validator-runtime.js';
