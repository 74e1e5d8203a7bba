import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  bearerAuth,
  ConnectionError,
  createProviderClient,
  InternalServerError,
  InvalidResponseError,
  type ResponseEvent,
  TimeoutError,
} from '../src/index.js';
import { rejection, type TestPaths } from './support.js';

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
    const { client } = clientOf(server.url, { timeout: 300 });
    const error = await rejection(client.GET('/things'));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(String(error)).toContain('timed out after 300 ms');
    expect(server.arrivals).toHaveLength(1);
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
