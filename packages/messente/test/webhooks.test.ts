import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, expectTypeOf, it } from 'vitest';
import * as surface from '../src/webhooks.js';
import {
  createDeduper,
  MESSENTE_SIGNATURE_HEADER,
  type MessenteDeliveryReport,
  parseMessenteCallback,
  parseMessenteWebhook,
  SignatureError,
  signMessenteWebhook,
  toFetchHandler,
  toNodeHandler,
  UnknownEventError,
  WebhookError,
} from '../src/webhooks.js';

const spec = JSON.parse(readFileSync(new URL('../src/generated/openapi.json', import.meta.url), 'utf8'));
const fixturesDir = new URL('../../../test/fixtures/messente/', import.meta.url);
const fixtures: { file: string; kind: string; callback?: string }[] = JSON.parse(readFileSync(new URL('fixtures.json', fixturesDir), 'utf8'));

type Example = [label: string, payload: Record<string, unknown>];

/** Every callback request example of the bundled spec, as `[label, payload]`. */
const specExamples: Example[] = Object.values(spec.paths).flatMap((item: any) =>
  Object.values(item).flatMap((operation: any) =>
    Object.entries(operation.callbacks ?? {}).flatMap(([name, callback]: [string, any]) =>
      Object.values(callback).flatMap((callbackItem: any) => {
        const media = callbackItem.post.requestBody.content['application/json'];
        const named = Object.entries(media.examples ?? {}).map(([key, e]: [string, any]): Example => [`${operation.operationId}.${name} (${key})`, e.value]);
        return media.example === undefined ? named : [[`${operation.operationId}.${name}`, media.example] as Example, ...named];
      }),
    ),
  ),
);
const fixtureExamples: Example[] = fixtures
  .filter((f) => f.kind === 'callback')
  .map((f): Example => [f.file, JSON.parse(readFileSync(new URL(f.file, fixturesDir), 'utf8'))]);

const secret = 'api-password';
const report = fixtureExamples[0]?.[1] ?? {};
const body = JSON.stringify(report);
const json = { 'content-type': 'application/json' };
/** The X-Messente-Signature value Messente sends with `text`, from the package's own signer. */
const sign = async (text: string, key = secret) => (await signMessenteWebhook(text, key))[MESSENTE_SIGNATURE_HEADER] ?? '';

describe('parseMessenteCallback', () => {
  it('has callback examples in the spec and in the fixtures', () => {
    expect(specExamples.map(([label]) => label)).toEqual(['sendOmnimessage.deliveryReport']);
    expect(fixtureExamples.length).toBeGreaterThan(0);
  });

  it.each([...specExamples, ...fixtureExamples])('parses %s into a typed delivery report', async (_, example) => {
    await expect(parseMessenteCallback(JSON.stringify(example), json)).resolves.toEqual(example);
  });

  it.each([
    ['hex', { encoding: 'hex' as const, headers: (signature: string) => ({ ...json, 'x-messente-signature': signature }) }],
    ['base64', { encoding: 'base64' as const, headers: (signature: string) => new Headers({ ...json, 'X-Messente-Signature': signature }) }],
  ])('verifies a %s signature keyed with the API password before parsing', async (_, { encoding, headers }) => {
    const hex = await sign(body);
    const signature = encoding === 'hex' ? hex : Buffer.from(hex, 'hex').toString('base64');
    await expect(parseMessenteCallback(new TextEncoder().encode(body), headers(signature), { secret })).resolves.toEqual(report);
  });

  it.each([
    ['a missing signature', { given: async () => ({ body, headers: json }), code: 'missing_signature' }],
    ['a malformed signature', { given: async () => ({ body, headers: { 'x-messente-signature': 'not a digest!' } }), code: 'malformed_signature' }],
    [
      'a signature made with another password',
      {
        given: async () => ({ body, headers: { 'x-messente-signature': await sign(body, 'other') } }),
        code: 'signature_mismatch',
      },
    ],
    [
      'a body changed after signing',
      {
        given: async () => ({
          body: body.replace('DELIVRD', 'UNDELIV'),
          headers: { 'x-messente-signature': await sign(body) },
        }),
        code: 'signature_mismatch',
      },
    ],
    [
      'an unparseable body with a wrong signature (verified before parsing)',
      {
        given: async () => ({ body: 'not json', headers: { 'x-messente-signature': await sign(body) } }),
        code: 'signature_mismatch',
      },
    ],
  ])('rejects %s with SignatureError when a secret is given', async (_, { given, code }) => {
    const { body: rawBody, headers } = await given();
    const error = await parseMessenteCallback(rawBody, headers, { secret }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SignatureError);
    expect(error).toMatchObject({ code });
    expect(String(error)).not.toContain(secret);
  });

  it.each([
    ['an empty secret (refused, not treated as no secret)', { given: { secret: '' }, want: /secret must not be empty/ }],
    [
      'an undefined secret, e.g. an unset environment variable (refused, not treated as no secret)',
      { given: { secret: undefined }, want: /secret must be a string/ },
    ],
    ['a whitespace-only secret', { given: { secret: '   ' }, want: /whitespace only/ }],
    ['maxBodyBytes NaN (refused, not treated as no limit)', { given: { secret, maxBodyBytes: Number.NaN }, want: /maxBodyBytes must be a positive number/ }],
    ['a body over maxBodyBytes (refused before hashing)', { given: { secret, maxBodyBytes: 10 }, want: /more than the 10-byte limit/ }],
  ])('rejects %s', async (_, { given, want }) => {
    const signature = await sign(body);
    await expect(parseMessenteCallback(body, { 'x-messente-signature': signature }, given)).rejects.toThrow(want);
  });

  it('still validates a correctly signed body', async () => {
    const invalid = JSON.stringify({ ...report, message_id: 42 });
    const signature = await sign(invalid);
    await expect(parseMessenteCallback(invalid, { 'x-messente-signature': signature }, { secret })).rejects.toThrow(
      expect.objectContaining({ name: 'WebhookError', pointer: '/message_id' }),
    );
  });

  it('always answers with a promise, also without a secret and for bad input', async () => {
    const result = parseMessenteCallback('not json');
    expect(result).toBeInstanceOf(Promise);
    await expect(result).rejects.toThrow(WebhookError);
  });

  it.each([
    ['a message_id that is not a string', { given: JSON.stringify({ ...report, message_id: 42 }), pointer: '/message_id', message: /\/message_id/ }],
    ['a numeric timestamp', { given: JSON.stringify({ ...report, timestamp: 1580803782 }), pointer: '/timestamp', message: /\/timestamp/ }],
    ['a body that is not JSON', { given: '{"status":', pointer: undefined, message: /not valid JSON/ }],
    ['a batch (reports come one per request)', { given: JSON.stringify([report]), pointer: undefined, message: /not sent in batches/ }],
    ['an already parsed object', { given: report as never, pointer: undefined, message: /raw request body/ }],
  ])('rejects %s with WebhookError naming the field', async (_, { given, pointer, message }) => {
    const error = await parseMessenteCallback(given, json).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebhookError);
    expect(error).toMatchObject({ pointer });
    expect(String(error)).toMatch(message);
  });

  it.each([
    ['a status the docs do not list', { given: { ...report, status: 'READ' } }],
    ['an err code outside 0-10 and 999', { given: { ...report, err: 11 } }],
    ['ids that are not UUIDs', { given: { ...report, message_id: 'fr593ce7-68de-5e44-bc50-044a3ad0a7fa' } }],
  ])('accepts %s: the docs do not close that list or format, so a delivery is never refused for it', async (_, { given }) => {
    await expect(parseMessenteCallback(JSON.stringify(given), json)).resolves.toEqual(given);
  });

  it('rejects a non-JSON Content-Type', async () => {
    await expect(parseMessenteCallback(body, { 'content-type': 'text/plain' })).rejects.toThrow(/Content-Type must be JSON/);
  });

  it('types the delivery report', async () => {
    const parsed = await parseMessenteCallback(body);
    expectTypeOf(parsed).toEqualTypeOf<MessenteDeliveryReport>();
    expectTypeOf(parsed.err).toEqualTypeOf<0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 999 | null>();
    expectTypeOf(parsed.status).toEqualTypeOf<
      'ACK' | 'DELIVRD' | 'UNDELIV' | 'FAILED' | 'UNKNOWN' | 'ACCEPTD' | 'REJECTD' | 'DELETED' | 'EXPIRED' | 'NACK' | 'SEEN' | null
    >();
    // @ts-expect-error delivery reports carry no event id
    expect(parsed.eventId).toBeUndefined();
  });

  it('plugs into the core adapter: a redelivered report is a duplicate, the next status of the message is not', async () => {
    const handled: MessenteDeliveryReport[] = [];
    const handle = toFetchHandler({
      parse: (rawBody, headers) => parseMessenteCallback(rawBody, headers, { secret }),
      dedupe: { deduper: createDeduper(), key: (r) => `${r.message_id}:${r.status}` },
      handler: (r) => handled.push(r),
    });
    const deliver = async (payload: Record<string, unknown>) => {
      const text = JSON.stringify(payload);
      const signature = await sign(text);
      const response = await handle(
        new Request('http://127.0.0.1/dlr', { method: 'POST', headers: { ...json, 'x-messente-signature': signature }, body: text }),
      );
      return [response.status, await response.json()];
    };
    const accepted = { ...report, status: 'ACK', err: null };
    expect(await deliver(accepted)).toEqual([200, { received: 1, duplicates: 0 }]);
    expect(await deliver(accepted)).toEqual([200, { received: 1, duplicates: 1 }]);
    expect(await deliver(report)).toEqual([200, { received: 1, duplicates: 0 }]);
    expect(handled.map((r) => r.status)).toEqual(['ACK', 'DELIVRD']);
  });
});

/** Messente's published delivery report example (https://messente.com/documentation/omnichannel-api/delivery-report), as written. */
const PUBLISHED =
  '{"status":"DELIVRD","sender":"MySender","err":0,"message_id":"fr593ce7-68de-5e44-bc50-044a3ad0a7fa","to":"+3725555555","channel":"sms","error":null,"omnimessage_id":"632c6f3d-49d0-4a8f-5k2n-74023d31e51d","timestamp":"2020-02-04T08:09:42.389630"}';

describe('parseMessenteWebhook, liberal in what it receives', () => {
  it("parses Messente's published example, signed with X-Messente-Signature (its ids are not UUIDs: the uuid format is inferred)", async () => {
    const headers = { ...json, ...(await signMessenteWebhook(PUBLISHED, secret)) };
    expect(await parseMessenteWebhook(PUBLISHED, headers, { secret })).toEqual(JSON.parse(PUBLISHED));
  });

  it.each([
    ['a field the docs do not list', { given: { ...report, price: '0.05', extra: { nested: true } } }],
    ['no message_id (the payload shape, required list included, is inferred from the guide)', { given: { ...report, message_id: undefined } }],
  ])('accepts %s', async (_, { given }) => {
    const text = JSON.stringify(given);
    expect(await parseMessenteWebhook(text, { ...json, ...(await signMessenteWebhook(text, secret)) }, { secret })).toEqual(JSON.parse(text));
  });

  it('keeps parseMessenteCallback as an alias', () => {
    expect(parseMessenteCallback).toBe(parseMessenteWebhook);
  });

  it('verifies with any secret of a rotation', async () => {
    const headers = await signMessenteWebhook(body, 'old-password');
    expect(await parseMessenteWebhook(body, headers, { secret: ['new-password', 'old-password'] })).toEqual(report);
    await expect(parseMessenteWebhook(body, headers, { secret: ['new-password'] })).rejects.toBeInstanceOf(SignatureError);
  });

  it('exports the webhook surface every provider package shares', () => {
    for (const name of ['WebhookError', 'SignatureError', 'UnknownEventError', 'createDeduper', 'toNodeHandler', 'toFetchHandler', 'eventKey']) {
      expect(typeof (surface as Record<string, unknown>)[name], name).toBe('function');
    }
    expectTypeOf(signMessenteWebhook).returns.toEqualTypeOf<Promise<Record<string, string>>>();
  });

  it('answers 400 on a real 127.0.0.1 server to a forged report, 200 to a signed one', async () => {
    const handled: unknown[] = [];
    const server = createServer(toNodeHandler({ parse: (raw, headers) => parseMessenteWebhook(raw, headers, { secret }), handler: (r) => handled.push(r) }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/dlr`;
      const forged = await fetch(url, { method: 'POST', body: PUBLISHED, headers: { ...json, ...(await signMessenteWebhook(PUBLISHED, 'guess')) } });
      const signed = await fetch(url, { method: 'POST', body: body, headers: { ...json, ...(await signMessenteWebhook(body, secret)) } });
      expect([forged.status, signed.status, handled]).toEqual([400, 200, [report]]);
    } finally {
      server.close();
    }
  });

  it('has no event type to be unknown: a single-event callback never throws UnknownEventError', async () => {
    const error = await parseMessenteWebhook(JSON.stringify({ status: 7 }), json).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebhookError);
    expect(error).not.toBeInstanceOf(UnknownEventError);
  });
});
