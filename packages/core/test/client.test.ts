import { observedFetch } from '@msgkit/testkit';
import type { Middleware } from 'openapi-fetch';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  ApiError,
  AuthenticationError,
  BadRequestError,
  bearerAuth,
  type CallResult,
  type CLIENT_OPTION_NAMES,
  type ClientOptions,
  ConnectionError,
  createProviderClient,
  headerAuth,
  InternalServerError,
  InvalidResponseError,
  MsgkitError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
} from '../src/index.js';
import { json, rejection, type TestPaths } from './support.js';

describe('createProviderClient', () => {
  it('sends the typed body with auth and returns data', async () => {
    const { fetch, requests } = observedFetch([json(200, { id: 't1' })]);
    const client = createProviderClient<TestPaths>({ baseUrl: 'https://api.example.com/', auth: headerAuth('Authorization', 'k1', 'Basic '), fetch });
    const { data } = await client.POST('/things', { body: { name: 'x' } });
    expect(data).toEqual({ id: 't1' });
    expect(requests[0]?.url).toBe('https://api.example.com/things');
    expect(requests[0]?.headers.authorization).toBe('Basic k1');
    expect(requests[0]?.json).toEqual({ name: 'x' });
  });

  it.each([
    ['400', { given: 400, want: BadRequestError }],
    ['401', { given: 401, want: AuthenticationError }],
    ['403', { given: 403, want: PermissionDeniedError }],
    ['404', { given: 404, want: NotFoundError }],
    ['409', { given: 409, want: ApiError }],
    ['422', { given: 422, want: UnprocessableEntityError }],
    ['429', { given: 429, want: RateLimitError }],
    ['500', { given: 500, want: InternalServerError }],
    ['503', { given: 503, want: InternalServerError }],
  ] as const)('status %s throws its ApiError subclass with the parsed body', async (_, { given, want }) => {
    const { fetch } = observedFetch([json(given, { message: 'nope' }, { 'x-request-id': 'req-1' })]);
    const client = createProviderClient<TestPaths>({ baseUrl: 'https://api.example.com', auth: bearerAuth('tok-secret'), fetch, maxRetries: 0 });
    const error = await client.POST('/things', { body: { name: 'x' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(want);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: given, body: { message: 'nope' }, requestId: 'req-1', method: 'POST' });
  });

  it("reads Retry-After into retryAfterMs on 429 (provider headers such as X-RateLimit-* are the provider package's)", async () => {
    const { fetch } = observedFetch([json(429, {}, { 'retry-after': '7', 'x-ratelimit-reset': '1700000000' })]);
    const client = createProviderClient<TestPaths>({ baseUrl: 'https://api.example.com', auth: bearerAuth('t0ken'), fetch, maxRetries: 0 });
    const error = (await client.POST('/things', { body: { name: 'x' } }).catch((e: unknown) => e)) as RateLimitError;
    expect(error.retryAfterMs).toBe(7000);
    expect(error).not.toHaveProperty('rateLimit');
    expect(error.toJSON()).toMatchObject({ name: 'RateLimitError', status: 429, retryAfterMs: 7000 });
  });

  it('builds non-2xx errors with the apiError option, and only those', async () => {
    class TeapotError extends ApiError {
      override name = 'TeapotError';
    }
    const { fetch } = observedFetch([json(418, { brewing: false }), json(200, [])]);
    const made: number[] = [];
    const client = createProviderClient<TestPaths>({
      baseUrl: 'https://api.example.com',
      auth: bearerAuth('t0ken'),
      fetch,
      apiError: (init) => {
        made.push(init.status);
        return new TeapotError(init);
      },
    });
    const error = await client.POST('/things', { body: { name: 'x' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TeapotError);
    expect(error).toMatchObject({ status: 418, body: { brewing: false }, method: 'POST' });
    await client.GET('/things');
    expect(made).toEqual([418]);
  });

  it('turns invalid JSON in a 2xx answer into InvalidResponseError', async () => {
    const { fetch } = observedFetch([new Response('{oops', { status: 200, headers: { 'content-type': 'application/json' } })]);
    const client = createProviderClient<TestPaths>({ baseUrl: 'https://api.example.com', auth: bearerAuth('t0ken'), fetch });
    await expect(client.POST('/things', { body: { name: 'x' } })).rejects.toBeInstanceOf(InvalidResponseError);
  });

  it('turns network failures into ConnectionError', async () => {
    const { fetch } = observedFetch([new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') })]);
    const client = createProviderClient<TestPaths>({ baseUrl: 'https://api.example.com', auth: bearerAuth('t0ken'), fetch, maxRetries: 0 });
    const error = await client.POST('/things', { body: { name: 'x' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(String(error)).toContain('ECONNREFUSED');
  });

  it.each([
    ['no options', { given: undefined }],
    ['missing baseUrl', { given: { auth: bearerAuth('t0ken') } }],
    ['relative baseUrl', { given: { baseUrl: '/api', auth: bearerAuth('t0ken') } }],
    ['missing auth', { given: { baseUrl: 'https://api.example.com' } }],
  ])('rejects %s with a MsgkitError', (_, { given }) => {
    expect(() => createProviderClient(given as never)).toThrow(MsgkitError);
  });
});

describe('types follow behaviour (issue 15)', () => {
  const client = createProviderClient<TestPaths>({ baseUrl: 'https://api.example.com', auth: bearerAuth('t0ken'), fetch: async () => json(200, []) });

  it('types data as the 2xx body, not optional, with no error member', async () => {
    const { data, response } = await client.GET('/things', { params: { query: { q: 'x' } } });
    expectTypeOf(data).toEqualTypeOf<{ id: string }[]>();
    expectTypeOf(response).toEqualTypeOf<Response>();
    const result = await client.GET('/things');
    expectTypeOf(result).not.toHaveProperty('error');
    expectTypeOf(client.POST<'/things', { body: { name: string } }>).returns.resolves.toEqualTypeOf<
      CallResult<TestPaths['/things']['post'], { body: { name: string } }>
    >();
    const asText = () => client.GET('/things', { parseAs: 'text' });
    expectTypeOf<Awaited<ReturnType<typeof asText>>['data']>().toEqualTypeOf<string>();
    const remove = () => client.DELETE('/things');
    expectTypeOf<Awaited<ReturnType<typeof remove>>['data']>().toEqualTypeOf<{ deleted: boolean }>();
    expectTypeOf<Awaited<ReturnType<typeof client.request<'post', '/things', { body: { name: string } }>>>['data']>().toEqualTypeOf<{ id: string }>();
  });

  it('keeps openapi-fetch path and parameter inference, and refuses misspelt call options', async () => {
    // @ts-expect-error no such path
    await rejection(client.GET('/nothing'));
    // @ts-expect-error the body needs a name
    await rejection(client.POST('/things', { body: {} }));
    // @ts-expect-error q is a string
    await rejection(client.GET('/things', { params: { query: { q: 1 } } }));
    // @ts-expect-error maxRetires is not an option (maxRetries is)
    await rejection(client.POST('/things', { body: { name: 'x' }, maxRetires: 0 }));
    // @ts-expect-error timeout is a number of milliseconds
    await rejection(client.GET('/things', { timeout: '5s' }));
    // Deadlines far beyond the test's own: the call is about the options' types, and a slow machine must not abort it.
    await client.GET('/things', { maxRetries: 0, timeout: 3_600_000, idempotent: true, signal: AbortSignal.timeout(3_600_000), headers: { 'x-a': '1' } });
  });

  it('refuses misspelt client options at compile time', () => {
    const make = () =>
      // @ts-expect-error maxRetires is not an option (maxRetries is)
      createProviderClient<TestPaths>({ baseUrl: 'https://api.example.com', auth: bearerAuth('t0ken'), maxRetires: 0 });
    expect(make).toThrow(MsgkitError);
    expectTypeOf<(typeof CLIENT_OPTION_NAMES)[number]>().toEqualTypeOf<keyof ClientOptions>();
  });

  it.each([
    ['maxRetires', { given: { maxRetires: 2 }, want: 'unknown option "maxRetires" (did you mean maxRetries?)' }],
    ['timout', { given: { timout: 5_000 }, want: 'unknown option "timout" (did you mean timeout?)' }],
    ['onresponse', { given: { onresponse: () => {} }, want: 'unknown option "onresponse" (did you mean onResponse?)' }],
    ['maxResponseSize', { given: { maxResponseSize: 1 }, want: 'unknown option "maxResponseSize" (did you mean maxResponseBytes?)' }],
    ['proxy', { given: { proxy: 'http://proxy' }, want: 'unknown option "proxy" (known options: baseUrl, fetch, headers, maxRetries' }],
  ])('refuses the misspelt client option %s at run time, naming the right one', (_, { given, want }) => {
    expect(() => createProviderClient({ baseUrl: 'https://api.example.com', auth: bearerAuth('t0ken'), ...given } as never)).toThrow(want);
  });

  it.each([
    ['a negative maxResponseBytes', { given: { maxResponseBytes: -1 } }],
    ['a NaN maxResponseBytes', { given: { maxResponseBytes: Number.NaN } }],
    ['an onHookError that is not a function', { given: { onHookError: 'log' } }],
  ])('rejects %s with MsgkitError', (_, { given }) => {
    expect(() => createProviderClient({ baseUrl: 'https://api.example.com', auth: bearerAuth('t0ken'), ...(given as object) })).toThrow(MsgkitError);
  });
});

describe('user middleware', () => {
  type Register = (client: ReturnType<typeof createProviderClient<TestPaths>>, middleware: Middleware) => Middleware[] | undefined;
  it.each<[string, { register: Register }]>([
    ['registered on the client', { register: (client, middleware) => void client.use(middleware) }],
    ['given to the call', { register: (_client, middleware) => [middleware] }],
  ])('%s: gets real Requests, and the non-2xx answer before the ApiError is thrown', async (_, { register }) => {
    const { fetch, requests } = observedFetch([json(404, { message: 'nope' })]);
    const client = createProviderClient<TestPaths>({ baseUrl: 'https://api.example.com', auth: bearerAuth('t0ken'), fetch, maxRetries: 0 });
    const seen: unknown[] = [];
    const middleware: Middleware = {
      onRequest: ({ request }) => void seen.push(request instanceof Request),
      onResponse: ({ response }) => void seen.push(response.status),
    };
    const perCall = register(client, middleware);
    const error = await client.POST('/things', { body: { name: 'x' }, ...(perCall && { middleware: perCall }) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(seen).toEqual([true, 404]);
    expect(requests[0]?.headers.authorization).toBe('Bearer t0ken');
  });
});
