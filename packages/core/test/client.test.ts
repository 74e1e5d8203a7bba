import { describe, expect, it } from 'vitest';
import {
  ApiError,
  AuthenticationError,
  BadRequestError,
  bearerAuth,
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
import { fakeFetch, json, type TestPaths } from './support.js';

describe('createProviderClient', () => {
  it('sends the typed body with auth and returns data', async () => {
    const { fetch, seen } = fakeFetch(json(200, { id: 't1' }));
    const client = createProviderClient<TestPaths>({ baseUrl: 'https://api.example.com/', auth: headerAuth('Authorization', 'k1', 'Basic '), fetch });
    const { data } = await client.POST('/things', { body: { name: 'x' } });
    expect(data).toEqual({ id: 't1' });
    expect(seen[0]?.url).toBe('https://api.example.com/things');
    expect(seen[0]?.headers.get('authorization')).toBe('Basic k1');
    expect(await seen[0]?.json()).toEqual({ name: 'x' });
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
    const { fetch } = fakeFetch(json(given, { message: 'nope' }, { 'x-request-id': 'req-1' }));
    const client = createProviderClient<TestPaths>({ baseUrl: 'https://api.example.com', auth: bearerAuth('tok-secret'), fetch, maxRetries: 0 });
    const error = await client.POST('/things', { body: { name: 'x' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(want);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: given, body: { message: 'nope' }, requestId: 'req-1', method: 'POST' });
  });

  it('parses rate-limit headers on 429', async () => {
    const { fetch } = fakeFetch(
      json(429, {}, { 'retry-after': '7', 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1700000000' }),
    );
    const client = createProviderClient<TestPaths>({ baseUrl: 'https://api.example.com', auth: bearerAuth('t0ken'), fetch, maxRetries: 0 });
    const error = (await client.POST('/things', { body: { name: 'x' } }).catch((e: unknown) => e)) as RateLimitError;
    expect(error.rateLimit).toEqual({ limit: 100, remaining: 0, resetAt: new Date(1_700_000_000_000), retryAfterMs: 7000 });
  });

  it('turns invalid JSON in a 2xx answer into InvalidResponseError', async () => {
    const { fetch } = fakeFetch(new Response('{oops', { status: 200, headers: { 'content-type': 'application/json' } }));
    const client = createProviderClient<TestPaths>({ baseUrl: 'https://api.example.com', auth: bearerAuth('t0ken'), fetch });
    await expect(client.POST('/things', { body: { name: 'x' } })).rejects.toBeInstanceOf(InvalidResponseError);
  });

  it('turns network failures into ConnectionError', async () => {
    const { fetch } = fakeFetch(new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') }));
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
