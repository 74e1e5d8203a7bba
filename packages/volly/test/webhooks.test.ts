import { readFileSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import * as surface from '../src/webhooks.js';
import { parseVollyWebhook, UnknownEventError, type VollyWebhookEvent, WebhookError } from '../src/webhooks.js';

const read = (url: URL) => JSON.parse(readFileSync(url, 'utf8'));
const spec = read(new URL('../src/generated/openapi.json', import.meta.url));
const fixturesDir = new URL('../../../test/fixtures/volly/', import.meta.url);

const examples: [string, Record<string, unknown>][] = Object.entries(spec.webhooks).map(([name, item]: [string, any]) => [
  name,
  item.post.requestBody.content['application/json'].example,
]);
const fixtures: [string, { webhook: string; payload: Record<string, unknown> }][] = read(new URL('fixtures.json', fixturesDir))
  .filter((f: { kind: string }) => f.kind === 'webhook' || f.kind === 'callback')
  .map((f: { file: string; webhook: string }) => [f.file, { webhook: f.webhook, payload: read(new URL(f.file, fixturesDir)) }]);

const json = { 'content-type': 'application/json' };
const NAMES = [
  'email.queued',
  'email.delivered',
  'email.opened',
  'email.clicked',
  'email.bounced',
  'email.errored.global',
  'form.completed',
  'optout',
  'text.queued',
  'text.reply',
  'text.optout',
  'text.optin',
];

describe('parseVollyWebhook', () => {
  it('covers the twelve documented events, in the spec and in the fixtures', () => {
    expect(examples.map(([name]) => name)).toEqual(NAMES);
    expect(fixtures.map(([, f]) => f.webhook).sort()).toEqual([...NAMES].sort());
  });

  it.each(examples)('parses the spec example of %s into its typed event', async (name, example) => {
    const event = await parseVollyWebhook(JSON.stringify(example), json);
    expect(event).toEqual(example);
    expect(event.type === 'text.reply.twilio' ? 'text.reply' : event.type).toBe(name);
  });

  it.each(fixtures)('parses the doc fixture %s', async (_, { webhook, payload }) => {
    const event = await parseVollyWebhook(Buffer.from(JSON.stringify(payload)), json);
    expect(event).toEqual(payload);
    expect(event.type.startsWith(webhook)).toBe(true);
  });

  const reply = examples.find(([name]) => name === 'text.reply')?.[1] ?? {};
  const queued = examples[0]?.[1] ?? {};
  it.each([
    ['text.reply as the docs name it', { given: { ...reply, type: 'text.reply' } }],
    ['text.reply.twilio as the docs show it', { given: { ...reply, type: 'text.reply.twilio' } }],
    ['custom lead variables', { given: { ...queued, custom: { loanamount: '$240,000.00' } } }],
    ['only the type', { given: { type: 'text.optin' } }],
  ])('accepts %s', async (_, { given }) => {
    expect(await parseVollyWebhook(JSON.stringify(given))).toEqual(given);
  });

  it('narrows the union by type', async () => {
    const event = await parseVollyWebhook(JSON.stringify(reply));
    expectTypeOf(event).toEqualTypeOf<VollyWebhookEvent>();
    if (event.type === 'text.reply' || event.type === 'text.reply.twilio') expectTypeOf(event.reply).toEqualTypeOf<string | undefined>();
    if (event.type === 'email.errored.global')
      expectTypeOf(event.error).toEqualTypeOf<
        { message?: string; name?: string; location?: string; code?: string; resource?: string; recipient?: string; agent?: string } | undefined
      >();
    // @ts-expect-error `redirect` only exists on email.clicked
    if (event.type === 'email.opened') expect(event.redirect).toBeUndefined();
  });

  const bounced = examples.find(([name]) => name === 'email.bounced')?.[1] ?? {};
  it.each([
    ['a missing type', { given: { ...queued, type: undefined }, pointer: '/type', message: /"\/type" is required/ }],
    ['a lead id of the wrong type', { given: { ...queued, lead: { id: 7 } }, pointer: '/lead/id', message: /\/lead\/id/ }],
    ['an external source of the wrong type', { given: { ...queued, lead: { external: { source: 1 } } }, pointer: '/lead/external/source', message: /source/ }],
    ['a bounce error that is not a string', { given: { ...bounced, error: { code: 550 } }, pointer: '/error', message: /\/error/ }],
    ['survey answers that are not strings', { given: { type: 'form.completed', body: { Q: 2 } }, pointer: '/body/Q', message: /\/body\/Q/ }],
    ['custom variables that are not an object', { given: { ...queued, custom: 'x' }, pointer: '/custom', message: /\/custom/ }],
    ['a JSON array', { given: [queued], pointer: '/0', message: /not sent in batches/ }],
  ])('rejects %s with WebhookError naming the field', async (_, { given, pointer, message }) => {
    const error = await parseVollyWebhook(JSON.stringify(given)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebhookError);
    expect(String(error)).toMatch(message);
    if (!String(error).includes('batches')) expect(error).toMatchObject({ pointer });
  });

  it.each([
    ['not JSON', { given: '{"type": "optout",}', code: 'invalid_json' }],
    ['a parsed object', { given: { type: 'optout' }, code: 'parsed_body' }],
    ['a prototype-polluting key', { given: '{"type":"optout","__proto__":{"x":1}}', code: 'forbidden_key' }],
  ])('rejects a body that is %s', async (_, { given, code }) => {
    await expect(parseVollyWebhook(given as never)).rejects.toMatchObject({ name: 'WebhookError', code });
  });

  it('rejects a non-JSON content type', async () => {
    await expect(parseVollyWebhook(JSON.stringify(queued), { 'content-type': 'text/plain' })).rejects.toMatchObject({ code: 'unsupported_media_type' });
  });

  it('rejects a type the spec does not list with UnknownEventError, carrying the body and type', async () => {
    const given = { ...queued, type: 'email.sent' };
    const error = await parseVollyWebhook(JSON.stringify(given)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownEventError);
    expect(error).toMatchObject({ type: 'email.sent', body: given, pointer: '/type' });
  });

  it.each([
    ['the default 64 levels', { options: {}, depth: 100_000 }],
    ['a configured maxDepth', { options: { maxDepth: 8 }, depth: 10 }],
  ])('refuses a free-form custom field nested past %s with a too_deep WebhookError, not a RangeError', async (_, { options, depth }) => {
    const body = JSON.stringify({ ...queued, type: undefined }).replace(
      /^\{/,
      `{"type":${JSON.stringify(queued.type)},"custom":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)},`,
    );
    const error = await parseVollyWebhook(body, undefined, options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebhookError);
    expect(error).toMatchObject({ code: 'too_deep' });
  });

  it('exports the webhook surface every provider package shares', () => {
    for (const name of [
      'WebhookError',
      'SignatureError',
      'UnknownEventError',
      'createDeduper',
      'toNodeHandler',
      'toFetchHandler',
      'eventKey',
      'sealVollyWebhook',
    ]) {
      expect(typeof (surface as Record<string, unknown>)[name], name).toBe('function');
    }
  });
});
