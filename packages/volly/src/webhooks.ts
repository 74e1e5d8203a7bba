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
  return new MsgkitError(`options.jwt keys cannot open the Volly JWT envelope: ${cause instanceof Error ? cause.message : String(cause)}`);
}

/**
 * Parses and validates a Volly webhook from the raw request body. A `{"jwt": ...}` body (mTLS
 * accounts) is decrypted and verified with `options.jwt` first. Volly documents no event id:
 * deduplicate by `type` + `at` + `lead.id` (or `email`).
 * @throws {WebhookError} when the body is not JSON, has an unknown `type` or a field of the wrong type,
 * or is a JWT envelope while `options.jwt` is not set.
 * @throws {SignatureError} when `options.jwt` is set and the body is not an envelope, or the envelope
 * is malformed, tampered with, made with other keys or with other algorithms.
 */
export async function parseVollyWebhook(rawBody: RawBody, headers?: HeadersLike, options: VollyParseOptions = {}): Promise<VollyWebhookEvent> {
  const { jwt: keys, ...parseOptions } = options;
  const body = parseJson(bodyText(rawBody, parseOptions));
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

export { type HeadersLike, type ParseOptions, type RawBody, SignatureError, WebhookError } from '@msgkit/core/webhooks';
export type { webhookPayloads } from './generated/schema.js';
export type { VollyJwtKeys, VollyKey, VollyMtlsOptions } from './jwt.js';
