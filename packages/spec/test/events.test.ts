import { describe, expect, it } from 'vitest';
import { findDiscriminator } from '../src/discriminator.js';
import { readEvents } from '../src/events.js';

const pinned = (property: string, pin: object, extra: object = {}) => ({
  type: 'object',
  required: [property],
  properties: { [property]: { type: 'string', ...pin }, id: { type: 'string' } },
  ...extra,
});
const schemas = {
  Sent: pinned('event', { const: 'sent' }),
  Failed: pinned('event', { enum: ['failed', 'rejected'] }),
  Optional: { type: 'object', properties: { event: { const: 'optional' } } },
  Either: { oneOf: [{ $ref: '#/components/schemas/Sent' }, { $ref: '#/components/schemas/Failed' }] },
  Other: pinned('event', { const: 'other' }),
  Clash: pinned('event', { const: 'sent' }),
  Composed: { allOf: [{ $ref: '#/components/schemas/Base' }, pinned('kind', { const: 'c' })] },
  Base: { type: 'object', properties: { id: { type: 'string' } } },
};
const doc = { components: { schemas } };
const ref = (name: string) => ({ name, schemaRef: `#/components/schemas/${name}` });

describe('findDiscriminator', () => {
  it.each([
    ['const and enum pins', { given: [ref('Sent'), ref('Failed')], want: { property: 'event', values: { Sent: ['sent'], Failed: ['failed', 'rejected'] } } }],
    [
      'a oneOf pins the union of its branches',
      { given: [ref('Either'), ref('Other')], want: { property: 'event', values: { Either: ['sent', 'failed', 'rejected'], Other: ['other'] } } },
    ],
    ['a single event needs none', { given: [ref('Sent')], want: null }],
  ])('%s', (_, { given, want }) => {
    expect(findDiscriminator(doc, given, 'here')).toEqual(want);
  });

  it.each([
    ['a property that is not required', { given: [ref('Sent'), ref('Optional')] }],
    ['values that repeat', { given: [ref('Sent'), ref('Clash')] }],
  ])('refuses %s', (_, { given }) => {
    expect(() => findDiscriminator(doc, given, 'webhooks')).toThrow('webhooks: events must share a required property pinned by const/enum to distinct values');
  });
});

const body = (schema: object, example: unknown) => ({ requestBody: { content: { 'application/json': { schema, example } } } });
const eventsDoc = {
  components: { schemas },
  webhooks: {
    sent: { post: { operationId: 'onSent', summary: 'Sent', ...body({ $ref: '#/components/schemas/Sent' }, { event: 'sent' }) } },
    failed: { post: { operationId: 'onFailed', ...body({ type: 'array', items: { $ref: '#/components/schemas/Failed' } }, [{ event: 'failed' }]) } },
  },
  paths: {
    '/send': {
      post: {
        operationId: 'send',
        callbacks: {
          status: {
            '{$request.body#/url}': {
              post: { operationId: 'onStatus', summary: 'Status', ...body({ $ref: '#/components/schemas/Other' }, { event: 'sent' }) },
            },
          },
        },
      },
    },
  },
};

describe('readEvents', () => {
  it('reads the webhook group, batches and one group per callback', () => {
    const { webhooks, callbacks } = readEvents(eventsDoc);
    expect(webhooks?.discriminator).toEqual({ property: 'event', values: { sent: ['sent'], failed: ['failed', 'rejected'] } });
    expect(webhooks?.events.map((e) => [e.name, e.operationId, e.summary, e.typeName, e.batched, e.expression])).toEqual([
      ['sent', 'onSent', 'Sent', 'Sent', false, undefined],
      ['failed', 'onFailed', 'failed', 'Failed', true, undefined],
    ]);
    expect(callbacks.map((g) => [g.name, g.discriminator, g.events.map((e) => [e.name, e.expression, e.example])])).toEqual([
      ['send.status', null, [['onStatus', '{$request.body#/url}', { event: 'sent' }]]],
    ]);
  });

  it.each([
    ['an inline payload schema', { given: { type: 'object' }, example: {}, want: /webhooks.x: the payload schema \(or its array items\) must be a \$ref/ }],
    ['a missing example', { given: { $ref: '#/components/schemas/Sent' }, example: undefined, want: /webhooks.x: needs an example payload/ }],
  ])('refuses %s', (_, { given, example, want }) => {
    expect(() => readEvents({ components: { schemas }, webhooks: { x: { post: { operationId: 'x', ...body(given, example) } } } })).toThrow(want);
  });

  it('refuses a webhook that is not a POST', () => {
    expect(() => readEvents({ webhooks: { x: { put: { operationId: 'x' } } } })).toThrow('webhooks.x: only POST webhooks are supported');
  });
});
