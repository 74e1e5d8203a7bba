import { type HeadersLike, type ParseOptions, parseEvent, type RawBody } from '@msgkit/core/webhooks';
import type { WebhookEvent } from './generated/schema.js';
import { webhookGroup } from './generated/webhook-validators.js';

/** Any event Olly POSTs to your webhook URL, discriminated by `type`. */
export type OllyWebhookEvent = WebhookEvent;

/**
 * Parses and validates an Olly webhook from the raw request body.
 * Olly documents no signature, so nothing is verified; deduplicate events by `guid`.
 * @throws {WebhookError} when the body is not JSON, has an unknown `type` or misses a required field.
 */
export function parseOllyWebhook(rawBody: RawBody, headers?: HeadersLike, options?: ParseOptions): OllyWebhookEvent {
  return parseEvent<OllyWebhookEvent>(webhookGroup, rawBody, headers, options);
}

export { type HeadersLike, type ParseOptions, type RawBody, WebhookError } from '@msgkit/core/webhooks';
export type { webhookPayloads } from './generated/schema.js';
