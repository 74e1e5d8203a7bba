import { createServer } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { MsgkitError } from '../src/index.js';
import {
  createDeduper,
  DedupeStoreError,
  type EventGroup,
  getHeader,
  type HeadersLike,
  memoryDedupeStore,
  type ParseOptions,
  parseEvent,
  parseEvents,
  type RawBody,
  signHmac,
  toFetchHandler,
  toNodeHandler,
  type UnknownEventError,
  type ValidateFunction,
  verifyHmac,
  type WebhookHandlerOptions,
} from '../src/webhooks/index.js';

type Ping = { kind: 'ping'; id: string };
type Batch = { kind: 'batch'; id: string };
type Event = Ping | Batch;

/** Stands in for a generated validator: requires a string `id`. */
const requireId: ValidateFunction = Object.assign(
  (data: unknown) => {
    const valid = typeof (data as { id?: unknown }).id === 'string';
    requireId.errors = valid ? null : [{ instancePath: '', keyword: 'required', params: { missingProperty: 'id' } }];
    return valid;
  },
  { errors: null },
);
const group: EventGroup = {
  name: 'webhooks',
  discriminator: 'kind',
  events: [
    { name: 'Ping', values: ['ping'], batched: false, validate: requireId },
    { name: 'Batch', values: ['batch'], batched: true, validate: requireId },
  ],
};

const SECRET = 'whsec_test';
const sign = (body: string) => signHmac({ rawBody: body, secret: SECRET, algorithm: 'SHA-256', prefix: 'sha256=' });
const verify = (rawBody: Uint8Array, headers: HeadersLike) =>
  verifyHmac({ rawBody, signature: getHeader(headers, 'x-signature'), secret: SECRET, algorithm: 'SHA-256', prefix: 'sha256=' });
const parse = (rawBody: Uint8Array, headers: HeadersLike) => parseEvents<Event>(group, rawBody, headers);

/** A handler options set whose handler records events and fails for ids listed in `failFor`. */
function endpoint(extra: Partial<WebhookHandlerOptions<Event>> = {}, failFor: string[] = []) {
  const handled: string[] = [];
  const errors: unknown[] = [];
  const options: WebhookHandlerOptions<Event> = {
    verify,
    parse,
    handler: async (event) => {
      if (failFor.includes(event.id)) throw new Error(`handler failed for ${event.id}`);
      handled.push(event.id);
    },
    onError: (error) => errors.push(error),
    ...extra,
  };
  return { options, handled, errors };
}

async function post(handler: (request: Request) => Promise<Response>, body: string, headers: Record<string, string> = {}) {
  const signature = await sign(body);
  const response = await handler(
    new Request('https://hooks.example.com/', { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-signature': signature, ...headers } }),
  );
  return { status: response.status, body: await response.json() };
}

/** An in-memory dedupe store that counts claims: `arrived` resolves at the `copies`th, once every copy of an event is waiting. */
function claimCounter(copies: number) {
  const inner = memoryDedupeStore();
  let claims = 0;
  let allArrived = () => {};
  const arrived = new Promise<void>((resolve) => {
    allArrived = resolve;
  });
  const store = {
    ...inner,
    claim: (key: string, leaseMs: number) => {
      if (++claims === copies) allArrived();
      return inner.claim(key, leaseMs);
    },
  };
  return { store, arrived };
}

describe('toFetchHandler', () => {
  it.each([
    ['one event', { body: '{"kind":"ping","id":"p1"}', headers: {}, status: 200, handled: ['p1'], error: undefined }],
    [
      'a batch, in order',
      { body: '[{"kind":"batch","id":"b1"},{"kind":"batch","id":"b2"}]', headers: {}, status: 200, handled: ['b1', 'b2'], error: undefined },
    ],
    ['no signature', { body: '{"kind":"ping","id":"p1"}', headers: { 'x-signature': '' }, status: 400, handled: [], error: 'missing_signature' }],
    [
      'a forged signature',
      { body: '{"kind":"ping","id":"p1"}', headers: { 'x-signature': `sha256=${'0'.repeat(64)}` }, status: 400, handled: [], error: 'signature_mismatch' },
    ],
    [
      'another scheme',
      { body: '{"kind":"ping","id":"p1"}', headers: { 'x-signature': `sha1=${'0'.repeat(40)}` }, status: 400, handled: [], error: 'unsupported_scheme' },
    ],
    ['invalid JSON', { body: '{"kind":', headers: {}, status: 400, handled: [], error: 'invalid_json' }],
    ['a missing field', { body: '{"kind":"ping"}', headers: {}, status: 400, handled: [], error: 'invalid_payload' }],
    ['a missing discriminator', { body: '{"id":"x"}', headers: {}, status: 400, handled: [], error: 'invalid_payload' }],
    [
      'a text content type',
      { body: '{"kind":"ping","id":"p1"}', headers: { 'content-type': 'text/plain' }, status: 400, handled: [], error: 'unsupported_media_type' },
    ],
  ])('%s', async (_, { body, headers, status, handled, error }) => {
    const hooks = endpoint();
    const answer = await post(toFetchHandler(hooks.options), body, headers);
    expect(answer.status).toBe(status);
    expect(hooks.handled).toEqual(handled);
    if (error) expect(answer.body.error).toMatchObject({ code: error, message: expect.any(String) });
    else expect(answer.body).toEqual({ received: handled.length, duplicates: 0 });
  });

  it('names the failing field in the 400', async () => {
    const answer = await post(toFetchHandler(endpoint().options), '[{"kind":"batch","id":"1"},{"kind":"batch"}]');
    expect(answer.body.error).toEqual({ type: 'WebhookError', code: 'invalid_payload', pointer: '/1/id', message: expect.stringContaining('/1/id') });
  });

  it.each([
    ['declared by content-length', { headers: { 'content-length': '2000' } }],
    ['streamed without content-length', { headers: {} }],
  ])('refuses a body over maxBodyBytes %s', async (_, { headers }) => {
    const hooks = endpoint({ maxBodyBytes: 100 });
    const body = JSON.stringify({ kind: 'ping', id: 'x'.repeat(500) });
    const stream = new Blob([body]).stream();
    const request = new Request('https://hooks.example.com/', { method: 'POST', body: stream, headers, duplex: 'half' } as RequestInit);
    const response = await toFetchHandler(hooks.options)(request);
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatchObject({ code: 'body_too_large' });
    expect(hooks.handled).toEqual([]);
  });

  it('answers 408 to a body stream that stalls past bodyTimeoutMs', async () => {
    const hooks = endpoint({ bodyTimeoutMs: 100 });
    const stalled = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"kind":'));
      },
    });
    const request = new Request('https://hooks.example.com/', { method: 'POST', body: stalled, duplex: 'half' } as RequestInit);
    const response = await toFetchHandler(hooks.options)(request);
    expect(response.status).toBe(408);
    expect((await response.json()).error).toMatchObject({ code: 'body_timeout' });
    expect(hooks.handled).toEqual([]);
  });

  it('answers 405 to other methods', async () => {
    const response = await toFetchHandler(endpoint().options)(new Request('https://hooks.example.com/'));
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });

  it('answers only after the handler finished', async () => {
    let finish = () => {};
    const done = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const handler = toFetchHandler<Event>({ parse, handler: () => done });
    let answered = false;
    const response = handler(
      new Request('https://hooks.example.com/', { method: 'POST', body: '{"kind":"ping","id":"p"}', headers: { 'content-type': 'application/json' } }),
    ).then((r) => {
      answered = true;
      return r;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(answered).toBe(false);
    finish();
    expect((await response).status).toBe(200);
  });

  it('answers 500 when the handler fails, reports the error, and leaks nothing of it', async () => {
    const hooks = endpoint({}, ['p1']);
    const answer = await post(toFetchHandler(hooks.options), '{"kind":"ping","id":"p1"}');
    expect(answer.status).toBe(500);
    expect(JSON.stringify(answer.body)).not.toContain('handler failed');
    expect(hooks.errors).toEqual([new Error('handler failed for p1')]);
  });

  it('answers 500 for a configuration error of verify, not 400', async () => {
    const hooks = endpoint({
      verify: (rawBody, headers) => verifyHmac({ rawBody, signature: getHeader(headers, 'x-signature'), secret: '', algorithm: 'SHA-256', prefix: 'sha256=' }),
    });
    const answer = await post(toFetchHandler(hooks.options), '{"kind":"ping","id":"p1"}');
    expect(answer.status).toBe(500);
    expect(hooks.errors[0]).toBeInstanceOf(MsgkitError);
  });

  it('answers a redelivery 200 without calling the handler again', async () => {
    const hooks = endpoint({ dedupe: { deduper: createDeduper(), key: (event) => event.id } });
    const handler = toFetchHandler(hooks.options);
    const first = await post(handler, '{"kind":"ping","id":"p1"}');
    const second = await post(handler, '{"kind":"ping","id":"p1"}');
    expect([first, second]).toEqual([
      { status: 200, body: { received: 1, duplicates: 0 } },
      { status: 200, body: { received: 1, duplicates: 1 } },
    ]);
    expect(hooks.handled).toEqual(['p1']);
  });

  it('handles the redelivery of a batch whose handler failed half-way: done events are skipped, the rest handled', async () => {
    const failFor = ['b2'];
    const hooks = endpoint({ dedupe: { deduper: createDeduper(), key: (event) => event.id } }, failFor);
    const handler = toFetchHandler(hooks.options);
    const body = '[{"kind":"batch","id":"b1"},{"kind":"batch","id":"b2"},{"kind":"batch","id":"b3"}]';
    expect((await post(handler, body)).status).toBe(500);
    failFor.length = 0;
    expect(await post(handler, body)).toEqual({ status: 200, body: { received: 3, duplicates: 1 } });
    expect(hooks.handled).toEqual(['b1', 'b2', 'b3']);
  });

  it('answers 500 when the dedupe store fails, without calling the handler', async () => {
    const store = { ...memoryDedupeStore(), claim: () => Promise.reject(new Error('redis down')) };
    const hooks = endpoint({ dedupe: { deduper: createDeduper({ store }), key: (event) => event.id } });
    expect((await post(toFetchHandler(hooks.options), '{"kind":"ping","id":"p1"}')).status).toBe(500);
    expect(hooks.handled).toEqual([]);
    expect(hooks.errors[0]).toBeInstanceOf(DedupeStoreError);
  });

  it.each([
    ['a throwing onError', { onError: () => Promise.reject(new Error('reporter down')) as never, status: 500 }],
    [
      'an onError that throws synchronously',
      {
        onError: () => {
          throw new Error('reporter down');
        },
        status: 500,
      },
    ],
  ])('still answers a 5xx, not a 4xx, with %s', async (_, { onError, status }) => {
    const hooks = endpoint({ onError }, ['p1']);
    expect((await post(toFetchHandler(hooks.options), '{"kind":"ping","id":"p1"}')).status).toBe(status);
  });

  it.each([
    ['an event type the spec does not list', { body: '{"kind":"pong","id":"x"}', handled: [], answer: { received: 0, duplicates: 0, unknown: 1 } }],
    [
      'a batch mixing known and unknown events',
      { body: '[{"kind":"batch","id":"b1"},{"kind":"new.kind","id":"n1"}]', handled: ['b1'], answer: { received: 1, duplicates: 0, unknown: 1 } },
    ],
  ])('acknowledges %s with 200 after verification, reports it and never hands it to the handler', async (_, { body, handled, answer }) => {
    const unknown: UnknownEventError[] = [];
    const hooks = endpoint({ onUnknownEvent: (error) => unknown.push(error) });
    expect(await post(toFetchHandler(hooks.options), body)).toEqual({ status: 200, body: answer });
    expect(hooks.handled).toEqual(handled);
    expect(unknown).toHaveLength(1);
    expect(unknown[0]).toMatchObject({ code: 'unknown_event', body: JSON.parse(body) });
  });

  it('refuses an unsigned unknown event with 400: verification comes first', async () => {
    const unknown: unknown[] = [];
    const hooks = endpoint({ onUnknownEvent: (error) => unknown.push(error) });
    const answer = await post(toFetchHandler(hooks.options), '{"kind":"pong","id":"x"}', { 'x-signature': `sha256=${'0'.repeat(64)}` });
    expect([answer.status, unknown]).toEqual([400, []]);
  });

  it.each([
    ['a discriminator nested 100k levels deep', { body: `${'['.repeat(100_000)}${']'.repeat(100_000)}` }],
    ['a free-form field nested 100k levels deep', { body: `{"kind":"ping","id":"p","custom":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}` }],
  ])('answers 400 too_deep, not 500, to %s', async (_, { body }) => {
    const hooks = endpoint({ maxBodyBytes: 10_000_000 });
    const answer = await post(toFetchHandler(hooks.options), body);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ type: 'WebhookError', code: 'too_deep' });
    expect(hooks.handled).toEqual([]);
  });

  it.each([
    ['no options', { given: undefined }],
    ['no parse', { given: { handler: () => {} } }],
    ['no handler', { given: { parse } }],
    ['a dedupe without key', { given: { parse, handler: () => {}, dedupe: { deduper: createDeduper() } } }],
    ['a zero maxBodyBytes', { given: { parse, handler: () => {}, maxBodyBytes: 0 } }],
    ['a NaN maxBodyBytes', { given: { parse, handler: () => {}, maxBodyBytes: Number.NaN } }],
    ['a NaN bodyTimeoutMs', { given: { parse, handler: () => {}, bodyTimeoutMs: Number.NaN } }],
    ['a deduper of the old check/forget shape', { given: { parse, handler: () => {}, dedupe: { deduper: { check: async () => 'new' }, key: () => 'k' } } }],
  ])('rejects %s with MsgkitError', (_, { given }) => {
    expect(() => toFetchHandler(given as never)).toThrow(MsgkitError);
    expect(() => toNodeHandler(given as never)).toThrow(MsgkitError);
  });

  it('types the handler event from parse', () => {
    toFetchHandler({ parse, handler: (event) => expectTypeOf(event).toEqualTypeOf<Event>() });
    toFetchHandler({ parse: (body) => parseEvents<Ping>(group, body)[0] as Ping, handler: (event) => expectTypeOf(event).toEqualTypeOf<Ping>() });
    // A provider parser as is (`parseOllyWebhook(rawBody, headers?, options?)`), and an async one (`parseAmioWebhook`).
    const providerParse = (rawBody: RawBody, headers?: HeadersLike, options?: ParseOptions): Event => parseEvent<Event>(group, rawBody, headers, options);
    toFetchHandler({ parse: providerParse, handler: (event) => expectTypeOf(event).toEqualTypeOf<Event>() });
    toNodeHandler({ parse: async (body, headers) => providerParse(body, headers), handler: (event) => expectTypeOf(event).toEqualTypeOf<Event>() });
    // @ts-expect-error the key must be a string property of the event
    toFetchHandler({ parse, handler: () => {}, dedupe: { deduper: createDeduper(), key: (event) => event.missing } });
  });
});

describe('toNodeHandler', () => {
  const servers: { close(): void }[] = [];
  afterEach(() => {
    for (const server of servers.splice(0)) server.close();
  });

  /** Serves `handler` on 127.0.0.1 and a free port, optionally setting `req.body` first as a body parser would. */
  async function serve(handler: ReturnType<typeof toNodeHandler>, preset?: (body: Buffer) => unknown) {
    const server = createServer(async (req, res) => {
      if (preset) {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        Object.assign(req, { body: preset(Buffer.concat(chunks)) });
      }
      await handler(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push({
      close: () => {
        server.closeAllConnections();
        server.close();
      },
    });
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  }

  async function send(url: string, body: string, headers: Record<string, string> = {}) {
    const response = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-signature': await sign(body), ...headers } });
    return { status: response.status, type: response.headers.get('content-type'), body: await response.json() };
  }

  it.each([
    ['the body read from the stream', { preset: undefined }],
    ['a Buffer from express.raw()', { preset: (body: Buffer) => body }],
    ['a string from express.text()', { preset: (body: Buffer) => body.toString('utf8') }],
  ])('verifies, parses and handles %s', async (_, { preset }) => {
    const hooks = endpoint();
    const url = await serve(toNodeHandler(hooks.options), preset);
    expect(await send(url, '[{"kind":"batch","id":"b1"},{"kind":"batch","id":"b2"}]')).toEqual({
      status: 200,
      type: 'application/json',
      body: { received: 2, duplicates: 0 },
    });
    expect(hooks.handled).toEqual(['b1', 'b2']);
  });

  it('refuses a body parsed by express.json() with a 400 explaining why', async () => {
    const hooks = endpoint();
    const url = await serve(toNodeHandler(hooks.options), (body) => JSON.parse(body.toString('utf8')));
    const answer = await send(url, '{"kind":"ping","id":"p1"}');
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: 'parsed_body', message: expect.stringContaining('express.raw') });
  });

  it.each([
    ['a bad signature', { body: '{"kind":"ping","id":"p1"}', headers: { 'x-signature': 'sha256=00' }, status: 400, code: 'malformed_signature' }],
    ['a missing field', { body: '{"kind":"ping"}', headers: {}, status: 400, code: 'invalid_payload' }],
    ['a body over the limit', { body: JSON.stringify({ kind: 'ping', id: 'x'.repeat(5000) }), headers: {}, status: 400, code: 'body_too_large' }],
    ['a failing handler', { body: '{"kind":"ping","id":"fail"}', headers: {}, status: 500, code: undefined }],
  ])('answers %s with its status and a JSON error', async (_, { body, headers, status, code }) => {
    const hooks = endpoint({ maxBodyBytes: 1000 }, ['fail']);
    const url = await serve(toNodeHandler(hooks.options));
    const answer = await send(url, body, headers);
    expect(answer.status).toBe(status);
    expect(answer.body.error).toMatchObject(code ? { code } : { type: 'HandlerError' });
    expect(hooks.handled).toEqual([]);
  });

  it('answers 400 to a chunked body that grows past the limit', async () => {
    const hooks = endpoint({ maxBodyBytes: 1000 });
    const url = await serve(toNodeHandler(hooks.options));
    const body = new Blob([JSON.stringify({ kind: 'ping', id: 'x'.repeat(50_000) })]).stream();
    const response = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json' }, duplex: 'half' } as RequestInit);
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatchObject({ code: 'body_too_large' });
  });

  it('dedupes redeliveries', async () => {
    const hooks = endpoint({ dedupe: { deduper: createDeduper(), key: (event) => event.id } });
    const url = await serve(toNodeHandler(hooks.options));
    await send(url, '{"kind":"ping","id":"p1"}');
    expect((await send(url, '{"kind":"ping","id":"p1"}')).body).toEqual({ received: 1, duplicates: 1 });
    expect(hooks.handled).toEqual(['p1']);
  });

  it('runs the handler once for 50 concurrent copies of an event, and answers 200 to all only after it succeeded', async () => {
    // The handler finishes only once every copy is waiting for it, however slowly they arrive.
    const { store, arrived } = claimCounter(50);
    let runs = 0;
    let finished = false;
    const handler = toNodeHandler<Event>({
      parse,
      verify,
      // The copies wait longer than the test may run: a slow machine cannot turn their wait into a 503.
      dedupe: { deduper: createDeduper({ store, waitMs: 3_600_000 }), key: (event) => event.id },
      handler: async () => {
        runs++;
        await arrived;
        finished = true;
      },
    });
    const url = await serve(handler);
    const answers = await Promise.all(Array.from({ length: 50 }, () => send(url, '{"kind":"ping","id":"same"}').then((answer) => ({ ...answer, finished }))));
    expect(runs).toBe(1);
    expect(answers.every((answer) => answer.status === 200 && answer.finished)).toBe(true);
    expect(answers.filter((answer) => answer.body.duplicates === 1)).toHaveLength(49);
  });

  it('never acknowledges a copy of an event whose handling fails: 500 for it, 503 + Retry-After for the copies', async () => {
    // The handler fails only once every copy is waiting for it.
    const { store, arrived } = claimCounter(5);
    const handler = toNodeHandler<Event>({
      parse,
      dedupe: { deduper: createDeduper({ store }), key: (event) => event.id },
      handler: async () => {
        await arrived;
        throw new Error('handler failed');
      },
      onError: () => {},
    });
    const url = await serve(handler);
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => fetch(url, { method: 'POST', body: '{"kind":"ping","id":"p"}', headers: { 'content-type': 'application/json' } })),
    );
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([500, 503, 503, 503, 503]);
    expect(responses.filter((response) => response.status === 503).every((response) => Number(response.headers.get('retry-after')) > 0)).toBe(true);
  });

  it("does not touch another delivery's key when one delivery's store call fails", async () => {
    const inner = memoryDedupeStore();
    let failNext = false;
    const store = {
      ...inner,
      claim: (key: string, leaseMs: number) => {
        if (!failNext) return inner.claim(key, leaseMs);
        failNext = false;
        return Promise.reject(new Error('redis blip'));
      },
    };
    let started = () => {};
    const firstStarted = new Promise<void>((resolve) => {
      started = resolve;
    });
    let finish = () => {};
    const firstMayFinish = new Promise<void>((resolve) => {
      finish = resolve;
    });
    let runs = 0;
    const handler = toNodeHandler<Event>({
      parse,
      dedupe: { deduper: createDeduper({ store }), key: (event) => event.id },
      handler: async () => {
        runs++;
        started();
        await firstMayFinish;
      },
      onError: () => {},
    });
    const url = await serve(handler);
    const deliver = () => fetch(url, { method: 'POST', body: '{"kind":"ping","id":"p"}', headers: { 'content-type': 'application/json' } });
    const first = deliver();
    await firstStarted;
    failNext = true;
    const failing = await deliver(); // its claim fails while the first delivery holds the key
    const third = deliver(); // a copy of the event in flight: waits for the first
    finish();
    expect([(await first).status, failing.status, (await third).status]).toEqual([200, 500, 200]);
    expect(runs).toBe(1);
  });

  it('answers 408 to a body that drips in slower than bodyTimeoutMs, and closes the connection', async () => {
    const hooks = endpoint({ bodyTimeoutMs: 200 });
    const url = new URL(await serve(toNodeHandler(hooks.options)));
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(url.port), '127.0.0.1', () => {
        socket.write('POST /hooks HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"kind":');
      });
      let text = '';
      socket.on('data', (chunk) => {
        text += chunk.toString('utf8');
      });
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
      // No deadline of its own: a slow machine only makes the 408 later (the test's timeout, and closing the server in afterEach, end a hang).
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(answer).toMatch(/connection: close/i);
    expect(answer).toContain('"code":"body_timeout"');
    expect(hooks.handled).toEqual([]);
  });

  it('answers 405 to GET', async () => {
    const url = await serve(toNodeHandler(endpoint().options));
    expect((await fetch(url)).status).toBe(405);
  });
});
