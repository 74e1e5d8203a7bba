import { getHeader, type HeadersLike, type ParseOptions, parseEvent, type RawBody, verifyHmac } from '@msgkit/core/webhooks';
import type { callbacks } from './generated/schema.js';
import { sendOmnimessageDeliveryReportCallbackGroup } from './generated/webhook-validators.js';

/** The delivery report Messente POSTs to an omnimessage's `dlr_url` on every status change of one of its messages. */
export type MessenteDeliveryReport = callbacks['sendOmnimessage.deliveryReport'];

/** Name of the header carrying the delivery report's HMAC-SHA256 signature. */
export const MESSENTE_SIGNATURE_HEADER = 'X-Messente-Signature';

/** Options of `parseMessenteCallback`. */
export interface MessenteCallbackOptions extends ParseOptions {
  /**
   * Your Messente API password: when this key is present, `X-Messente-Signature` is verified before the body is
   * parsed (strongly recommended). Present but empty or `undefined` (an unset environment variable) is refused.
   */
  secret?: string;
}

/**
 * Verifies (when `options.secret` is present) and parses a delivery report that Messente POSTed to `dlr_url`.
 * The signature is an HMAC-SHA256 of the raw body keyed with your API password, hex or base64 encoded.
 * Without a secret nothing is verified: anyone who knows the URL can forge reports, so pass the secret.
 * @throws {SignatureError} (as a rejection) when a secret is given and the signature is missing, malformed or wrong.
 * @throws {WebhookError} (as a rejection) when the body is not JSON or misses or mistypes a field.
 */
export async function parseMessenteCallback(rawBody: RawBody, headers?: HeadersLike, options: MessenteCallbackOptions = {}): Promise<MessenteDeliveryReport> {
  const { secret, ...parseOptions } = options;
  if ('secret' in options) {
    // `as string`: verifyHmac itself refuses an undefined or empty secret with a clear MsgkitError.
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

export {
  createDeduper,
  type HeadersLike,
  type ParseOptions,
  type RawBody,
  SignatureError,
  toFetchHandler,
  toNodeHandler,
  WebhookError,
} from '@msgkit/core/webhooks';
export type { callbacks } from './generated/schema.js';
