import { rmSync, writeFileSync } from 'node:fs';
import { compileValidators } from '@msgkit/spec/generate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EventGroup, parseEvent, UnknownEventError, WebhookError } from '../src/webhooks/index.js';

/** A small spec whose one webhook payload has every kind of node contract 6 talks about. */
const doc = {
  components: {
    schemas: {
      Event: {
        type: 'object',
        additionalProperties: false,
        required: ['type', 'id', 'status', 'content'],
        properties: {
          type: { type: 'string', const: 'thing.happened', 'x-inferred': true },
          id: { type: 'string', format: 'uuid', 'x-inferred': true, 'x-inferred-reason': 'the docs say "id"' },
          ref: { type: 'string', format: 'uuid' },
          status: { type: 'string', enum: ['ok', 'failed'] },
          channel: { type: 'string', enum: ['sms'], 'x-inferred': true },
          code: { type: 'string', pattern: '^[A-Z]{3}$', maxLength: 3, 'x-inferred': true },
          content: { $ref: '#/components/schemas/Content' },
          meta: { $ref: '#/components/schemas/Meta' },
        },
      },
      Content: {
        'x-inferred': true,
        type: 'object',
        oneOf: [{ $ref: '#/components/schemas/Text' }, { $ref: '#/components/schemas/Image' }],
        discriminator: { propertyName: 'type', mapping: { text: '#/components/schemas/Text' } },
      },
      Text: { type: 'object', additionalProperties: false, required: ['type', 'text'], properties: { type: { const: 'text' }, text: { type: 'string' } } },
      Image: { type: 'object', additionalProperties: false, required: ['type', 'url'], properties: { type: { const: 'image' }, url: { type: 'string' } } },
      Meta: { type: 'object', 'x-inferred': true, required: ['source'], properties: { source: { type: 'string' } } },
    },
  },
};
const groups = [
  {
    name: 'webhooks',
    discriminator: { property: 'type', values: { ThingHappened: ['thing.happened'] } },
    events: [{ name: 'ThingHappened', schemaRef: '#/components/schemas/Event', batched: false }],
  },
];
const file = new URL(`./.validators-${process.pid}.generated.mjs`, import.meta.url);
let group: EventGroup;

beforeAll(async () => {
  const code = compileValidators(doc, groups).replace("'@msgkit/core/webhooks'", JSON.stringify(new URL('../src/webhooks/index.ts', import.meta.url).href));
  writeFileSync(file, code);
  group = (await import(file.href)).webhookGroup;
});
afterAll(() => rmSync(file, { force: true }));

const valid = { type: 'thing.happened', id: '00000000-0000-4000-8000-000000000000', status: 'ok', content: { type: 'text', text: 'hi' } };

describe('compileValidators: lenient received-payload validators (contract 6)', () => {
  it.each([
    ['the valid payload', { given: valid }],
    ['an unknown extra field (additionalProperties: false is not enforced)', { given: { ...valid, extra: { deep: [1] } } }],
    ['an id that breaks its x-inferred uuid format', { given: { ...valid, id: 'fr593ce7-68de-5e44-bc50-044a3ad0a7fa' } }],
    ['a channel outside its x-inferred enum', { given: { ...valid, channel: 'whatsapp' } }],
    ['a code breaking its x-inferred pattern and maxLength', { given: { ...valid, code: 'abcd' } }],
    ['a content type outside the x-inferred oneOf list', { given: { ...valid, content: { type: 'sticker', sticker_id: 1 } } }],
    ['meta without the fields of its x-inferred required list', { given: { ...valid, meta: {} } }],
    ['an extra field inside a closed branch', { given: { ...valid, content: { type: 'text', text: 'hi', emoji: true } } }],
  ])('accepts %s', (_, { given }) => {
    expect(parseEvent(group, JSON.stringify(given))).toEqual(given);
  });

  it.each([
    ['a missing documented required field', { given: { ...valid, status: undefined }, pointer: '/status' }],
    ['a value outside a documented enum', { given: { ...valid, status: 'READ' }, pointer: '/status' }],
    ['a documented format broken', { given: { ...valid, ref: 'not-a-uuid' }, pointer: '/ref' }],
    ['the wrong type in an x-inferred node (type stays strict)', { given: { ...valid, id: 42 }, pointer: '/id' }],
    ['content that is not an object', { given: { ...valid, content: 'hi' }, pointer: '/content' }],
  ])('still refuses %s with a 4xx WebhookError and its JSON pointer', (_, { given, pointer }) => {
    const error = (() => {
      try {
        parseEvent(group, JSON.stringify(given));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(WebhookError);
    expect(error).not.toBeInstanceOf(UnknownEventError);
    expect(error).toMatchObject({ code: 'invalid_payload', pointer });
  });

  it("keeps the event discriminator's const, even when marked x-inferred", () => {
    expect(group.events[0]?.validate({ ...valid, type: 'other' })).toBe(false);
    expect(() => parseEvent(group, JSON.stringify({ ...valid, type: 'other' }))).toThrow(UnknownEventError);
  });
});
