import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BadRequestError,
  bearerAuth,
  ConnectionError,
  createProviderClient,
  type HookErrorEvent,
  InternalServerError,
  InvalidResponseError,
  type ResponseEvent,
  ResponseTooLargeError,
  TimeoutError,
} from '../src/index.js';
import { closeServers, localServer, rejection, send, type TestPaths } from './support.js';

type Step = (request: IncomingMessage, response: ServerResponse) => void;

const reply =
  (status: number, body: string, headers: Record<string, string> = {}): Step =>
  (_, response) => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(body);
  };
const ok = reply(200, '[{"id":"a"}]');
/** Sends the headers and half the body, then drops the connection. */
const resetMidResponse: Step = (_, response) => {
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
  response.write('[{"id":');
  setTimeout(() => response.socket?.destroy(), 10);
};
/** Never answers. */
const silent: Step = () => {};

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A real HTTP server on 127.0.0.1 and a free port, answering request n with `steps[n]` (then 200). */
async function flakyServer(...steps: Step[]) {
  const arrivals: { method: string; at: number }[] = [];
  const server = createServer((request, response) => {
    arrivals.push({ method: request.method ?? '', at: Date.now() });
    request.resume();
    (steps.shift() ?? ok)(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const handle = {
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  servers.push(handle);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, arrivals };
}

/** A client of `baseUrl` that records the attempts it made. */
function clientOf(baseUrl: string, options: { timeout?: number } = {}) {
  const attempts: ResponseEvent[] = [];
  const client = createProviderClient<TestPaths>({ baseUrl, auth: bearerAuth('t0ken'), onResponse: (event) => attempts.push(event), ...options });
  return { client, attempts };
}

describe('fault injection against a local flaky server', () => {
  it('429 with Retry-After: 1, then 200: one retry, at least 1 s later', async () => {
    const server = await flakyServer(reply(429, '{"message":"slow down"}', { 'retry-after': '1' }), reply(200, '{"id":"m1"}'));
    const { client, attempts } = clientOf(server.url);
    const { data } = await client.POST('/things', { body: { name: 'x' } });
    expect(data).toEqual({ id: 'm1' });
    expect(server.arrivals.map((a) => a.method)).toEqual(['POST', 'POST']);
    expect(attempts.map((a) => [a.attempt, a.status, a.retryDelayMs])).toEqual([
      [1, 429, 1000],
      [2, 200, undefined],
    ]);
    const [first, second] = server.arrivals;
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(1000);
  });

  it('503 twice, then 200: success on attempt 3', async () => {
    const server = await flakyServer(reply(503, '{"message":"busy"}'), reply(503, '{"message":"busy"}'), ok);
    const { client, attempts } = clientOf(server.url);
    const { data } = await client.GET('/things');
    expect(data).toEqual([{ id: 'a' }]);
    expect(attempts.map((a) => [a.attempt, a.status])).toEqual([
      [1, 503],
      [2, 503],
      [3, 200],
    ]);
  });

  it('503 on a POST: not re-sent, InternalServerError with the body', async () => {
    const server = await flakyServer(reply(503, '{"message":"busy"}'), ok);
    const { client } = clientOf(server.url);
    const error = await rejection(client.POST('/things', { body: { name: 'x' } }));
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({ status: 503, body: { message: 'busy' } });
    expect(server.arrivals).toHaveLength(1);
  });

  it('connection reset mid-response on a GET: retried, then succeeds', async () => {
    const server = await flakyServer(resetMidResponse, ok);
    const { client, attempts } = clientOf(server.url);
    const { data } = await client.GET('/things');
    expect(data).toEqual([{ id: 'a' }]);
    expect(attempts.map((a) => [a.attempt, a.status, a.error?.name])).toEqual([
      [1, undefined, 'ConnectionError'],
      [2, 200, undefined],
    ]);
  });

  it('connection reset mid-response on a POST: ConnectionError, not re-sent (the message may have gone out)', async () => {
    const server = await flakyServer(resetMidResponse, ok);
    const { client } = clientOf(server.url);
    expect(await rejection(client.POST('/things', { body: { name: 'x' } }))).toBeInstanceOf(ConnectionError);
    expect(server.arrivals).toHaveLength(1);
  });

  it('a server that never answers: TimeoutError within the timeout', async () => {
    const server = await flakyServer(silent, silent, silent);
    const { client, attempts } = clientOf(server.url, { timeout: 300 });
    const error = await rejection(client.GET('/things'));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(String(error)).toContain('timed out after 300 ms');
    // One attempt, never retried past the deadline. On a loaded machine the server may not even have seen the request
    // within 300 ms, so what it saw is "at most one", not "exactly one".
    expect(attempts.map((a) => [a.attempt, a.error?.name])).toEqual([[1, 'TimeoutError']]);
    expect(server.arrivals.length).toBeLessThanOrEqual(1);
  });

  it('invalid JSON in a 200: InvalidResponseError, no crash', async () => {
    const server = await flakyServer(reply(200, '[{"id": oops'));
    const { client } = clientOf(server.url);
    expect(await rejection(client.GET('/things'))).toBeInstanceOf(InvalidResponseError);
  });

  it('invalid JSON in a 500: InternalServerError carrying the text', async () => {
    const server = await flakyServer(reply(500, '<html>oops'));
    const { client } = clientOf(server.url);
    const error = await rejection(client.POST('/things', { body: { name: 'x' } }));
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({ body: '<html>oops' });
  });

  it('connection refused: a POST is retried (it never left), then ConnectionError', async () => {
    const server = await flakyServer();
    await servers.pop()?.close();
    const { client, attempts } = clientOf(server.url);
    const error = await rejection(client.POST('/things', { body: { name: 'x' } }));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(String(error)).toContain('ECONNREFUSED');
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
  });
});

describe('hardening against a local server (issue 13)', () => {
  afterEach(closeServers);

  it.each([
    ['a Content-Length over the limit', { chunked: false }],
    ['an endless chunked body', { chunked: true }],
  ])('refuses %s with ResponseTooLargeError, reading no more than the limit', async (_, { chunked }) => {
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let written = 0;
    const server = await localServer((_, response) => {
      response.writeHead(
        200,
        chunked ? { 'content-type': 'application/json' } : { 'content-type': 'application/json', 'content-length': String(512 * 1024 * 1024) },
      );
      // Writes as fast as the client reads, forever: only the client closing the connection stops it.
      const pump = () => {
        for (let more = true; more && !response.destroyed; written += chunk.length) more = response.write(chunk);
        if (!response.destroyed) response.once('drain', pump);
      };
      response.on('close', () => response.removeAllListeners('drain'));
      pump();
    });
    const client = createProviderClient<TestPaths>({ baseUrl: server.url, auth: bearerAuth('t0ken'), maxResponseBytes: 1024 * 1024 });
    const error = await rejection(client.GET('/things'));
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error).toMatchObject({ status: 200, maxBytes: 1024 * 1024 });
    expect(String(error)).toContain('maxResponseBytes');
    // Bounded: what the server got into the socket before the client hung up (the limit plus socket buffers).
    expect(written).toBeLessThan(32 * 1024 * 1024);
  });

  it('reads a body just under the limit', async () => {
    const items = Array.from({ length: 1000 }, (_, i) => ({ id: `item-${i}` }));
    const server = await localServer((_, response) => send(response, 200, items));
    const client = createProviderClient<TestPaths>({ baseUrl: server.url, auth: bearerAuth('t0ken'), maxResponseBytes: JSON.stringify(items).length });
    const { data } = await client.GET('/things');
    expect(data).toHaveLength(1000);
  });

  it('answers a 5000-level deep error body with the typed ApiError', async () => {
    const deep = `${'{"e":'.repeat(5000)}"t0ken-echo"${'}'.repeat(5000)}`;
    const server = await localServer((_, response) => send(response, 400, deep));
    const client = createProviderClient<TestPaths>({ baseUrl: server.url, auth: bearerAuth('t0ken-echo') });
    const error = (await rejection(client.GET('/things'))) as BadRequestError;
    expect(error).toBeInstanceOf(BadRequestError);
    let level: unknown = error.body;
    let depth = 0;
    while (typeof level === 'object' && level !== null) {
      level = (level as { e: unknown }).e;
      depth++;
    }
    expect({ depth, level }).toEqual({ depth: 5000, level: '[REDACTED]' });
  });

  it.each([
    ['307', { status: 307 }],
    ['308', { status: 308 }],
  ])('re-sends the body of a POST on a same-origin %s', async (_, { status }) => {
    const server = await localServer((arrival, response) =>
      arrival.url === '/things' ? send(response, status, '', { location: '/moved' }) : send(response, 200, { id: 'm1' }),
    );
    const client = createProviderClient<TestPaths>({ baseUrl: server.url, auth: bearerAuth('t0ken') });
    const { data } = await client.POST('/things', { body: { name: 'x' } });
    expect(data).toEqual({ id: 'm1' });
    expect(server.arrivals.map((a) => [a.method, a.url, a.body, a.headers.authorization])).toEqual([
      ['POST', '/things', '{"name":"x"}', 'Bearer t0ken'],
      ['POST', '/moved', '{"name":"x"}', 'Bearer t0ken'],
    ]);
  });

  it('drops the credentials on a cross-origin 307', async () => {
    const other = await localServer((_, response) => send(response, 200, { id: 'elsewhere' }));
    const server = await localServer((_, response) => send(response, 307, '', { location: `${other.url}/landing` }));
    const client = createProviderClient<TestPaths>({ baseUrl: server.url, auth: bearerAuth('t0ken') });
    await client.POST('/things', { body: { name: 'x' } });
    expect(other.arrivals.map((a) => [a.method, a.body, a.headers.authorization])).toEqual([['POST', '{"name":"x"}', undefined]]);
  });

  it.each([
    ['a negative number', { retryAfter: '-5' }],
    ['a list', { retryAfter: '2, 3' }],
    ['a fraction', { retryAfter: '1.5' }],
    ['a date that is not an HTTP-date', { retryAfter: '2020-01-01' }],
  ])('ignores a Retry-After that is %s and backs off instead', async (_, { retryAfter }) => {
    const server = await localServer((_, response, n) => (n === 0 ? send(response, 503, {}, { 'retry-after': retryAfter }) : send(response, 200, [])));
    const attempts: ResponseEvent[] = [];
    const client = createProviderClient<TestPaths>({
      baseUrl: server.url,
      auth: bearerAuth('t0ken'),
      clock: { random: () => 0.5 },
      onResponse: (event) => attempts.push(event),
    });
    await client.GET('/things');
    // Backoff with full jitter: half of the first ceiling (500 ms).
    expect(attempts.map((a) => [a.status, a.retryDelayMs])).toEqual([
      [503, 250],
      [200, undefined],
    ]);
  });

  it('keeps the outcome of a POST whose onResponse hook throws, and reports the hook error', async () => {
    const server = await localServer((_, response) => send(response, 200, { id: 'm1' }));
    const failure = new Error('logger down');
    const reported: [unknown, HookErrorEvent][] = [];
    const client = createProviderClient<TestPaths>({
      baseUrl: server.url,
      auth: bearerAuth('t0ken'),
      onResponse: () => {
        throw failure;
      },
      onHookError: (error, event) => reported.push([error, event]),
    });
    const { data } = await client.POST('/things', { body: { name: 'x' } });
    expect(data).toEqual({ id: 'm1' });
    expect(server.arrivals).toHaveLength(1);
    expect(reported).toEqual([[failure, { hook: 'onResponse', method: 'POST', url: `${server.url}/things`, attempt: 1 }]]);
  });

  it('turns invalid JSON in a 2xx into InvalidResponseError through client.request() too', async () => {
    const server = await localServer((_, response) => send(response, 200, '[{"id": oops'));
    const { client } = clientOf(server.url);
    const error = await rejection(client.request('get', '/things'));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(String(error)).toMatch(/GET \/things answered with a body that is not valid JSON/);
  });
});
