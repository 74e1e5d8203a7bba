import { type Answer, observedFetch } from '@msgkit/testkit';
import { describe, expect, it } from 'vitest';
import {
  AbortedError,
  ApiError,
  BadRequestError,
  bearerAuth,
  type CallOptions,
  ConnectionError,
  createProviderClient,
  InternalServerError,
  MsgkitError,
  NotFoundError,
  queryAuth,
  RateLimitError,
  type RequestEvent,
  type ResponseEvent,
  TimeoutError,
} from '../src/index.js';
import { fakeClock, json, networkError, type TestPaths } from './support.js';

const BASE = 'https://api.example.com';
const ok = () => json(200, { id: 't1' });

function setup(answers: Answer[], { random, ...options }: { maxRetries?: number; timeout?: number; random?: number } = {}) {
  const { fetch, requests: seen } = observedFetch(answers);
  const { clock, sleeps } = fakeClock(undefined, random);
  const client = createProviderClient<TestPaths>({ baseUrl: BASE, auth: bearerAuth('t0ken'), fetch, clock, ...options });
  return { client, seen, sleeps };
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Calls `/things` with `method` (and a body where it takes one), returning data or the error. */
function call(client: ReturnType<typeof setup>['client'], method: Method, given: Record<string, unknown> = {}) {
  // Invalid values on purpose (maxRetries -1, timeout '5s'): checked at run time.
  const extra = given as CallOptions;
  const init = { body: { name: 'hello' }, ...extra };
  const calls = {
    GET: () => client.GET('/things', extra),
    DELETE: () => client.DELETE('/things', extra),
    POST: () => client.POST('/things', init),
    PUT: () => client.PUT('/things', init),
    PATCH: () => client.PATCH('/things', init),
  };
  return (calls[method]() as Promise<{ data?: unknown }>).then(
    ({ data }) => ({ data, error: undefined }),
    (error: unknown) => ({ data: undefined, error }),
  );
}

const aggregateRefused = () =>
  new TypeError('fetch failed', {
    cause: new AggregateError([
      Object.assign(new Error('refused ::1'), { code: 'ECONNREFUSED' }),
      Object.assign(new Error('refused 127.0.0.1'), { code: 'ECONNREFUSED' }),
    ]),
  });

describe('retry policy', () => {
  it.each<[string, { method: Method; answers: Answer[]; extra?: Record<string, unknown>; attempts: number; want: unknown }]>([
    ['GET 503, 503, 200 succeeds on attempt 3', { method: 'GET', answers: [json(503, {}), json(503, {}), json(200, [])], attempts: 3, want: [] }],
    [
      'GET 503 x3 gives up after 2 retries',
      { method: 'GET', answers: [json(503, {}), json(503, {}), json(503, {}), ok()], attempts: 3, want: InternalServerError },
    ],
    ['GET 408 is retried', { method: 'GET', answers: [json(408, {}), json(200, [])], attempts: 2, want: [] }],
    ['GET 409 is retried', { method: 'GET', answers: [json(409, {}), json(200, [])], attempts: 2, want: [] }],
    ['GET 429 is retried', { method: 'GET', answers: [json(429, {}), json(200, [])], attempts: 2, want: [] }],
    ['GET 501 is retried', { method: 'GET', answers: [json(501, {}), json(200, [])], attempts: 2, want: [] }],
    ['GET 400 is not retried', { method: 'GET', answers: [json(400, {}), json(200, [])], attempts: 1, want: BadRequestError }],
    ['GET 404 is not retried', { method: 'GET', answers: [json(404, {}), json(200, [])], attempts: 1, want: NotFoundError }],
    ['GET after a connection reset is retried', { method: 'GET', answers: [networkError('ECONNRESET'), json(200, [])], attempts: 2, want: [] }],
    ['PUT 500 is retried (idempotent)', { method: 'PUT', answers: [json(500, {}), ok()], attempts: 2, want: { id: 't1' } }],
    ['DELETE 502 is retried (idempotent)', { method: 'DELETE', answers: [json(502, {}), json(200, { deleted: true })], attempts: 2, want: { deleted: true } }],
    ['POST 503 is not retried: it reached the server', { method: 'POST', answers: [json(503, {}), ok()], attempts: 1, want: InternalServerError }],
    ['POST 500 is not retried', { method: 'POST', answers: [json(500, {}), ok()], attempts: 1, want: InternalServerError }],
    ['POST 408 is not retried', { method: 'POST', answers: [json(408, {}), ok()], attempts: 1, want: ApiError }],
    ['PATCH 502 is not retried', { method: 'PATCH', answers: [json(502, {}), ok()], attempts: 1, want: InternalServerError }],
    ['POST 429 is retried: the server refused to act', { method: 'POST', answers: [json(429, {}), ok()], attempts: 2, want: { id: 't1' } }],
    ['POST 429 x3 throws RateLimitError', { method: 'POST', answers: [json(429, {}), json(429, {}), json(429, {}), ok()], attempts: 3, want: RateLimitError }],
    ['POST after connection refused is retried', { method: 'POST', answers: [networkError('ECONNREFUSED'), ok()], attempts: 2, want: { id: 't1' } }],
    [
      'POST after a DNS failure is retried',
      { method: 'POST', answers: [networkError('ENOTFOUND'), networkError('EAI_AGAIN'), ok()], attempts: 3, want: { id: 't1' } },
    ],
    ['POST after every address refused is retried', { method: 'POST', answers: [aggregateRefused(), ok()], attempts: 2, want: { id: 't1' } }],
    ['POST after a connection reset is not retried', { method: 'POST', answers: [networkError('ECONNRESET'), ok()], attempts: 1, want: ConnectionError }],
    ['POST after an unknown failure is not retried', { method: 'POST', answers: [new TypeError('fetch failed'), ok()], attempts: 1, want: ConnectionError }],
    [
      'POST marked idempotent: 503 is retried',
      { method: 'POST', answers: [json(503, {}), ok()], extra: { idempotent: true }, attempts: 2, want: { id: 't1' } },
    ],
    [
      'GET marked not idempotent: 503 is not retried',
      { method: 'GET', answers: [json(503, {}), json(200, [])], extra: { idempotent: false }, attempts: 1, want: InternalServerError },
    ],
    [
      'GET with maxRetries 0 for the call',
      { method: 'GET', answers: [json(503, {}), json(200, [])], extra: { maxRetries: 0 }, attempts: 1, want: InternalServerError },
    ],
    [
      'GET with maxRetries 4 for the call',
      { method: 'GET', answers: [json(503, {}), json(503, {}), json(503, {}), json(503, {}), json(200, [])], extra: { maxRetries: 4 }, attempts: 5, want: [] },
    ],
  ])('%s', async (_, { method, answers, extra, attempts, want }) => {
    const { client, seen } = setup(answers);
    const { data, error } = await call(client, method, extra);
    expect(seen).toHaveLength(attempts);
    if (typeof want === 'function') expect(error).toBeInstanceOf(want);
    else expect({ data, error }).toEqual({ data: want, error: undefined });
  });

  it('honours the client maxRetries', async () => {
    const { client, seen } = setup([json(503, {}), json(503, {}), json(503, {}), json(200, [])], { maxRetries: 0 });
    expect((await call(client, 'GET')).error).toBeInstanceOf(InternalServerError);
    expect(seen).toHaveLength(1);
  });

  it('sends every attempt a fresh copy of the same request', async () => {
    const { client, seen } = setup([json(429, {}), json(429, {}), ok()]);
    await call(client, 'POST');
    expect(seen.map((request) => request.body)).toEqual(Array(3).fill('{"name":"hello"}'));
    expect(seen.map((request) => request.headers.authorization)).toEqual(Array(3).fill('Bearer t0ken'));
  });

  it.each([
    ['maxRetries -1', { given: { maxRetries: -1 } }],
    ['maxRetries 1.5', { given: { maxRetries: 1.5 } }],
    ['timeout 0', { given: { timeout: 0 } }],
    ['timeout "5s"', { given: { timeout: '5s' } }],
    ['maxRetires (misspelt)', { given: { maxRetires: 0 } }],
    ['timout (misspelt)', { given: { timout: 100 } }],
  ])('rejects the call option %s with MsgkitError before sending', async (_, { given }) => {
    const { client, seen } = setup([ok()]);
    expect((await call(client, 'POST', given)).error).toBeInstanceOf(MsgkitError);
    expect(seen).toHaveLength(0);
  });

  it.each([
    ['maxRetries -1', { given: { maxRetries: -1 } }],
    ['timeout NaN', { given: { timeout: Number.NaN } }],
    ['onRequest that is not a function', { given: { onRequest: 'log' } }],
    ['onResponse that is not a function', { given: { onResponse: {} } }],
    ['fetch that is not a function', { given: { fetch: 'https://proxy' } }],
    ['a clock.sleep that is not a function', { given: { clock: { sleep: 5 } } }],
    ['an apiError that is not a function', { given: { apiError: 'ApiError' } }],
  ])('rejects the client option %s with MsgkitError', (_, { given }) => {
    expect(() => createProviderClient({ baseUrl: BASE, auth: bearerAuth('t0ken'), ...(given as object) })).toThrow(MsgkitError);
  });
});

describe('retry delays', () => {
  const now = 1_700_000_000_000;
  it.each<[string, { answers: Answer[]; random?: number; sleeps: number[]; attempts: number }]>([
    ['backoff with full jitter (random 0.5)', { answers: [json(503, {}), json(503, {}), json(200, [])], sleeps: [250, 500], attempts: 3 }],
    [
      'backoff ceilings double up to 8 s',
      {
        answers: [
          ...Array(6)
            .fill(0)
            .map(() => json(503, {})),
          json(200, []),
        ],
        random: 0.999,
        sleeps: [499, 999, 1998, 3996, 7992, 7992],
        attempts: 7,
      },
    ],
    ['Retry-After in seconds', { answers: [json(503, {}, { 'retry-after': '2' }), json(200, [])], sleeps: [2000], attempts: 2 }],
    [
      'Retry-After as an HTTP date',
      { answers: [json(429, {}, { 'retry-after': new Date(now + 3000).toUTCString() }), json(200, [])], sleeps: [3000], attempts: 2 },
    ],
    [
      'X-RateLimit-Reset in epoch seconds on 429',
      { answers: [json(429, {}, { 'x-ratelimit-reset': String(now / 1000 + 5) }), json(200, [])], sleeps: [5000], attempts: 2 },
    ],
    ['X-RateLimit-Reset as seconds from now on 429', { answers: [json(429, {}, { 'x-ratelimit-reset': '7' }), json(200, [])], sleeps: [7000], attempts: 2 }],
    [
      'X-RateLimit-Reset in the past: backoff',
      { answers: [json(429, {}, { 'x-ratelimit-reset': String(now / 1000 - 5) }), json(200, [])], sleeps: [250], attempts: 2 },
    ],
    ['X-RateLimit-Reset is ignored on 503', { answers: [json(503, {}, { 'x-ratelimit-reset': '7' }), json(200, [])], sleeps: [250], attempts: 2 }],
    [
      'Retry-After wins over X-RateLimit-Reset',
      { answers: [json(429, {}, { 'retry-after': '1', 'x-ratelimit-reset': '9' }), json(200, [])], sleeps: [1000], attempts: 2 },
    ],
    ['Retry-After beyond the 60 s cap is not waited for', { answers: [json(429, {}, { 'retry-after': '3600' }), json(200, [])], sleeps: [], attempts: 1 }],
  ])('%s', async (_, { answers, random, sleeps, attempts }) => {
    const { client, seen, sleeps: slept } = setup(answers, { maxRetries: 10, random });
    await call(client, 'GET');
    expect(slept).toEqual(sleeps);
    expect(seen).toHaveLength(attempts);
  });

  it('throws the RateLimitError with retryAfterMs when the wait is beyond the cap', async () => {
    const { client } = setup([json(429, { message: 'slow down' }, { 'retry-after': '3600' })]);
    const { error } = await call(client, 'POST');
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(3_600_000);
  });

  it('does not wait past the deadline: the last error is thrown instead', async () => {
    const { client, sleeps } = setup([json(503, {}, { 'retry-after': '2' }), json(200, [])], { timeout: 1500 });
    expect((await call(client, 'GET')).error).toBeInstanceOf(InternalServerError);
    expect(sleeps).toEqual([]);
  });
});

describe('timeouts and cancellation', () => {
  /** A fetch that never answers but gives up when its request's signal aborts, as real fetch does. */
  const hang = () => (request: Request) =>
    new Promise<Response>((_, reject) => request.signal.addEventListener('abort', () => reject(request.signal.reason), { once: true }));
  /** A fetch that never settles at all, even when aborted. */
  const deaf = () => () => new Promise<Response>(() => {});

  it.each([
    ['a fetch that honours the signal', { answer: hang() }],
    ['a fetch that ignores the signal', { answer: deaf() }],
  ])('throws TimeoutError from %s, without retrying past the deadline', async (_, { answer }) => {
    const { client, seen } = setup([answer, ok()], { timeout: 20 });
    const { error } = await call(client, 'GET');
    expect(error).toBeInstanceOf(TimeoutError);
    expect(String(error)).toMatch(/GET https:\/\/api\.example\.com\/things timed out after 20 ms/);
    expect(seen).toHaveLength(1);
  });

  it('takes the timeout of the call over the client one', async () => {
    const { client } = setup([hang()], { timeout: 60_000 });
    expect((await call(client, 'POST', { timeout: 15 })).error).toBeInstanceOf(TimeoutError);
  });

  it('rejects with AbortedError when the caller aborts mid-request', async () => {
    const controller = new AbortController();
    const { client } = setup([
      (request) => {
        setTimeout(() => controller.abort(new Error('user left')), 5);
        return hang()(request);
      },
    ]);
    const { error } = await call(client, 'GET', { signal: controller.signal });
    expect(error).toBeInstanceOf(AbortedError);
    expect((error as AbortedError).cause).toEqual(new Error('user left'));
  });

  it('does not send at all when the signal is already aborted', async () => {
    const { client, seen } = setup([ok()]);
    expect((await call(client, 'POST', { signal: AbortSignal.abort() })).error).toBeInstanceOf(AbortedError);
    expect(seen).toHaveLength(0);
  });

  it('stops retrying when the caller aborts during the backoff', async () => {
    const controller = new AbortController();
    const { fetch, requests: seen } = observedFetch([json(503, {}), json(200, [])]);
    const clock = {
      sleep: (_ms: number, signal: AbortSignal) => {
        controller.abort();
        return Promise.reject(signal.reason);
      },
    };
    const client = createProviderClient<TestPaths>({ baseUrl: BASE, auth: bearerAuth('t0ken'), fetch, clock });
    expect((await call(client, 'GET', { signal: controller.signal })).error).toBeInstanceOf(AbortedError);
    expect(seen).toHaveLength(1);
  });
});

describe('hooks', () => {
  it('reports every attempt with method, redacted URL, status, duration, attempt and delay', async () => {
    const SECRET = 'query-secret-value';
    const events: (RequestEvent | ResponseEvent)[] = [];
    const { clock, advance } = fakeClock();
    const { fetch } = observedFetch([
      async () => {
        advance(40);
        return json(503, {});
      },
      async () => {
        advance(25);
        throw networkError('ECONNRESET');
      },
      async () => {
        advance(10);
        return json(200, []);
      },
    ]);
    const client = createProviderClient<TestPaths>({
      baseUrl: BASE,
      auth: queryAuth('access_token', SECRET),
      fetch,
      clock,
      onRequest: (event) => events.push({ ...event }),
      onResponse: (event) => events.push({ ...event }),
    });
    await client.GET('/things', { params: { query: { q: 'x' } } });
    const url = `${BASE}/things?q=x`;
    expect(events).toEqual([
      { method: 'GET', url, attempt: 1 },
      { method: 'GET', url, attempt: 1, status: 503, durationMs: 40, error: undefined, retryDelayMs: 250 },
      { method: 'GET', url, attempt: 2 },
      { method: 'GET', url, attempt: 2, status: undefined, durationMs: 25, error: expect.any(ConnectionError), retryDelayMs: 500 },
      { method: 'GET', url, attempt: 3 },
      { method: 'GET', url, attempt: 3, status: 200, durationMs: 10, error: undefined, retryDelayMs: undefined },
    ]);
    expect(JSON.stringify(events)).not.toContain(SECRET);
  });

  it.each([
    ['onRequest', { hook: 'onRequest' as const }],
    ['onResponse', { hook: 'onResponse' as const }],
  ])('reports what %s throws to onHookError, and the call goes on', async (_, { hook }) => {
    const failure = new Error('hook bug');
    const reported: unknown[] = [];
    const { fetch, requests: seen } = observedFetch([ok()]);
    const client = createProviderClient<TestPaths>({
      baseUrl: BASE,
      auth: bearerAuth('t0ken'),
      fetch,
      [hook]: () => {
        throw failure;
      },
      onHookError: (error: unknown, event: unknown) => reported.push(error, event),
    });
    expect((await client.POST('/things', { body: { name: 'x' } })).data).toEqual({ id: 't1' });
    expect(seen).toHaveLength(1);
    expect(reported).toEqual([failure, { hook, method: 'POST', url: `${BASE}/things`, attempt: 1 }]);
  });

  it('still completes the call when onHookError throws too', async () => {
    const { fetch } = observedFetch([ok()]);
    const fail = () => {
      throw new Error('nobody listens');
    };
    const client = createProviderClient<TestPaths>({ baseUrl: BASE, auth: bearerAuth('t0ken'), fetch, onResponse: fail, onHookError: fail });
    expect((await client.POST('/things', { body: { name: 'x' } })).data).toEqual({ id: 't1' });
  });
});
