import { type HeadersLike, type ParseOptions, parseEvent, type RawBody } from '@msgkit/core/webhooks';
import type { WebhookEvent } from './generated/schema.js';
import { webhookGroup } from './generated/webhook-validators.js';

/** Any event Olly POSTs to your webhook URL, discriminated by `type`. */
export type OllyWebhookEvent = WebhookEvent;

/**
 * Parses and validates an Olly webhook from the raw request body.
 * Olly documents no signature, so nothing is verified; deduplicate events by `guid`.
 * @throws {UnknownEventError} (as a rejection) for a `type` the spec does not list: acknowledge it with 2xx.
 * @throws {WebhookError} (as a rejection) when the body is not JSON, too large or deep, or misses or mistypes a documented field.
 */
export async function parseOllyWebhook(rawBody: RawBody, headers?: HeadersLike, options?: ParseOptions): Promise<OllyWebhookEvent> {
  return parseEvent<OllyWebhookEvent>(webhookGroup, rawBody, headers, options);
}

export * from '@msgkit/core/webhooks/surface';
export type { webhookPayloads } from './generated/schema.js';
export { ollyProfile } from './profile.js';
