import { MsgkitError } from '../errors.js';

/** Why a webhook body was rejected. */
export type WebhookErrorCode =
  | 'parsed_body'
  | 'invalid_body'
  | 'body_too_large'
  | 'unsupported_media_type'
  | 'invalid_json'
  | 'too_deep'
  | 'body_timeout'
  | 'forbidden_key'
  | 'unknown_event'
  | 'invalid_payload';

/** A webhook body that cannot be turned into a typed event. */
export class WebhookError extends MsgkitError {
  override name = 'WebhookError';
  /** Machine-readable reason. */
  readonly code: WebhookErrorCode;
  /** JSON pointer of the failing field (e.g. `/0/status`), when the problem is one field. */
  readonly pointer: string | undefined;
  /** Name of the event the body was recognised as, when known. */
  readonly event: string | undefined;

  constructor(code: WebhookErrorCode, message: string, details: { pointer?: string; event?: string } = {}) {
    super(message);
    this.code = code;
    this.pointer = details.pointer;
    this.event = details.event;
  }
}

/**
 * A signed, well-formed delivery of an event type the spec does not list (the provider added one).
 * It is not malformed: `toNodeHandler`/`toFetchHandler` acknowledge it with 2xx and report it through
 * `onUnknownEvent` instead of calling the handler.
 */
export class UnknownEventError extends WebhookError {
  override name = 'UnknownEventError';
  /** The parsed JSON body. */
  readonly body: unknown;
  /** The discriminator value nobody here knows (e.g. the `type` field). */
  readonly type: unknown;
  /** The known events of a batch that also held unknown ones, validated: adapters still hand them to the handler. */
  readonly events: readonly unknown[];

  constructor(message: string, details: { body: unknown; type: unknown; pointer?: string; events?: readonly unknown[] }) {
    super('unknown_event', message, { pointer: details.pointer });
    this.body = details.body;
    this.type = details.type;
    this.events = details.events ?? [];
  }
}
