import { MsgkitError } from '@msgkit/core';
import { bodyText, type HeadersLike, type ParseOptions, parseEvent, parseJson, type RawBody, SignatureError, WebhookError } from '@msgkit/core/webhooks';
import { errors as jose } from 'jose';
import type { WebhookEvent } from './generated/schema.js';
import { webhookGroup } from './generated/webhook-validators.js';
import { isEnvelope, open, seal, type VollyJwtKeys, type VollyMtlsOptions } from './jwt.js';

/** Any event Volly POSTs to your webhook URL, discriminated by `type`. */
export type VollyWebhookEvent = WebhookEvent;

/** Options of `parseVollyWebhook`. */
export interface VollyParseOptions extends ParseOptions {
  /** mTLS accounts: keys that decrypt and verify `{"jwt": ...}` bodies. When set, plain bodies are refused. */
  jwt?: VollyJwtKeys;
}

/** Turns a jose failure into a typed error that says what went wrong, without key material. */
function envelopeError(cause: unknown): Error {
  if (cause instanceof jose.JWEDecryptionFailed || cause instanceof jose.JWSSignatureVerificationFailed) {
    return new SignatureError('signature_mismatch', `Volly JWT envelope failed decryption or verification (tampered, or wrong keys): ${cause.message}`);
  }
  if (cause instanceof jose.JOSEAlgNotAllowed || cause instanceof jose.JOSENotSupported) {
    return new SignatureError('unsupported_scheme', `Volly JWT envelope uses an algorithm that is not accepted: ${cause.message}`);
  }
  if (cause instanceof jose.JOSEError) return new SignatureError('malformed_signature', `Volly JWT envelope is malformed: ${cause.message}`);
  // Unusable options.jwt keys, found before any token byte was trusted: a configuration error (5xx).
  if (cause instanceof MsgkitError) return cause;
  // Anything else came from processing the sender's token: a forged envelope is refused (4xx), never a 5xx.
  return new SignatureError('malformed_signature', `Volly JWT envelope could not be opened: ${cause instanceof Error ? cause.message : String(cause)}`);
}

/**
 * Parses and validates a Volly webhook from the raw request body. A `{"jwt": ...}` body (mTLS
 * accounts) is decrypted and verified with `options.jwt` first. Volly documents no event id:
 * deduplicate by `eventKey(event)`.
 * @throws {UnknownEventError} (as a rejection) for a `type` the spec does not list: acknowledge it with 2xx.
 * @throws {WebhookError} (as a rejection) when the body is not JSON, too large or deep, misses or mistypes a documented
 * field, or is a JWT envelope while `options.jwt` is not set.
 * @throws {SignatureError} (as a rejection) when `options.jwt` is set and the body is not an envelope, or the envelope
 * is malformed, tampered with, made with other keys or with algorithms other than `signingAlgorithms` (default RS256).
 * @throws {MsgkitError} (as a rejection) when `options.jwt` keys are not RSA keys of the right kind (raw bytes are refused).
 */
export async function parseVollyWebhook(rawBody: RawBody, headers?: HeadersLike, options: VollyParseOptions = {}): Promise<VollyWebhookEvent> {
  const { jwt: keys, ...parseOptions } = options;
  const body = parseJson(bodyText(rawBody, parseOptions), parseOptions);
  if (!isEnvelope(body)) {
    if (keys) {
      throw new SignatureError('missing_signature', 'options.jwt is set, so Volly events must arrive as a {"jwt": ...} envelope; this body is a plain event');
    }
    return parseEvent<VollyWebhookEvent>(webhookGroup, rawBody, headers, parseOptions);
  }
  if (!keys) {
    throw new WebhookError(
      'invalid_payload',
      'Webhook body is a Volly mTLS JWT envelope ({"jwt": ...}); pass options.jwt = { decryptionKey, verificationKey } to decrypt and verify it',
      { pointer: '/jwt' },
    );
  }
  let payload: Uint8Array;
  try {
    payload = await open(body.jwt, keys);
  } catch (cause) {
    throw envelopeError(cause);
  }
  return parseEvent<VollyWebhookEvent>(webhookGroup, payload, headers, parseOptions);
}

/**
 * Wraps a webhook payload (the exact JSON text) the way Volly sends events to mTLS accounts:
 * `{"jwt": "<signed then encrypted payload>"}`. For tests and for `msgkit webhooks trigger volly --jwt-keys`.
 */
export async function sealVollyWebhook(payload: string, keys: VollyMtlsOptions): Promise<string> {
  return JSON.stringify({ jwt: await seal(payload, keys) });
}

export * from '@msgkit/core/webhooks/surface';
export type { webhookPayloads } from './generated/schema.js';
export { DEFAULT_JWS_ALGORITHM, JWS_ALGORITHMS, type VollyJwtKey, type VollyJwtKeys, type VollyKey, type VollyMtlsOptions } from './jwt.js';
export { vollyProfile } from './profile.js';
