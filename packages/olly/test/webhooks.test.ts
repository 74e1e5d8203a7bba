import { readFileSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import * as surface from '../src/webhooks.js';
import { type OllyWebhookEvent, parseOllyWebhook, UnknownEventError, WebhookError } from '../src/webhooks.js';

const spec = JSON.parse(readFileSync(new URL('../src/generated/openapi.json', import.meta.url), 'utf8'));
const examples: [string, Record<string, unknown>][] = Object.entries(spec.webhooks).map(([name, item]: [string, any]) => [
  name,
  item.post.requestBody.content['application/json'].example,
]);

describe('parseOllyWebhook', () => {
  it('covers the three documented events', () => {
    expect(examples.map(([name]) => name)).toEqual(['OutgoingMessageStatus', 'IncomingMessage', 'IncomingAttachment']);
  });

  it.each(examples)('parses the %s example into its typed event', async (name, example) => {
    const event = await parseOllyWebhook(JSON.stringify(example), { 'content-type': 'application/json' });
    expect(event).toEqual(example);
    expect(event.type).toBe(name);
  });

  it('narrows the union by type', async () => {
    const event = await parseOllyWebhook(JSON.stringify(examples[0]?.[1]));
    expectTypeOf(event).toEqualTypeOf<OllyWebhookEvent>();
    if (event.type === 'OutgoingMessageStatus')
      expectTypeOf(event.status).toEqualTypeOf<'QUEUED' | 'SENT' | 'DECLINED' | 'RECEIVED' | 'DELIVERED' | 'ERROR' | 'UNKNOWN'>();
    // @ts-expect-error `url` only exists on IncomingAttachment
    if (event.type === 'IncomingMessage') expect(event.url).toBeUndefined();
  });

  const status = examples[0]?.[1] ?? {};
  it.each([
    ['a missing guid', { given: { ...status, guid: undefined }, pointer: '/guid', message: /\/guid" is required/ }],
    ['a status outside the enum', { given: { ...status, status: 'READ' }, pointer: '/status', message: /\/status/ }],
    ['a wrong service', { given: { ...status, service: 'RCS' }, pointer: '/service', message: /\/service/ }],
    ['group_id of the wrong type', { given: { ...status, group_id: 7 }, pointer: '/group_id', message: /\/group_id/ }],
  ])('rejects %s with WebhookError naming the field', async (_, { given, pointer, message }) => {
    const error = await parseOllyWebhook(JSON.stringify(given)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebhookError);
    expect(error).not.toBeInstanceOf(UnknownEventError);
    expect(String(error)).toMatch(message);
    expect(error).toMatchObject({ pointer });
  });

  it('rejects an event type the spec does not list with UnknownEventError, carrying the body and type', async () => {
    const given = { ...status, type: 'Typing' };
    const error = await parseOllyWebhook(JSON.stringify(given)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownEventError);
    expect(error).toMatchObject({ code: 'unknown_event', type: 'Typing', body: given, pointer: '/type' });
  });

  it('accepts fields the docs do not list', async () => {
    const given = { ...status, delivered_at: '2024-01-01T00:00:00Z', extra: { nested: [1] } };
    expect(await parseOllyWebhook(JSON.stringify(given))).toEqual(given);
  });

  it('explains that a parsed body must be the raw one', async () => {
    await expect(parseOllyWebhook(status as never)).rejects.toThrow(/raw request body/);
  });

  it('exports the webhook surface every provider package shares', () => {
    for (const name of ['WebhookError', 'SignatureError', 'UnknownEventError', 'createDeduper', 'toNodeHandler', 'toFetchHandler', 'eventKey']) {
      expect(typeof (surface as Record<string, unknown>)[name], name).toBe('function');
    }
    expectTypeOf(parseOllyWebhook).returns.toEqualTypeOf<Promise<OllyWebhookEvent>>();
  });
});
