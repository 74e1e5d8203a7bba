import { readFileSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { type OllyWebhookEvent, parseOllyWebhook, WebhookError } from '../src/webhooks.js';

const spec = JSON.parse(readFileSync(new URL('../src/generated/openapi.json', import.meta.url), 'utf8'));
const examples: [string, Record<string, unknown>][] = Object.entries(spec.webhooks).map(([name, item]: [string, any]) => [
  name,
  item.post.requestBody.content['application/json'].example,
]);

describe('parseOllyWebhook', () => {
  it('covers the three documented events', () => {
    expect(examples.map(([name]) => name)).toEqual(['OutgoingMessageStatus', 'IncomingMessage', 'IncomingAttachment']);
  });

  it.each(examples)('parses the %s example into its typed event', (name, example) => {
    const event = parseOllyWebhook(JSON.stringify(example), { 'content-type': 'application/json' });
    expect(event).toEqual(example);
    expect(event.type).toBe(name);
  });

  it('narrows the union by type', () => {
    const event = parseOllyWebhook(JSON.stringify(examples[0]?.[1]));
    expectTypeOf(event).toEqualTypeOf<OllyWebhookEvent>();
    if (event.type === 'OutgoingMessageStatus')
      expectTypeOf(event.status).toEqualTypeOf<'QUEUED' | 'SENT' | 'DECLINED' | 'RECEIVED' | 'DELIVERED' | 'ERROR' | 'UNKNOWN'>();
    // @ts-expect-error `url` only exists on IncomingAttachment
    if (event.type === 'IncomingMessage') expect(event.url).toBeUndefined();
  });

  const status = examples[0]?.[1] ?? {};
  it.each([
    ['an unknown type', { given: { ...status, type: 'Typing' }, pointer: '/type', message: /"Typing".*OutgoingMessageStatus/ }],
    ['a missing guid', { given: { ...status, guid: undefined }, pointer: '/guid', message: /\/guid" is required/ }],
    ['a status outside the enum', { given: { ...status, status: 'READ' }, pointer: '/status', message: /\/status/ }],
    ['a wrong service', { given: { ...status, service: 'RCS' }, pointer: '/service', message: /\/service/ }],
    ['group_id of the wrong type', { given: { ...status, group_id: 7 }, pointer: '/group_id', message: /\/group_id/ }],
  ])('rejects %s with WebhookError naming the field', (_, { given, pointer, message }) => {
    const run = () => parseOllyWebhook(JSON.stringify(given));
    expect(run).toThrow(WebhookError);
    expect(run).toThrow(message);
    expect(run).toThrow(expect.objectContaining({ pointer }));
  });

  it('explains that a parsed body must be the raw one', () => {
    expect(() => parseOllyWebhook(status as never)).toThrow(/raw request body/);
  });
});
