import { observedFetch } from '@msgkit/testkit';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  AMIO_BASE_URL,
  type AmioErrorBody,
  AmioRateLimitError,
  AuthenticationError,
  createAmioClient,
  InternalServerError,
  MsgkitError,
  RateLimitError,
  UnprocessableEntityError,
} from '../src/index.js';

const TOKEN = 'amio-secret-token';

/** An empty channel list, the default answer. */
const noChannels = () => Response.json([], { headers: { 'x-total-count': '0' } });

const errorBody = (code: number, message: string, errors: AmioErrorBody['errors']): AmioErrorBody => ({
  timestamp: '2016-12-21T11:17:56.397Z',
  status: { code: String(code), message },
  errors,
});

describe('createAmioClient', () => {
  it.each([
    ['the Authorization header by default', { given: {}, want: { authorization: `Bearer ${TOKEN}`, query: null } }],
    ["the Authorization header with tokenIn 'header'", { given: { tokenIn: 'header' as const }, want: { authorization: `Bearer ${TOKEN}`, query: null } }],
    ["the access_token query parameter with tokenIn 'query'", { given: { tokenIn: 'query' as const }, want: { authorization: null, query: TOKEN } }],
  ])('sends the token in %s', async (_, { given, want }) => {
    const { requests, fetch } = observedFetch(noChannels);
    await createAmioClient({ accessToken: TOKEN, fetch, ...given }).GET('/v1/channels');
    const url = new URL(requests[0]?.url ?? '');
    expect(`${url.origin}${url.pathname}`).toBe(`${AMIO_BASE_URL}/v1/channels`);
    expect(url.href.startsWith('https://api.amio.io/v1/channels')).toBe(true);
    expect(requests[0]?.headers.authorization ?? null).toBe(want.authorization);
    expect(url.searchParams.get('access_token')).toBe(want.query);
  });

  it('sends the base URL, path parameters and JSON body the types describe', async () => {
    const { requests, fetch } = observedFetch(() => Response.json({ domains_whitelist: null }));
    const client = createAmioClient({ accessToken: TOKEN, baseUrl: 'http://127.0.0.1:4013/', fetch });
    const { data } = await client.PATCH('/v1/channels/{channel_id}/settings', {
      params: { path: { channel_id: '6456078759331248741' } },
      body: { domains_whitelist: null },
    });
    expect(requests[0]?.method).toBe('PATCH');
    expect(requests[0]?.url).toBe('http://127.0.0.1:4013/v1/channels/6456078759331248741/settings');
    expect(requests[0]?.json).toEqual({ domains_whitelist: null });
    expect(data).toEqual({ domains_whitelist: null });
  });

  it.each([
    ['missing options', { given: undefined, want: /access token is required/ }],
    ['a missing token', { given: {}, want: /access token is required/ }],
    ['an empty token', { given: { accessToken: '' }, want: /access token is required/ }],
    ['an empty token in the query', { given: { accessToken: ' ', tokenIn: 'query' }, want: /access_token query parameter is required/ }],
    ['an unknown tokenIn', { given: { accessToken: TOKEN, tokenIn: 'cookie' }, want: /tokenIn must be "header" or "query", got "cookie"/ }],
    ['a relative baseUrl', { given: { accessToken: TOKEN, baseUrl: '/v1' }, want: /baseUrl must be an absolute URL/ }],
    ['a misspelt option', { given: { accessToken: TOKEN, tokenIN: 'query' }, want: /unknown option "tokenIN" \(did you mean tokenIn\?\)/ }],
  ])('rejects %s with MsgkitError', (_, { given, want }) => {
    const create = () => createAmioClient(given as never);
    expect(create).toThrow(MsgkitError);
    expect(create).toThrow(want);
  });

  it('throws a 429 as AmioRateLimitError (a RateLimitError) with the X-RateLimit-* headers parsed and the typed error body', async () => {
    const body = errorBody(429, 'Too Many Requests', [{ message: 'You have exceeded maximum number of requests and have been temporarily blocked.' }]);
    const { fetch } = observedFetch(() =>
      Response.json(body, {
        status: 429,
        headers: { 'X-RateLimit-Limit': '1000', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': '1491820066', 'Retry-After': '3600' },
      }),
    );
    const error = await createAmioClient({ accessToken: TOKEN, fetch })
      .GET('/v1/channels/{channel_id}', { params: { path: { channel_id: '6456078759331238786' } } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AmioRateLimitError);
    expect(error).toBeInstanceOf(RateLimitError);
    const limited = error as AmioRateLimitError<AmioErrorBody>;
    expect(limited.name).toBe('AmioRateLimitError');
    expect(limited.rateLimit).toEqual({ limit: 1000, remaining: 0, resetAt: new Date('2017-04-10T10:27:46Z') });
    expect(limited.retryAfterMs).toBe(3_600_000);
    expect(limited.body).toEqual(body);
    expect(JSON.parse(JSON.stringify(limited))).toMatchObject({ status: 429, rateLimit: { limit: 1000, remaining: 0, resetAt: '2017-04-10T10:27:46.000Z' } });
    expectTypeOf(limited.rateLimit.resetAt).toEqualTypeOf<Date | undefined>();
    expectTypeOf(limited.body.errors[0]?.message).toEqualTypeOf<string | undefined>();
  });

  it.each([
    ['no rate-limit headers', { given: {}, want: { limit: undefined, remaining: undefined, resetAt: undefined } }],
    [
      'headers that are not numbers',
      {
        given: { 'X-RateLimit-Limit': 'many', 'X-RateLimit-Remaining': ' ', 'X-RateLimit-Reset': 'soon' },
        want: { limit: undefined, remaining: undefined, resetAt: undefined },
      },
    ],
    [
      'only X-RateLimit-Reset',
      { given: { 'X-RateLimit-Reset': '1491820066' }, want: { limit: undefined, remaining: undefined, resetAt: new Date(1491820066_000) } },
    ],
  ])('parses %s on a 429 into rateLimit', async (_, { given, want }) => {
    const { fetch } = observedFetch(() => Response.json(errorBody(429, 'Too Many Requests', []), { status: 429, headers: given }));
    const error = (await createAmioClient({ accessToken: TOKEN, fetch, maxRetries: 0 })
      .GET('/v1/channels')
      .catch((e: unknown) => e)) as AmioRateLimitError;
    expect(error).toBeInstanceOf(AmioRateLimitError);
    expect(error.rateLimit).toEqual(want);
  });

  it("throws the other statuses as core's ApiError subclasses, without rateLimit", async () => {
    const { fetch } = observedFetch(() =>
      Response.json(errorBody(503, 'Service Unavailable', []), { status: 503, headers: { 'X-RateLimit-Reset': '1491820066' } }),
    );
    const error = await createAmioClient({ accessToken: TOKEN, fetch, maxRetries: 0 })
      .GET('/v1/channels')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).not.toHaveProperty('rateLimit');
  });

  it('surfaces a 422 as UnprocessableEntityError with Amio errors[] naming the field', async () => {
    const body = errorBody(422, 'Unprocessable Entity', [{ field: 'recipient', rejected_value: null, message: "Property 'recipient' cannot be null." }]);
    const { fetch } = observedFetch(() => Response.json(body, { status: 422 }));
    const error = await createAmioClient({ accessToken: TOKEN, fetch })
      .POST('/v1/messages', { body: { channel: { id: '1' }, contact: { id: '2' }, content: { type: 'text', payload: 'hi' } } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnprocessableEntityError);
    expect((error as UnprocessableEntityError<AmioErrorBody>).body.errors).toEqual([
      { field: 'recipient', rejected_value: null, message: "Property 'recipient' cannot be null." },
    ]);
  });

  it.each([
    [
      'a header token, JSON error body',
      {
        given: {
          tokenIn: 'header' as const,
          answer: () => Response.json(errorBody(401, 'Unauthorized', [{ message: 'Wrong accessToken.' }]), { status: 401 }),
        },
      },
    ],
    [
      'a query token, JSON error body',
      {
        given: { tokenIn: 'query' as const, answer: () => Response.json(errorBody(401, 'Unauthorized', [{ message: 'Wrong accessToken.' }]), { status: 401 }) },
      },
    ],
    [
      'a header token echoed in a JSON error body',
      {
        given: {
          tokenIn: 'header' as const,
          answer: () =>
            Response.json(errorBody(401, 'Unauthorized', [{ field: 'access_token', rejected_value: TOKEN, message: `Wrong accessToken ${TOKEN}.` }]), {
              status: 401,
            }),
        },
      },
    ],
    [
      'a query token echoed in a text error body',
      { given: { tokenIn: 'query' as const, answer: () => new Response(`Wrong accessToken ${TOKEN}`, { status: 401 }) } },
    ],
  ])('keeps %s out of errors', async (_, { given }) => {
    const { fetch } = observedFetch(given.answer);
    const error = await createAmioClient({ accessToken: TOKEN, tokenIn: given.tokenIn, fetch })
      .GET('/v1/channels')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(`${String(error)} ${JSON.stringify(error)} ${(error as AuthenticationError).url}`).not.toContain(TOKEN);
  });

  it('types request bodies and responses from the spec', async () => {
    const { fetch } = observedFetch(() => Response.json({ id: '1', type: 'amio_chat', name: 'Web chat', mode: 'production', webhook: null }, { status: 201 }));
    const client = createAmioClient({ accessToken: TOKEN, fetch });
    const { data } = await client.POST('/v1/channels', { body: { type: 'amio_chat' } });
    if (data?.type === 'amio_chat') expectTypeOf(data.mode).toEqualTypeOf<'production' | undefined>();
    // @ts-expect-error `content` is required to send a message
    await client.POST('/v1/messages', { body: { channel: { id: '1' }, contact: { id: '2' } } });
    // @ts-expect-error `fax` is not a channel type
    await client.POST('/v1/channels', { body: { type: 'fax' } });
  });
});
