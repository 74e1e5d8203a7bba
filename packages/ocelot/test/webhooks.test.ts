import { readFileSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  createDeduper,
  type OcelotSmsStatus,
  type OcelotWebhookEvent,
  parseOcelotSmsStatusCallback,
  parseOcelotWebhook,
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

  it.each(examples)('%s parses into one typed event per item', (_, { kind, payload }) => {
    const events = parsers[kind](JSON.stringify(payload), json);
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
  ])('turns %s into one event per item', (_, { given, want }) => {
    const events = parseOcelotWebhook(new TextEncoder().encode(JSON.stringify(given)), json);
    expect(events.map((e) => e.name)).toEqual(want);
    expect(events).toEqual(asItems(given));
  });

  it.each([
    ['an unknown name', { given: [{ ...inbound, name: 'IncomingSms.sent' }], code: 'unknown_event', pointer: '/0/name' }],
    ['a missing name', { given: { ...optedIn, name: undefined }, code: 'unknown_event', pointer: '/name' }],
    ['a missing eventId', { given: [inbound, { ...inbound, eventId: undefined }], code: 'invalid_payload', pointer: '/1/eventId' }],
    ['an eventId that is not a UUID', { given: [withEventId(inbound, 'evt-1')], code: 'invalid_payload', pointer: '/0/eventId' }],
    ['a 2001-character message', { given: [{ ...inbound, message: 'x'.repeat(2001) }], code: 'invalid_payload', pointer: '/0/message' }],
    ['an unknown triggerType', { given: [{ ...inbound, triggerType: 'sideways' }], code: 'invalid_payload', pointer: '/0/triggerType' }],
    ['a dateTime that is not a date', { given: [{ ...inbound, dateTime: 'yesterday' }], code: 'invalid_payload', pointer: '/0/dateTime' }],
    ['a referenceField that is not an object', { given: { ...optedIn, referenceField: '123-456-7890' }, code: 'invalid_payload', pointer: '/referenceField' }],
    ['an opt-in event inside an array', { given: [optedIn], code: 'invalid_payload', pointer: undefined }],
    ['an empty batch', { given: [], code: 'invalid_payload', pointer: '' }],
    ['a batch item that is not an object', { given: ['IncomingSms.received'], code: 'invalid_payload', pointer: '/0' }],
  ])('rejects %s with WebhookError naming the field', (_, { given, code, pointer }) => {
    const run = () => parseOcelotWebhook(JSON.stringify(given), json);
    expect(run).toThrow(WebhookError);
    expect(run).toThrow(expect.objectContaining({ code, pointer }));
    if (pointer) expect(run).toThrow(pointer.split('/').pop());
  });

  it.each([
    ['a parsed object', { given: [inbound] as never, headers: json, code: 'parsed_body' }],
    ['invalid JSON', { given: '[{"eventId": ', headers: json, code: 'invalid_json' }],
    ['a form body', { given: JSON.stringify([inbound]), headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, code: 'unsupported_media_type' }],
  ])('rejects %s with WebhookError', (_, { given, headers, code }) => {
    expect(() => parseOcelotWebhook(given, headers)).toThrow(expect.objectContaining({ name: 'WebhookError', code }));
  });

  it('narrows events by name', () => {
    const [event] = parseOcelotWebhook(JSON.stringify(optedIn));
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
  ])('parses %s into one status per item', (_, { given }) => {
    const statuses = parseOcelotSmsStatusCallback(JSON.stringify(given), json);
    expect(statuses).toEqual(given);
    expectTypeOf(statuses).toEqualTypeOf<OcelotSmsStatus[]>();
  });

  it.each([
    ['a missing messageUuid', { given: [{ ...status, messageUuid: undefined }], pointer: '/0/messageUuid' }],
    ['a batchUuid that is not a UUID', { given: [status, { ...status, batchUuid: 'batch-1' }], pointer: '/1/batchUuid' }],
    ['a numeric errorCode', { given: [{ ...status, errorCode: 30007 }], pointer: '/0/errorCode' }],
  ])('rejects %s with WebhookError naming the field', (_, { given, pointer }) => {
    const run = () => parseOcelotSmsStatusCallback(JSON.stringify(given), json);
    expect(run).toThrow(WebhookError);
    expect(run).toThrow(expect.objectContaining({ code: 'invalid_payload', pointer }));
  });
});

describe('deduplication by eventId', () => {
  it('flags a redelivered eventId as a duplicate with core createDeduper', async () => {
    const deduper = createDeduper();
    const body = JSON.stringify([inbound, withEventId(inbound, '33333333-3333-4333-8333-333333333333')]);
    const first = await Promise.all(parseOcelotWebhook(body, json).map((event) => deduper.check(event.eventId)));
    const redelivery = await Promise.all(parseOcelotWebhook(body, json).map((event) => deduper.check(event.eventId)));
    const optIn = await Promise.all(
      parseOcelotWebhook(JSON.stringify(withEventId(optedIn, '44444444-4444-4444-8444-444444444444')), json).map((e) => deduper.check(e.eventId)),
    );
    expect(first).toEqual(['new', 'new']);
    expect(redelivery).toEqual(['duplicate', 'duplicate']);
    expect(optIn).toEqual(['new']);
  });
});
