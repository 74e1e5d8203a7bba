import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock, StoredToken, TokenStore } from '../src/index.js';

type JsonResponse<T> = { 200: { content: { 'application/json': T } } };
type WithBody = { requestBody: { content: { 'application/json': { name: string } } }; responses: JsonResponse<{ id: string }> };

/** A small API for client tests: every method on `/things`. */
export type TestPaths = {
  '/things': {
    get: { parameters: { query?: { q?: string } }; responses: JsonResponse<{ id: string }[]> };
    post: WithBody;
    put: WithBody;
    patch: WithBody;
    delete: { responses: JsonResponse<{ deleted: boolean }> };
  };
};

/** A JSON response. */
export const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

/** A network failure as undici reports it: `TypeError('fetch failed')` whose cause has a `code`. */
export const networkError = (code: string) => new TypeError('fetch failed', { cause: Object.assign(new Error(`connect ${code} 127.0.0.1:9`), { code }) });

/** A clock whose time only moves when the retry loop sleeps (or `advance` is called); jitter is `random`. */
export function fakeClock(start = 1_700_000_000_000, random = 0.5) {
  let time = start;
  const sleeps: number[] = [];
  const clock: Clock = {
    now: () => time,
    random: () => random,
    async sleep(ms, signal) {
      if (signal.aborted) throw signal.reason;
      sleeps.push(ms);
      time += ms;
    },
  };
  const advance = (ms: number) => {
    time += ms;
  };
  return { clock, sleeps, advance };
}

/** Resolves to what `promise` rejects with, or to undefined when it resolves. */
export const rejection = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

/** A request as a local server saw it. */
export interface Arrival {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** What a local server does with request n: answer it through `response`, with the request as it arrived. */
export type Handler = (arrival: Arrival, response: ServerResponse, n: number) => void;

const servers: Server[] = [];

/** Stops every server `localServer` started (call it in `afterEach`). */
export async function closeServers(): Promise<void> {
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
}

/** A real HTTP server on 127.0.0.1 and a free port; records each request (with its body) before `handler` answers it. */
export async function localServer(handler: Handler) {
  const arrivals: Arrival[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const arrival = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString(),
        at: Date.now(),
      };
      arrivals.push(arrival);
      handler(arrival, response, arrivals.length - 1);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, arrivals, server };
}

/** Answers with a JSON body. */
export const send = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(typeof body === 'string' ? body : JSON.stringify(body));
};

/** A `TokenStore` in memory, shared by the authenticators given it as several processes would share Redis; counts token writes. */
export function memoryTokenStore() {
  const tokens = new Map<string, StoredToken>();
  const locks = new Map<string, { until: number }>();
  const sets: StoredToken[] = [];
  const store: TokenStore = {
    async get(key) {
      const token = tokens.get(key);
      return token && Date.now() < token.expiresAt ? { ...token } : undefined;
    },
    async set(key, token) {
      sets.push(token);
      tokens.set(key, { ...token });
    },
    async lock(key, ttlMs) {
      const held = locks.get(key);
      if (held && Date.now() < held.until) return undefined;
      const mine = { until: Date.now() + ttlMs };
      locks.set(key, mine);
      // Fenced: a holder whose lock expired and was taken over cannot release the new holder's lock.
      return async () => {
        if (locks.get(key) === mine) locks.delete(key);
      };
    },
  };
  return { store, tokens, locks, sets };
}
