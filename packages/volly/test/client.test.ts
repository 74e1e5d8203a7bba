import type { StoredToken, TokenStore } from '@msgkit/core';
import { observedFetch } from '@msgkit/testkit';
import { MockAgent } from 'undici';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  AuthenticationError,
  ConnectionError,
  createVollyClient,
  MsgkitError,
  VOLLY_BASE_URL,
  VOLLY_TOKEN_URL,
  type VollyAuth,
  type VollyClientOptions,
} from '../src/index.js';
import { vollyApi } from './api.js';

const sendBody = { message: 'intro', agent: 'jane.agent@email.com', lead: { source: 'velocify', id: '29309023' } };

describe('createVollyClient with an API key', () => {
  it('sends `Authorization: Key <key>` to the production URL by default', async () => {
    const { fetch, requests } = observedFetch(vollyApi());
    await createVollyClient({ auth: { apiKey: 'volly-key' }, fetch }).GET('/v1/groups');
    expect(requests.map((s) => s.url)).toEqual([`${VOLLY_BASE_URL}/v1/groups`]);
    expect(requests[0]?.headers.authorization).toBe('Key volly-key');
  });

  it.each([
    ['POST /send carries the key as a query parameter', { given: 'send', want: { url: `${VOLLY_BASE_URL}/v1/send?key=volly-key`, authorization: null } }],
    ['other operations keep the header', { given: 'groups', want: { url: `${VOLLY_BASE_URL}/v1/groups`, authorization: 'Key volly-key' } }],
  ] as const)("with in: 'query', %s", async (_, { given, want }) => {
    const { fetch, requests } = observedFetch(vollyApi());
    const client = createVollyClient({ auth: { apiKey: 'volly-key', in: 'query' }, fetch });
    if (given === 'send') await client.POST('/v1/send', { body: sendBody });
    else await client.GET('/v1/groups');
    expect(requests[0]?.url).toBe(want.url);
    expect(requests[0]?.headers.authorization ?? null).toBe(want.authorization);
  });

  it('keeps the key out of errors when the key travels in the query', async () => {
    const { fetch } = observedFetch(vollyApi(() => Response.json('Unauthorized', { status: 401 })));
    const client = createVollyClient({ auth: { apiKey: 'volly-key', in: 'query' }, fetch });
    const error = await client.POST('/v1/send', { body: sendBody }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(JSON.stringify(error)).not.toContain('volly-key');
    expect(String(error)).not.toContain('volly-key');
  });
});

describe('createVollyClient with OAuth', () => {
  it('posts the credentials as JSON to the token URL, then sends the bearer token and the client_id header', async () => {
    const { fetch, requests } = observedFetch(vollyApi());
    await createVollyClient({ auth: { clientId: 'cid', clientSecret: 'csecret' }, fetch }).GET('/v1/groups');
    expect(requests.map((s) => `${s.method} ${s.url}`)).toEqual([`POST ${VOLLY_TOKEN_URL}`, `GET ${VOLLY_BASE_URL}/v1/groups`]);
    expect(requests[0]?.json).toEqual({ client_id: 'cid', client_secret: 'csecret' });
    expect(requests[0]?.headers['content-type']).toBe('application/json');
    expect(requests[1]?.headers.authorization).toBe('Bearer token-1');
    expect(requests[1]?.headers.client_id).toBe('cid');
  });

  it.each([
    ['derives the token URL from a custom baseUrl', { given: { baseUrl: 'http://127.0.0.1:4014' }, want: 'http://127.0.0.1:4014/oauth/token' }],
    ['uses an explicit tokenUrl', { given: { tokenUrl: 'https://auth.example.com/oauth/token' }, want: 'https://auth.example.com/oauth/token' }],
  ])('%s', async (_, { given, want }) => {
    const { fetch, requests } = observedFetch(vollyApi());
    const { baseUrl, tokenUrl } = given as { baseUrl?: string; tokenUrl?: string };
    await createVollyClient({ auth: { clientId: 'cid', clientSecret: 'csecret', tokenUrl }, baseUrl, fetch }).GET('/v1/groups');
    expect(requests[0]?.url).toBe(want);
  });

  it("requests the token through the client's transport (an undici MockAgent), as its calls", async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    const volly = agent.get(VOLLY_BASE_URL);
    volly
      .intercept({ path: '/oauth/token', method: 'POST', body: JSON.stringify({ client_id: 'cid', client_secret: 'csecret' }) })
      .reply(200, { access_token: 'agent-token', expires_in: 600 });
    volly.intercept({ path: '/v1/groups', method: 'GET', headers: { authorization: 'Bearer agent-token', client_id: 'cid' } }).reply(200, []);
    const { data } = await createVollyClient({ auth: { clientId: 'cid', clientSecret: 'csecret' }, transport: agent }).GET('/v1/groups');
    expect(data).toEqual([]);
    agent.assertNoPendingInterceptors();
    await agent.close();
  });

  it('shares the token between clients through auth.tokenStore', async () => {
    const { fetch, requests } = observedFetch(vollyApi());
    const stored = new Map<string, StoredToken>();
    const tokenStore: TokenStore = {
      get: async (key) => stored.get(key),
      set: async (key, token) => {
        stored.set(key, token);
      },
      lock: async () => async () => {},
    };
    const auth = { clientId: 'id', clientSecret: 'secret', tokenStore };
    await createVollyClient({ auth, fetch }).GET('/v1/groups');
    await createVollyClient({ auth, fetch }).GET('/v1/groups');
    expect(requests.map((s) => new URL(s.url).pathname)).toEqual(['/oauth/token', '/v1/groups', '/v1/groups']);
    expect([...stored.keys()]).toEqual([`${VOLLY_TOKEN_URL}#id`]);
  });

  it('fetches a fresh token and retries once after a 401', async () => {
    let calls = 0;
    const { fetch, requests } = observedFetch(vollyApi(() => (++calls === 1 ? Response.json('Unauthorized', { status: 401 }) : Response.json({ ok: true }))));
    const { data } = await createVollyClient({ auth: { clientId: 'cid', clientSecret: 'csecret' }, fetch }).DELETE('/v1/groups/{id}', {
      params: { path: { id: 'g1' } },
    });
    expect(data).toEqual({ ok: true });
    expect(requests.map((s) => s.headers.authorization ?? 'token request')).toEqual(['token request', 'Bearer token-1', 'token request', 'Bearer token-2']);
  });

  it.each([
    ['reuses the token within its 10 minutes', { given: 9 * 60_000, want: ['token request', 'Bearer token-1', 'Bearer token-1'] }],
    [
      'refreshes it before the call once it is about to expire',
      { given: 10 * 60_000, want: ['token request', 'Bearer token-1', 'token request', 'Bearer token-2'] },
    ],
  ])('%s, timed by the client clock', async (_, { given, want }) => {
    let time = 1_000_000;
    const { fetch, requests } = observedFetch(vollyApi());
    const client = createVollyClient({ auth: { clientId: 'cid', clientSecret: 'csecret' }, fetch, clock: { now: () => time } });
    await client.GET('/v1/groups');
    time += given;
    await client.GET('/v1/groups');
    expect(requests.map((s) => s.headers.authorization ?? 'token request')).toEqual(want);
  });

  it('reports a refused token request as AuthenticationError without the secret', async () => {
    const { fetch } = observedFetch(() => Response.json('bad client csecret', { status: 401 }));
    const error = await createVollyClient({ auth: { clientId: 'cid', clientSecret: 'csecret' }, fetch })
      .GET('/v1/groups')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(JSON.stringify(error)).not.toContain('csecret');
  });
});

describe('createVollyClient options', () => {
  it.each([
    ['no options', { given: undefined, message: /options are required/ }],
    ['no auth', { given: {}, message: /auth is required/ }],
    ['an empty auth object', { given: { auth: {} }, message: /auth needs apiKey, or clientId and clientSecret/ }],
    ['an empty API key', { given: { auth: { apiKey: ' ' } }, message: /auth\.apiKey must be a non-empty string/ }],
    ['an API key and OAuth credentials', { given: { auth: { apiKey: 'k', clientId: 'c', clientSecret: 's' } }, message: /not both/ }],
    ['an unknown key location', { given: { auth: { apiKey: 'k', in: 'body' } }, message: /auth\.in must be "header" or "query"/ }],
    ['a key location with OAuth', { given: { auth: { clientId: 'c', clientSecret: 's', in: 'query' } }, message: /auth\.in applies to \{ apiKey \} only/ }],
    ['a missing client secret', { given: { auth: { clientId: 'c' } }, message: /clientSecret is required/ }],
    [
      'a misspelt OAuth key',
      {
        given: { auth: { clientId: 'c', clientSecret: 's', tokenURL: 'https://a.test/t' } },
        message: /auth: unknown option "tokenURL" \(did you mean tokenUrl\?\)/,
      },
    ],
    ['a misspelt API key option', { given: { auth: { apiKey: 'k', In: 'query' } }, message: /auth: unknown option "In" \(did you mean in\?\)/ }],
    [
      'an OAuth-only key with an API key',
      { given: { auth: { apiKey: 'k', tokenStore: {} } }, message: /auth\.tokenStore applies to \{ clientId, clientSecret \} only/ },
    ],
    [
      'mTLS, which has its own entry',
      { given: { auth: { clientId: 'c', clientSecret: 's', mtls: {} } }, message: /createVollyMtlsClient from @msgkit\/volly\/mtls/ },
    ],
    ['a relative baseUrl', { given: { auth: { apiKey: 'k' }, baseUrl: '/v1' }, message: /baseUrl must be an absolute URL/ }],
    ['a misspelt option', { given: { auth: { apiKey: 'k' }, maxRetires: 0 }, message: /unknown option "maxRetires" \(did you mean maxRetries\?\)/ }],
  ])('rejects %s with a MsgkitError', (_, { given, message }) => {
    const run = () => createVollyClient(given as never);
    expect(run).toThrow(MsgkitError);
    expect(run).toThrow(message);
  });

  it('turns network failures into ConnectionError without credentials', async () => {
    const { fetch } = observedFetch(new TypeError('connect ECONNREFUSED for volly-key'));
    const error = await createVollyClient({ auth: { apiKey: 'volly-key' }, fetch, maxRetries: 0 })
      .GET('/v1/groups')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(String(error)).not.toContain('volly-key');
  });

  it('types the three auth modes as exclusive', () => {
    expectTypeOf<{ apiKey: string }>().toExtend<VollyAuth>();
    expectTypeOf<{ apiKey: string; in: 'query' }>().toExtend<VollyAuth>();
    expectTypeOf<{ clientId: string; clientSecret: string; tokenUrl: string }>().toExtend<VollyAuth>();
    expectTypeOf<{ apiKey: string; clientId: string }>().not.toExtend<VollyAuth>();
    expectTypeOf<{ clientId: string; clientSecret: string; in: 'query' }>().not.toExtend<VollyAuth>();
    // @ts-expect-error `in` is 'header' or 'query'
    const wrongPlace: VollyClientOptions = { auth: { apiKey: 'k', in: 'body' } };
    expect(wrongPlace.auth).toBeDefined();
  });

  it('types request bodies from the spec', async () => {
    const { fetch } = observedFetch(vollyApi());
    const client = createVollyClient({ auth: { apiKey: 'k' }, fetch });
    const { data } = await client.POST('/v1/groups', { body: { name: 'Loan Officers' } });
    expectTypeOf(data).toEqualTypeOf<{ id: string }>();
    // @ts-expect-error `name` is required
    await client.POST('/v1/groups', { body: { email: 'x@example.com' } });
  });
});
