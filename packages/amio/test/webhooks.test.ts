import { readFileSync } from 'node:fs';
import { MsgkitError } from '@msgkit/core';
import { signHmac } from '@msgkit/core/webhooks';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { webhookGroup } from '../src/generated/webhook-validators.js';
import { type AmioWebhookEvent, createDeduper, parseAmioWebhook, SignatureError, WebhookError } from '../src/webhooks.js';

const spec = JSON.parse(readFileSync(new URL('../src/generated/openapi.json', import.meta.url), 'utf8'));
const fixtureDir = new URL('../../../test/fixtures/amio/', import.meta.url);
const fixture = (file: string) => readFileSync(new URL(file, fixtureDir), 'utf8');
const vector: { body: string; secret: string; header: string } = JSON.parse(fixture('signature-vector.json'));

const SECRET = 'thzWPzSPhNjfdKdfsLBEHFeLWW';
const sign = (rawBody: string, secret = SECRET) => signHmac({ rawBody, secret, algorithm: 'SHA-1', prefix: 'sha1=', encoding: 'hex' });
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
    ['an unknown event', { given: JSON.stringify({ ...delivered, event: 'typing_on' }), pointer: '/event', message: /"typing_on".*"message_received"/ }],
    ['a missing event', { given: JSON.stringify({ ...delivered, event: undefined }), pointer: '/event', message: /"event" is missing/ }],
    ['a missing timestamp', { given: JSON.stringify({ ...delivered, timestamp: undefined }), pointer: '/timestamp', message: /\/timestamp" is required/ }],
    [
      'missing data.messages',
      {
        given: JSON.stringify({ ...delivered, data: { ...delivered.data, messages: undefined } }),
        pointer: '/data/messages',
        message: /\/data\/messages" is required/,
      },
    ],
    [
      'an error code outside 1-4',
      {
        given: fixture('webhook.message_failed.json').replace('"code": 1', '"code": 5'),
        pointer: '/data/error/code',
        message: /\/data\/error\/code/,
      },
    ],
  ])('rejects a correctly signed body with %s with WebhookError naming the field', async (_, { given, pointer, message }) => {
    const error = await parseAmioWebhook(given, await signed(given), { secret: SECRET }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebhookError);
    expect(String(error)).toMatch(message);
    expect((error as WebhookError).pointer).toBe(pointer);
  });

  it('explains that a parsed body must be the raw one', async () => {
    await expect(parseAmioWebhook(delivered, { 'X-Hub-Signature': vector.header }, { secret: vector.secret })).rejects.toThrow(/raw request body/);
  });

  it.each([
    ['no options', { given: undefined }],
    ['no secret', { given: {} }],
    ['an empty secret', { given: { secret: '' } }],
  ])('rejects %s before looking at the body', async (_, { given }) => {
    await expect(parseAmioWebhook(vector.body, { 'X-Hub-Signature': vector.header }, given as never)).rejects.toThrow(MsgkitError);
  });

  it('lets a deduper keyed by X-Hub-Signature (the README recipe) tell re-deliveries from new events', async () => {
    const deduper = createDeduper();
    const deliveries = [vector.body, fixture('webhook.messages_delivered.json'), vector.body, fixture('webhook.message_failed.json'), vector.body];
    const seen: string[] = [];
    for (const body of deliveries) {
      const headers = await signed(body);
      await parseAmioWebhook(body, headers, { secret: SECRET });
      seen.push(await deduper.check(headers['x-hub-signature']));
    }
    expect(seen).toEqual(['new', 'new', 'duplicate', 'new', 'duplicate']);
  });

  it('narrows the union by event', async () => {
    const event = await parseAmioWebhook(vector.body, { 'X-Hub-Signature': vector.header }, { secret: vector.secret });
    expectTypeOf(event).toEqualTypeOf<AmioWebhookEvent>();
    if (event.event === 'message_failed') expectTypeOf(event.data.error.code).toEqualTypeOf<1 | 2 | 3 | 4>();
    // @ts-expect-error `messages` only exists on messages_delivered
    if (event.event === 'messages_read') expect(event.data.messages).toBeUndefined();
  });
});
