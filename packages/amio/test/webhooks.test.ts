import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MsgkitError } from '@msgkit/core';
import { signHmac } from '@msgkit/core/webhooks';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { webhookGroup } from '../src/generated/webhook-validators.js';
import * as surface from '../src/webhooks.js';
import {
  AMIO_SIGNATURE_HEADER,
  type AmioWebhookEvent,
  createDeduper,
  eventKey,
  parseAmioWebhook,
  SignatureError,
  signAmioWebhook,
  toNodeHandler,
  type UnknownEventError,
  WebhookError,
} from '../src/webhooks.js';

const spec = JSON.parse(readFileSync(new URL('../src/generated/openapi.json', import.meta.url), 'utf8'));
const fixtureDir = new URL('../../../test/fixtures/amio/', import.meta.url);
const fixture = (file: string) => readFileSync(new URL(file, fixtureDir), 'utf8');
const vector: { body: string; secret: string; header: string } = JSON.parse(fixture('signature-vector.json'));

const SECRET = 'thzWPzSPhNjfdKdfsLBEHFeLWW';
/** The X-Hub-Signature value Amio sends with `rawBody`, from the package's own signer. */
const sign = async (rawBody: string, secret = SECRET) => (await signAmioWebhook(rawBody, secret))[AMIO_SIGNATURE_HEADER] ?? '';
const signed = async (rawBody: string) => ({ 'content-type': 'application/json', 'x-hub-signature': await sign(rawBody) });

/** Every webhook example of the bundled spec: [webhook/example, webhook, raw body]. */
const specExamples: [string, string, string][] = Object.entries(spec.webhooks).flatMap(([name, item]: [string, any]) =>
  Object.entries(item.post.requestBody.content['application/json'].examples ?? {}).map(
    ([example, { value }]: [string, any]) => [`${name}/${example}`, name, JSON.stringify(value)] as [string, string, string],
  ),
);

/** Every webhook fixture saved from the docs: [file, webhook, raw bytes as saved]. */
const fixtures: [string, string, string][] = JSON.parse(fixture('fixtures.json'))
  .filter((f: { kind: string }) => f.kind === 'webhook')
  .map((f: { file: string; webhook: string }) => [f.file, f.webhook, fixture(f.file)]);

/** The `event` values that select a webhook of the spec. */
const eventValues = (webhook: string) => webhookGroup.events.find((e) => e.name === webhook)?.values ?? [];

describe('parseAmioWebhook', () => {
  it('has examples and fixtures for every webhook of the spec', () => {
    const webhooks = Object.keys(spec.webhooks).sort();
    expect([...new Set(specExamples.map(([, webhook]) => webhook))].sort()).toEqual(webhooks);
    expect([...new Set(fixtures.map(([, webhook]) => webhook))].sort()).toEqual(webhooks);
  });

  it('verifies the docs’ signature test vector and parses its body', async () => {
    const event = await parseAmioWebhook(vector.body, { 'X-Hub-Signature': vector.header }, { secret: vector.secret });
    expect(event).toEqual(JSON.parse(vector.body));
    expect(event.event).toBe('messages_delivered');
    expect(await sign(vector.body, vector.secret)).toBe(vector.header);
  });

  it.each([...specExamples, ...fixtures])('parses %s into its typed event', async (_, webhook, rawBody) => {
    const event = await parseAmioWebhook(rawBody, await signed(rawBody), { secret: SECRET });
    expect(event).toEqual(JSON.parse(rawBody));
    expect(eventValues(webhook)).toContain(event.event);
  });

  it.each([
    [
      'the body with one byte changed',
      { given: { body: vector.body.replace('151990525359991', '151990525359992'), header: vector.header }, code: 'signature_mismatch' },
    ],
    ['a missing header', { given: { body: vector.body, header: undefined }, code: 'missing_signature' }],
    ['a sha256= header', { given: { body: vector.body, header: `sha256=${'0'.repeat(64)}` }, code: 'unsupported_scheme' }],
    ['a sha1= header that is not 40 hex digits', { given: { body: vector.body, header: 'sha1=cb041d03' }, code: 'malformed_signature' }],
    ['the signature of another secret', { given: { body: vector.body, header: 'sha1=0000000000000000000000000000000000000000' }, code: 'signature_mismatch' }],
  ])('rejects %s with SignatureError', async (_, { given, code }) => {
    const headers = given.header === undefined ? {} : { 'X-Hub-Signature': given.header };
    const error = await parseAmioWebhook(given.body, headers, { secret: vector.secret }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SignatureError);
    expect(error).toMatchObject({ code });
    expect(String(error)).not.toContain(vector.secret);
  });

  it('rejects the sha256 signature of the right secret as unsupported, not as a mismatch', async () => {
    const header = await signHmac({ rawBody: vector.body, secret: vector.secret, algorithm: 'SHA-256', prefix: 'sha256=', encoding: 'hex' });
    await expect(parseAmioWebhook(vector.body, { 'X-Hub-Signature': header }, { secret: vector.secret })).rejects.toMatchObject({ code: 'unsupported_scheme' });
  });

  it('verifies before parsing: an unsigned body that is not even JSON fails on the signature', async () => {
    const error = await parseAmioWebhook('{not json', { 'X-Hub-Signature': vector.header }, { secret: vector.secret }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SignatureError);
  });

  const delivered = JSON.parse(vector.body);
  it.each([
    ['not JSON', { given: '{"event":', pointer: undefined, message: /not valid JSON/ }],
    ['a missing event', { given: JSON.stringify({ ...delivered, event: undefined }), pointer: '/event', message: /"\/event" is required/ }],
    ['a missing timestamp', { given: JSON.stringify({ ...delivered, timestamp: undefined }), pointer: '/timestamp', message: /\/timestamp" is required/ }],
  ])('rejects a correctly signed body with %s with WebhookError naming the field', async (_, { given, pointer, message }) => {
    const error = await parseAmioWebhook(given, await signed(given), { secret: SECRET }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebhookError);
    expect(String(error)).toMatch(message);
    expect((error as WebhookError).pointer).toBe(pointer);
  });

  it.each([
    ['no data.messages (the docs give no required list)', { given: JSON.stringify({ ...delivered, data: { ...delivered.data, messages: undefined } }) }],
    [
      'an error code outside 1-4 (the docs list codes, they do not close the list)',
      { given: fixture('webhook.message_failed.json').replace('"code": 1', '"code": 5') },
    ],
  ])('accepts a correctly signed body with %s', async (_, { given }) => {
    await expect(parseAmioWebhook(given, await signed(given), { secret: SECRET })).resolves.toEqual(JSON.parse(given));
  });

  it('explains that a parsed body must be the raw one', async () => {
    await expect(parseAmioWebhook(delivered, { 'X-Hub-Signature': vector.header }, { secret: vector.secret })).rejects.toThrow(/raw request body/);
  });

  it.each([
    ['no options', { given: undefined }],
    ['no secret', { given: {} }],
    ['an empty secret', { given: { secret: '' } }],
    ['a whitespace-only secret', { given: { secret: ' \n' } }],
    ['an empty list of secrets', { given: { secret: [] } }],
    ['maxBodyBytes NaN', { given: { secret: vector.secret, maxBodyBytes: Number.NaN } }],
  ])('rejects %s before looking at the body', async (_, { given }) => {
    await expect(parseAmioWebhook(vector.body, { 'X-Hub-Signature': vector.header }, given as never)).rejects.toThrow(MsgkitError);
  });

  it('lets a deduper keyed by eventKey(event) (the README recipe) handle a replay once, whatever the header variant', async () => {
    const deduper = createDeduper();
    const handled: string[] = [];
    const header = await sign(vector.body);
    const digest = header.slice('sha1='.length);
    // A captured delivery replayed with the header variants verifyHmac accepts, then two other events.
    const deliveries: [string, string][] = [
      [vector.body, header],
      [vector.body, `sha1=${digest.toUpperCase()}`],
      [vector.body, `SHA1=${digest}`],
      [vector.body, `  ${header}  `],
      [fixture('webhook.messages_delivered.json'), await sign(fixture('webhook.messages_delivered.json'))],
      [fixture('webhook.message_failed.json'), await sign(fixture('webhook.message_failed.json'))],
    ];
    const outcomes: string[] = [];
    for (const [body, signature] of deliveries) {
      const event = await parseAmioWebhook(body, { 'content-type': 'application/json', 'x-hub-signature': signature }, { secret: SECRET });
      outcomes.push((await deduper.run(await eventKey(event), () => handled.push(event.event))).status);
    }
    expect(outcomes).toEqual(['handled', 'duplicate', 'duplicate', 'duplicate', 'handled', 'handled']);
    expect(handled).toEqual(['messages_delivered', 'messages_delivered', 'message_failed']);
  });

  it('verifies with any secret of a rotation', async () => {
    const headers = await signAmioWebhook(vector.body, 'old-secret');
    expect(await parseAmioWebhook(vector.body, headers, { secret: ['new-secret', 'old-secret'] })).toEqual(delivered);
    await expect(parseAmioWebhook(vector.body, headers, { secret: 'new-secret' })).rejects.toBeInstanceOf(SignatureError);
  });

  it('signAmioWebhook reproduces the docs’ test vector', async () => {
    expect(await signAmioWebhook(vector.body, vector.secret)).toEqual({ 'X-Hub-Signature': vector.header });
  });

  it('exports the webhook surface every provider package shares', () => {
    for (const name of ['WebhookError', 'SignatureError', 'UnknownEventError', 'createDeduper', 'toNodeHandler', 'toFetchHandler', 'eventKey']) {
      expect(typeof (surface as Record<string, unknown>)[name], name).toBe('function');
    }
  });

  it.each([['an event type the spec does not list', { given: { ...delivered, event: 'typing_on' }, type: 'typing_on' }]])(
    'rejects %s with UnknownEventError, carrying the body and its type',
    async (_, { given, type }) => {
      const body = JSON.stringify(given);
      const error = await parseAmioWebhook(body, await signed(body), { secret: SECRET }).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'UnknownEventError', code: 'unknown_event', type, body: given, pointer: '/event' });
      expect(error).toBeInstanceOf(WebhookError);
    },
  );

  // Issue 12: what the docs do not state never refuses a delivery (contract 6, the spec marks it x-inferred).
  const echo = JSON.parse(fixture('webhook.mobile_message_echo.json'));
  it.each([
    ['a field the docs do not list', { given: { ...delivered, data: { ...delivered.data, extra: { nested: true } } } }],
    ['a content type the docs never listed ("text, image, etc.")', { given: { ...echo, data: { ...echo.data, content: { type: 'sticker', payload: 'x' } } } }],
    [
      'a Mobile message_echo whose metadata has type "order" (reserved on Facebook Messenger only)',
      { given: { ...echo, data: { ...echo.data, metadata: { type: 'order' } } } },
    ],
  ])('accepts %s', async (_, { given }) => {
    const body = JSON.stringify(given);
    expect(await parseAmioWebhook(body, await signed(body), { secret: SECRET })).toEqual(given);
  });

  it('acknowledges a signed unknown event with 200 on a real 127.0.0.1 server, without calling the handler', async () => {
    const handled: unknown[] = [];
    const unknown: UnknownEventError[] = [];
    const server = createServer(
      toNodeHandler({
        parse: (raw, headers) => parseAmioWebhook(raw, headers, { secret: SECRET }),
        dedupe: { deduper: createDeduper(), key: eventKey },
        handler: (event) => handled.push(event),
        onUnknownEvent: (error) => unknown.push(error),
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/amio`;
      const body = JSON.stringify({ ...delivered, event: 'typing_on' });
      const response = await fetch(url, { method: 'POST', body, headers: await signed(body) });
      expect([response.status, await response.json()]).toEqual([200, { received: 0, duplicates: 0, unknown: 1 }]);
      expect([handled, unknown.map((e) => e.type)]).toEqual([[], ['typing_on']]);
    } finally {
      server.close();
    }
  });

  it('narrows the union by event', async () => {
    const event = await parseAmioWebhook(vector.body, { 'X-Hub-Signature': vector.header }, { secret: vector.secret });
    expectTypeOf(event).toEqualTypeOf<AmioWebhookEvent>();
    if (event.event === 'message_failed') expectTypeOf(event.data.error.code).toEqualTypeOf<1 | 2 | 3 | 4>();
    // @ts-expect-error `messages` only exists on messages_delivered
    if (event.event === 'messages_read') expect(event.data.messages).toBeUndefined();
  });
});
