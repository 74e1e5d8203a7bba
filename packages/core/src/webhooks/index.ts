export { WebhookError, type WebhookErrorCode } from './errors.js';
export { getHeader, type HeadersLike } from './headers.js';
export {
  bodyText,
  DEFAULT_MAX_BODY_BYTES,
  type EventGroup,
  type ParseOptions,
  parseEvent,
  parseEvents,
  parseJson,
  type RawBody,
  type ValidateFunction,
  type ValidationIssue,
} from './parse.js';
export { validatorRuntime } from './validator-runtime.js';
