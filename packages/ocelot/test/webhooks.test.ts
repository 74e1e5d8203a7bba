import { readFileSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  createDeduper,
  type OcelotSmsStatus,
  type OcelotWebhookEvent,
  parseOcelotSmsStatusCallback,
  parseOcelotWebhook,
  UnknownEventError,
  WebhookError,
} from '../src/webhooks.js';

const json = { 'content-type': 'application/json' };
const spec = JSON.parse(readFileSync(new URL('../src/generated/openapi.json', import.meta.url), 'utf8'));
const fixturesDir = new URL('../../../test/fixtures/ocelot/', import.meta.url);
const fixtures: { file: string; kind: string; webhook?: string; callback?: string }[] = JSON.parse(readFileSync(new URL('fixtures.json', fixturesDir), 'utf8'));

const parsers = { webhook: parseOcelotWebhook, callback: parseOcelotSmsStatusCallback } as const;
const asItems = (payload: unknown) => (Array.isArray(payload) ? payload : [payload]);

type Example = [string, { kind: keyof typeof parsers; payload: unknown }];
const example = (name: string, kind: keyof typeof parsers, payload: unknown): Example => [name, { kind, payload }];
const jsonExample = (operation: any) => operation.requestBody.content['application/json'].example;

/** Every webhook and callback example of the bundled spec, and every webhook/callback doc fixture. */
const examples: Example[] = [
  ...Object.entries(spec.webhooks).map(([name, item]: [string, any]) => example(`spec webhook ${name}`, 'webhook', jsonExample(item.post))),
  ...Object.values(spec.paths).flatMap((item: any) =>
    Object.entries(item.post?.callbacks ?? {}).flatMap(([name, callback]: [string, any]) =>
      Object.values(callback).map((cb: any) => example(`spec callback ${name}`, 'callback', jsonExample(cb.post))),
    ),
  ),
  ...fixtures
    .filter((f) => f.kind === 'webhook' || f.kind === 'callback')
    .map((f) => example(`fixture ${f.file}`, f.kind as keyof typeof parsers, JSON.parse(readFileSync(new URL(f.file, fixturesDir), 'utf8')))),
];

const [inbound] = jsonExample(spec.webhooks.CampaignSms.post);
const optedIn = jsonExample(spec.webhooks.GlobalOptInOut.post);
const [status] = JSON.parse(readFileSync(new URL('callback.sms_delivery_status.json', fixturesDir), 'utf8'));
const withEventId = (event: object, eventId: string) => ({ ...event, eventId });

describe('examples', () => {
  it('cover both webhooks and the callback, from the spec and the doc fixtures', () => {
    expect(examples.map(([name]) => name)).toEqual([
      'spec webhook CampaignSms',
      'spec webhook GlobalOptInOut',
      'spec callback smsDeliveryStatus',
      'fixture webhook.campaign_sms.json',
      'fixture webhook.phone_number_opted_in.json',
      'fixture callback.sms_delivery_status.json',
    ]);
  });

  it.each(examples)('%s parses into one typed event per item', async (_, { kind, payload }) => {
    const events = await parsers[kind](JSON.stringify(payload), json);
    expect(events).toEqual(asItems(payload));
  });
});

describe('parseOcelotWebhook', () => {
  it.each([
    [
      'a Campaign SMS batch of three',
      {
        given: [withEventId(inbound, '11111111-1111-4111-8111-111111111111'), inbound, withEventId(inbound, '22222222-2222-4222-8222-222222222222')],
        want: ['IncomingSms.received', 'IncomingSms.received', 'IncomingSms.received'],
      },
    ],
    [
      'an outbound Campaign SMS, keeping fields the docs do not list',
      { given: [{ ...inbound, triggerType: 'outbound', undocumented: 1 }], want: ['IncomingSms.received'] },
    ],
    ['a single opt-in event', { given: optedIn, want: ['PhoneNumber.optedIn'] }],
  ])('turns %s into one event per item', async (_, { given, want }) => {
    const events = await parseOcelotWebhook(new TextEncoder().encode(JSON.stringify(given)), json);
    expect(events.map((e) => e.name)).toEqual(want);
    expect(events).toEqual(asItems(given));
  });

  it.each([
    ['a missing name', { given: { ...optedIn, name: undefined }, code: 'invalid_payload', pointer: '/name' }],
    ['an eventId that is not a UUID', { given: [withEventId(inbound, 'evt-1')], code: 'invalid_payload', pointer: '/0/eventId' }],
    ['a 2001-character message', { given: [{ ...inbound, message: 'x'.repeat(2001) }], code: 'invalid_payload', pointer: '/0/message' }],
    ['a triggerType that is not a string', { given: [{ ...inbound, triggerType: 7 }], code: 'invalid_payload', pointer: '/0/triggerType' }],
    ['a dateTime that is not a date', { given: [{ ...inbound, dateTime: 'yesterday' }], code: 'invalid_payload', pointer: '/0/dateTime' }],
    ['a referenceField that is not an object', { given: { ...optedIn, referenceField: '123-456-7890' }, code: 'invalid_payload', pointer: '/referenceField' }],
    ['an opt-in event inside an array', { given: [optedIn], code: 'invalid_payload', pointer: undefined }],
    ['an empty batch', { given: [], code: 'invalid_payload', pointer: '' }],
    ['a batch item that is not an object', { given: ['IncomingSms.received'], code: 'invalid_payload', pointer: '/0' }],
  ])('rejects %s with WebhookError naming the field', async (_, { given, code, pointer }) => {
    const error = await parseOcelotWebhook(JSON.stringify(given), json).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebhookError);
    expect(error).toMatchObject({ code, pointer });
    if (pointer) expect(String(error)).toContain(pointer.split('/').pop());
  });

  // Constraints the spec marks x-inferred are not the docs' word: a delivery breaking only them is accepted (contract 6).
  it.each([
    ['a triggerType the docs never list (its enum is inferred)', { given: [{ ...inbound, triggerType: 'sideways' }] }],
    ['no eventId (the required list is inferred)', { given: [inbound, { ...inbound, eventId: undefined }] }],
  ])('accepts %s', async (_, { given }) => {
    expect(await parseOcelotWebhook(JSON.stringify(given), json)).toEqual(JSON.parse(JSON.stringify(given)));
  });

  it.each([
    ['an unknown name', { given: { ...optedIn, name: 'PhoneNumber.deleted' }, type: 'PhoneNumber.deleted', events: [] }],
    ['a batch with one unknown item', { given: [inbound, { ...inbound, name: 'IncomingSms.sent' }], type: 'IncomingSms.sent', events: [inbound] }],
  ])('rejects %s with UnknownEventError, carrying the known events of the batch', async (_, { given, type, events }) => {
    const error = await parseOcelotWebhook(JSON.stringify(given), json).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownEventError);
    expect(error).toMatchObject({ type, body: given, events });
  });

  it.each([
    ['a parsed object', { given: [inbound] as never, headers: json, code: 'parsed_body' }],
    ['invalid JSON', { given: '[{"eventId": ', headers: json, code: 'invalid_json' }],
    ['a form body', { given: JSON.stringify([inbound]), headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, code: 'unsupported_media_type' }],
  ])('rejects %s with WebhookError', async (_, { given, headers, code }) => {
    await expect(parseOcelotWebhook(given, headers)).rejects.toThrow(expect.objectContaining({ name: 'WebhookError', code }));
  });

  it('narrows events by name', async () => {
    const [event] = await parseOcelotWebhook(JSON.stringify(optedIn));
    expectTypeOf(event).toEqualTypeOf<OcelotWebhookEvent | undefined>();
    if (event?.name === 'PhoneNumber.optedIn') expect(event.referenceField?.value).toBe('123-456-7890');
    if (event?.name === 'IncomingSms.received') {
      expectTypeOf(event.triggerType).toEqualTypeOf<'inbound' | undefined>();
      // @ts-expect-error `referenceField` only exists on opt-in/out events
      expect(event.referenceField).toBeUndefined();
    }
  });
});

describe('parseOcelotSmsStatusCallback', () => {
  it.each([
    ['a failure', { given: [status] }],
    ['a batch with a null errorCode', { given: [status, { ...status, status: 'delivered', errorCode: null }] }],
    ['the minimal item', { given: [{ batchUuid: status.batchUuid, messageUuid: status.messageUuid, status: 'sent' }] }],
  ])('parses %s into one status per item', async (_, { given }) => {
    const statuses = await parseOcelotSmsStatusCallback(JSON.stringify(given), json);
    expect(statuses).toEqual(given);
    expectTypeOf(statuses).toEqualTypeOf<OcelotSmsStatus[]>();
  });

  it.each([
    ['a messageUuid that is not a string', { given: [{ ...status, messageUuid: 42 }], pointer: '/0/messageUuid' }],
    ['a numeric errorCode', { given: [{ ...status, errorCode: 30007 }], pointer: '/0/errorCode' }],
  ])('rejects %s with WebhookError naming the field', async (_, { given, pointer }) => {
    const error = await parseOcelotSmsStatusCallback(JSON.stringify(given), json).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebhookError);
    expect(error).toMatchObject({ code: 'invalid_payload', pointer });
  });
});

describe('parseOcelotSmsStatusCallback, liberal in what it receives', () => {
  it.each([
    ['an item without messageUuid (the required list is inferred)', { given: [{ ...status, messageUuid: undefined }] }],
    ['a batchUuid that is not a UUID (the format is inferred)', { given: [status, { ...status, batchUuid: 'batch-1' }] }],
  ])('accepts %s', async (_, { given }) => {
    expect(await parseOcelotSmsStatusCallback(JSON.stringify(given), json)).toEqual(JSON.parse(JSON.stringify(given)));
  });
});

describe('deduplication by eventId', () => {
  it('handles a redelivered eventId once with createDeduper', async () => {
    const deduper = createDeduper();
    const handled: string[] = [];
    const deliver = async (body: string) => {
      const outcomes = [];
      for (const event of await parseOcelotWebhook(body, json)) outcomes.push((await deduper.run(event.eventId, () => handled.push(event.eventId))).status);
      return outcomes;
    };
    const body = JSON.stringify([inbound, withEventId(inbound, '33333333-3333-4333-8333-333333333333')]);
    expect(await deliver(body)).toEqual(['handled', 'handled']);
    expect(await deliver(body)).toEqual(['duplicate', 'duplicate']);
    expect(await deliver(JSON.stringify(withEventId(optedIn, '44444444-4444-4444-8444-444444444444')))).toEqual(['handled']);
    expect(handled).toHaveLength(3);
  });
});
