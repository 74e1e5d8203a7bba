import { getHeader, type HeadersLike, type ParseOptions, parseEvent, type RawBody, signHmac, verifyHmac } from '@msgkit/core/webhooks';
import type { WebhookEvent } from './generated/schema.js';
import { webhookGroup } from './generated/webhook-validators.js';
import { AMIO_SIGNATURE_HEADER } from './profile.js';

/** Any event Amio POSTs to a channel's webhook URL, `{event, timestamp, data}` discriminated by `event`. */
export type AmioWebhookEvent = WebhookEvent;

/** Options of `parseAmioWebhook`. */
export interface AmioWebhookOptions extends ParseOptions {
  /** The channel webhook's `secret` (the key of the `X-Hub-Signature` HMAC), or several during a rotation, tried in turn. */
  secret: string | readonly string[];
}

/**
 * Verifies `X-Hub-Signature` over the raw body, then parses and validates the Amio webhook event.
 * Amio re-delivers an event until you answer 2xx and sends no event id: deduplicate by `eventKey(event)` (see the README).
 * @throws {SignatureError} (as a rejection) when the signature is missing, malformed, of another scheme or does not match.
 * @throws {UnknownEventError} (as a rejection) for an `event` the spec does not list: acknowledge it with 2xx.
 * @throws {WebhookError} (as a rejection) when the body is not JSON, too large or deep, or misses or mistypes a documented field.
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

/**
 * The headers Amio sends with `body` (the exact JSON text): `X-Hub-Signature: sha1=<hex HMAC-SHA1>` keyed with the
 * channel webhook's secret. For tests, `msgkit webhooks trigger` and forwarding.
 */
export async function signAmioWebhook(body: RawBody, secret: string): Promise<Record<string, string>> {
  return { [AMIO_SIGNATURE_HEADER]: await signHmac({ rawBody: body, secret, algorithm: 'SHA-1', prefix: 'sha1=', encoding: 'hex' }) };
}

export * from '@msgkit/core/webhooks/surface';
export type { webhookPayloads } from './generated/schema.js';
export { AMIO_SIGNATURE_HEADER, amioProfile } from './profile.js';
