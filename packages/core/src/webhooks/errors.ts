import { MsgkitError } from '../errors.js';

/** Why a webhook body was rejected. */
export type WebhookErrorCode =
  | 'parsed_body'
  | 'invalid_body'
  | 'body_too_large'
  | 'unsupported_media_type'
  | 'invalid_json'
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
