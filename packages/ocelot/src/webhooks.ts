import { type HeadersLike, type ParseOptions, parseEvents, type RawBody } from '@msgkit/core/webhooks';
import type { callbacks, WebhookEvent } from './generated/schema.js';
import { sendSmsSmsDeliveryStatusCallbackGroup, webhookGroup } from './generated/webhook-validators.js';

/** Any event Ocelot POSTs to your campaign SMS or global opt-in/out webhook URI, discriminated by `name`. */
export type OcelotWebhookEvent = WebhookEvent;

/** One delivery-status change Ocelot POSTs to the `smsWebhookUri` of a Send 1:1 SMS batch. */
export type OcelotSmsStatus = callbacks['sendSms.smsDeliveryStatus'];

/**
 * Parses and validates an Ocelot webhook from the raw request body: one typed event per item of a
 * batched Campaign SMS array, a one-element array for an opt-in/out event. Ocelot documents no
 * signature, so nothing is verified; deduplicate events by `eventId` (retries reuse it).
 * @throws {UnknownEventError} (as a rejection) for a `name` the spec does not list (its `events` holds the known ones of the batch).
 * @throws {WebhookError} (as a rejection) when the body is not JSON, too large or deep, or misses or mistypes a documented field.
 */
export async function parseOcelotWebhook(rawBody: RawBody, headers?: HeadersLike, options?: ParseOptions): Promise<OcelotWebhookEvent[]> {
  return parseEvents<OcelotWebhookEvent>(webhookGroup, rawBody, headers, options);
}

/**
 * Parses and validates the delivery-status callback of Send 1:1 SMS (a JSON array, one item per
 * status change) from the raw request body. It carries no `eventId`: deduplicate by `messageUuid` + `status`.
 * @throws {WebhookError} (as a rejection) when the body is not JSON or an item misses or mistypes a documented field.
 */
export async function parseOcelotSmsStatusCallback(rawBody: RawBody, headers?: HeadersLike, options?: ParseOptions): Promise<OcelotSmsStatus[]> {
  return parseEvents<OcelotSmsStatus>(sendSmsSmsDeliveryStatusCallbackGroup, rawBody, headers, options);
}

export * from '@msgkit/core/webhooks/surface';
export type { callbacks, webhookPayloads } from './generated/schema.js';
export { ocelotProfile } from './profile.js';
