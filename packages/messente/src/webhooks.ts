import { getHeader, type HeadersLike, type ParseOptions, parseEvent, type RawBody, signHmac, verifyHmac } from '@msgkit/core/webhooks';
import type { callbacks } from './generated/schema.js';
import { sendOmnimessageDeliveryReportCallbackGroup } from './generated/webhook-validators.js';
import { MESSENTE_SIGNATURE_HEADER } from './profile.js';

/** The delivery report Messente POSTs to an omnimessage's `dlr_url` on every status change of one of its messages. */
export type MessenteDeliveryReport = callbacks['sendOmnimessage.deliveryReport'];

/** Options of `parseMessenteWebhook`. */
export interface MessenteWebhookOptions extends ParseOptions {
  /**
   * Your Messente API password (or several during a rotation, tried in turn): when this key is present,
   * `X-Messente-Signature` is verified before the body is parsed (strongly recommended). Present but empty,
   * whitespace-only or `undefined` (an unset environment variable) is refused.
   */
  secret?: string | readonly string[];
}

/** Options of `parseMessenteCallback` (the same as `parseMessenteWebhook`). */
export type MessenteCallbackOptions = MessenteWebhookOptions;

/**
 * Verifies (when `options.secret` is present) and parses a delivery report that Messente POSTed to `dlr_url`.
 * The signature is an HMAC-SHA256 of the raw body keyed with your API password, hex or base64 encoded.
 * Without a secret nothing is verified: anyone who knows the URL can forge reports, so pass the secret.
 * Deduplicate by `message_id` + `status`.
 * @throws {SignatureError} (as a rejection) when a secret is given and the signature is missing, malformed or wrong.
 * @throws {WebhookError} (as a rejection) when the body is not JSON, too large or deep, or misses or mistypes a documented field.
 */
export async function parseMessenteWebhook(rawBody: RawBody, headers?: HeadersLike, options: MessenteWebhookOptions = {}): Promise<MessenteDeliveryReport> {
  const { secret, ...parseOptions } = options;
  if ('secret' in options) {
    // `as string`: verifyHmac itself refuses an undefined, empty or blank secret with a clear MsgkitError.
    await verifyHmac({
      rawBody,
      signature: getHeader(headers, MESSENTE_SIGNATURE_HEADER),
      secret: secret as string,
      algorithm: 'SHA-256',
      encoding: 'hex-or-base64',
      maxBodyBytes: parseOptions.maxBodyBytes,
    });
  }
  return parseEvent<MessenteDeliveryReport>(sendOmnimessageDeliveryReportCallbackGroup, rawBody, headers, parseOptions);
}

/** `parseMessenteWebhook` under its earlier name. */
export const parseMessenteCallback: typeof parseMessenteWebhook = parseMessenteWebhook;

/**
 * The headers Messente sends with `body` (the exact JSON text): `X-Messente-Signature`, the hex HMAC-SHA256 of
 * the body keyed with the API password. For tests, `msgkit webhooks trigger` and forwarding.
 */
export async function signMessenteWebhook(body: RawBody, secret: string): Promise<Record<string, string>> {
  return { [MESSENTE_SIGNATURE_HEADER]: await signHmac({ rawBody: body, secret, algorithm: 'SHA-256', encoding: 'hex' }) };
}

export * from '@msgkit/core/webhooks/surface';
export type { callbacks } from './generated/schema.js';
export { MESSENTE_SIGNATURE_HEADER, messenteProfile } from './profile.js';
