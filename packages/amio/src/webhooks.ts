import { getHeader, type HeadersLike, type ParseOptions, parseEvent, type RawBody, verifyHmac } from '@msgkit/core/webhooks';
import type { WebhookEvent } from './generated/schema.js';
import { webhookGroup } from './generated/webhook-validators.js';

/** Any event Amio POSTs to a channel's webhook URL, `{event, timestamp, data}` discriminated by `event`. */
export type AmioWebhookEvent = WebhookEvent;

/** Options of `parseAmioWebhook`. */
export interface AmioWebhookOptions extends ParseOptions {
  /** The channel webhook's `secret` (the key of the `X-Hub-Signature` HMAC). */
  secret: string;
}

/** The header Amio signs every webhook with: `sha1=<hex HMAC-SHA1 of the raw body>`. */
export const AMIO_SIGNATURE_HEADER = 'X-Hub-Signature';

/**
 * Verifies `X-Hub-Signature` over the raw body, then parses and validates the Amio webhook event.
 * Amio re-delivers an event until you answer 2xx, so deduplicate (see the README).
 * @throws {SignatureError} when the signature is missing, malformed, of another scheme or does not match.
 * @throws {WebhookError} when the body is not JSON, has an unknown `event` or misses a required field.
 */
export async function parseAmioWebhook(rawBody: RawBody, headers: HeadersLike | undefined, options: AmioWebhookOptions): Promise<AmioWebhookEvent> {
  const { secret, ...parseOptions } = options ?? ({} as AmioWebhookOptions);
  await verifyHmac({
    rawBody,
    signature: getHeader(headers, AMIO_SIGNATURE_HEADER),
    secret,
    algorithm: 'SHA-1',
    prefix: 'sha1=',
    encoding: 'hex',
    maxBodyBytes: parseOptions.maxBodyBytes,
  });
  return parseEvent<AmioWebhookEvent>(webhookGroup, rawBody, headers, parseOptions);
}

export {
  createDeduper,
  type Deduper,
  type DeduperOptions,
  type DedupeStore,
  type HeadersLike,
  type ParseOptions,
  type RawBody,
  SignatureError,
  WebhookError,
} from '@msgkit/core/webhooks';
export type { webhookPayloads } from './generated/schema.js';
