// `@msgkit/core/webhooks`: the surface every provider's `/webhooks` entry re-exports, and the parts provider packages build on.

export { DEFAULT_BODY_TIMEOUT_MS, type NodeRequestLike, type NodeResponseLike } from './adapters.js';
export { DEFAULT_DEDUPE_LEASE_MS, DEFAULT_DEDUPE_MAX_ENTRIES, DEFAULT_DEDUPE_TTL_MS, DEFAULT_DEDUPE_WAIT_MS, memoryDedupeStore } from './dedupe.js';
export type { WebhookErrorCode } from './errors.js';
export { getHeader } from './headers.js';
export {
  bodyBytes,
  bodyText,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_DEPTH,
  type EventGroup,
  parseEvent,
  parseEvents,
  parseJson,
  type ValidateFunction,
  type ValidationIssue,
} from './parse.js';
export type { SignedDelivery, WebhookSigning } from './profile.js';
export {
  DEFAULT_TOLERANCE_SECONDS,
  type HmacAlgorithm,
  type SignatureEncoding,
  type SignatureErrorCode,
  type SignHmacOptions,
  signHmac,
  type VerifyHmacOptions,
  verifyHmac,
} from './signature.js';
export * from './surface.js';
export { validatorRuntime } from './validator-runtime.js';
