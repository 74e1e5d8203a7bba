import type { ServerResponse } from 'node:http';
import { observedFetch } from '@msgkit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  basicAuth,
  bearerAuth,
  type ClientCredentialsOptions,
  ConnectionError,
  clientCredentialsAuth,
  createProviderClient,
  headerAuth,
  MsgkitError,
  queryAuth,
  TimeoutError,
  type TokenStore,
} from '../src/index.js';
import { closeServers, json, localServer, memoryTokenStore, rejection, send, type TestPaths } from './support.js';

const TOKEN_URL = 'https://auth.example.com/oauth/token';

/** A token endpoint handing out `token-1`, `token-2`, … valid `expiresIn` seconds; records each request. */
function tokenEndpoint(expiresIn: number | undefined = 600) {
  return observedFetch(async (_, n) => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    return json(200, { access_token: `token-${n + 1}`, token_type: 'Bearer', expires_in: expiresIn });
  });
}

/** An API that accepts only the tokens in `valid`, answering 401 otherwise; `seen` lists the Authorization of each request. */
function api(valid: Set<string>, delayMs: (call: number) => number = () => 0) {
  const { fetch, requests } = observedFetch(async (request, n) => {
    await new Promise((resolve) => setTimeout(resolve, delayMs(n + 1)));
    return valid.has(request.headers.get('authorization') ?? '') ? json(200, [{ id: 'a' }]) : json(401, { message: 'expired token' });
  });
  return {
    fetch,
    get seen() {
      return requests.map((request) => request.headers.authorization ?? '');
    },
  };
}

describe('clientCredentialsAuth', () => {
  it('shares one token request among 100 concurrent calls', async () => {
    const tokens = tokenEndpoint();
    const server = api(new Set(['Bearer token-1']));
    const auth = clientCredentialsAuth({ tokenUrl: TOKEN_URL, clientId: 'id', clientSecret: 'secret', fetch: tokens.fetch });
    const client = createProviderClient<TestPaths>({ baseUrl: 'https://api.example.com', auth, fetch: server.fetch });
    const results = await Promise.all(Array.from({ length: 100 }, () => client.GET('/things')));
    expect(tokens.requests).toHaveLength(1);
    expect(results.every(({ data }) => data?.[0]?.id === 'a')).toBe(true);
    expect(new Set(server.seen)).toEqual(new Set(['Bearer token-1']));
  });

  it.each([
    ['JSON (default)', { bodyFormat: undefined, type: 'application/json', read: (text: string) => JSON.parse(text) }],
    ['form', { bodyFormat: 'form' as const, type: 'application/x-www-form-urlencoded', read: (text: string) => Object.fromEntries(new URLSearchParams(text)) }],
  ])('requests the token with a %s body', async (_, { bodyFormat, type, read }) => {
    const tokens = tokenEndpoint();
    const auth = clientCredentialsAuth({ tokenUrl: TOKEN_URL, clientId: 'id', clientSecret: 'secret', fetch: tokens.fetch, bodyFormat });
    expect(await auth.getToken()).toBe('token-1');
    const [request] = tokens.requests;
    expect(request?.method).toBe('POST');
    expect(request?.headers['content-type']).toBe(type);
    expect(read(request?.body ?? '')).toEqual({ grant_type: 'client_credentials', client_id: 'id', client_secret: 'secret' });
  });

  it('leaves grant_type out when sendGrantType is false', async () => {
    const tokens = tokenEndpoint();
    const auth = clientCredentialsAuth({ tokenUrl: TOKEN_URL, clientId: 'id', clientSecret: 'secret', fetch: tokens.fetch, sendGrantType: false });
    await auth.getToken();
    expect(tokens.requests[0]?.json).toEqual({ client_id: 'id', client_secret: 'secret' });
  });

  it.each([
    ['a fresh token is reused', { expiresIn: 600, after: 60_000, want: ['token-1', 'token-1'] }],
    ['a token is refreshed 30 s ahead of expiry', { expiresIn: 600, after: 571_000, want: ['token-1', 'token-2'] }],
    ['a token is still used 31 s before expiry', { expiresIn: 600, after: 569_000, want: ['token-1', 'token-1'] }],
    ['a 20 s token is refreshed half-way', { expiresIn: 20, after: 10_000, want: ['token-1', 'token-2'] }],
    ['no expires_in: 10 minutes are assumed', { expiresIn: undefined, after: 560_000, want: ['token-1', 'token-1'] }],
  ])('%s', async (_, { expiresIn, after, want }) => {
    let time = 0;
    const tokens = tokenEndpoint(expiresIn);
    const auth = clientCredentialsAuth({ tokenUrl: TOKEN_URL, clientId: 'id', clientSecret: 'secret', fetch: tokens.fetch, now: () => time });
    const first = await auth.getToken();
    time += after;
    expect([first, await auth.getToken()]).toEqual(want);
  });

  it('retries a call once with a fresh token after a 401', async () => {
    const tokens = tokenEndpoint();
    const server = api(new Set(['Bearer token-2']));
    const auth = clientCredentialsAuth({ tokenUrl: TOKEN_URL, clientId: 'id', clientSecret: 'secret', fetch: tokens.fetch });
    const client = createProviderClient<TestPaths>({ baseUrl: 'https://api.example.com', auth, fetch: server.fetch });
    const { data } = await client.GET('/things');
    expect(data).toEqual([{ id: 'a' }]);
    expect(server.seen).toEqual(['Bearer token-1', 'Bearer token-2']);
  });

  it('gives up with AuthenticationError when the fresh token is refused too', async () => {
    const tokens = tokenEndpoint();
    const server = api(new Set());
    const auth = clientCredentialsAuth({ tokenUrl: TOKEN_URL, clientId: 'id', clientSecret: 'secret', fetch: tokens.fetch });
    const client = createProviderClient<TestPaths>({ baseUrl: 'https://api.example.com', auth, fetch: server.fetch });
    expect(await rejection(client.GET('/things'))).toBeInstanceOf(AuthenticationError);
    expect(server.seen).toEqual(['Bearer token-1', 'Bearer token-2']);
  });

  it('refreshes once when many concurrent calls get a 401 with the same expired token, even late ones', async () => {
    const tokens = tokenEndpoint();
    const valid = new Set(['Bearer token-1']);
    // The 401s come back spread over 60 ms, most of them after the new token arrived (the endpoint takes 5 ms).
    const server = api(valid, (call) => (call % 20) * 3);
    const auth = clientCredentialsAuth({ tokenUrl: TOKEN_URL, clientId: 'id', clientSecret: 'secret', fetch: tokens.fetch });
    const client = createProviderClient<TestPaths>({ baseUrl: 'https://api.example.com', auth, fetch: server.fetch });
    await client.GET('/things');
    valid.clear();
    valid.add('Bearer token-2');
    await Promise.all(Array.from({ length: 20 }, () => client.GET('/things')));
    expect(tokens.requests).toHaveLength(2);
  });

  it.each([
    ['a refused token request', { answer: () => json(401, { error: 'invalid_client' }) }],
    ['a token response without access_token', { answer: () => json(200, { token_type: 'Bearer' }) }],
    ['a token response that is not JSON', { answer: () => new Response('<html>', { status: 200 }) }],
  ])('rejects %s with AuthenticationError, and asks again on the next call', async (_, { answer }) => {
    let calls = 0;
    const fetch = (async () => {
      calls++;
      return answer();
    }) as unknown as typeof globalThis.fetch;
    const auth = clientCredentialsAuth({ tokenUrl: TOKEN_URL, clientId: 'id', clientSecret: 'the-client-secret', fetch });
    const error = await rejection(auth.getToken());
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(JSON.stringify(error) + String(error)).not.toContain('the-client-secret');
    await rejection(auth.getToken());
    expect(calls).toBe(2);
  });

  it.each([
    ['no options', { given: undefined }],
    ['a missing tokenUrl', { given: { clientId: 'id', clientSecret: 's' } }],
    ['a relative tokenUrl', { given: { tokenUrl: '/token', clientId: 'id', clientSecret: 's' } }],
    ['an empty clientId', { given: { tokenUrl: TOKEN_URL, clientId: '', clientSecret: 's' } }],
    ['a missing clientSecret', { given: { tokenUrl: TOKEN_URL, clientId: 'id' } }],
  ])('rejects %s with MsgkitError', (_, { given }) => {
    expect(() => clientCredentialsAuth(given as never)).toThrow(MsgkitError);
  });
});

describe('static credentials', () => {
  it.each([
    ['headerAuth with a prefix', { auth: headerAuth('Authorization', 'k3y', 'Key '), header: 'Key k3y', url: 'https://api.example.com/things' }],
    ['headerAuth in a custom header', { auth: headerAuth('X-Api-Key', 'k3y'), header: null, url: 'https://api.example.com/things' }],
    [
      'basicAuth',
      { auth: basicAuth('user', 'pässword'), header: `Basic ${Buffer.from('user:pässword').toString('base64')}`, url: 'https://api.example.com/things' },
    ],
    ['bearerAuth', { auth: bearerAuth('t0ken'), header: 'Bearer t0ken', url: 'https://api.example.com/things' }],
    ['queryAuth', { auth: queryAuth('access_token', 't0ken'), header: null, url: 'https://api.example.com/things?access_token=t0ken' }],
  ])('%s puts the credential where the provider expects it', async (_, { auth, header, url }) => {
    const { fetch, requests } = observedFetch(json(200, []));
    const client = createProviderClient<TestPaths>({ baseUrl: 'https://api.example.com', auth, fetch });
    await client.GET('/things');
    expect(requests[0]?.headers.authorization ?? null).toBe(header);
    expect(requests[0]?.url).toBe(url);
  });

  it.each([
    ['headerAuth without a secret', { make: () => headerAuth('Authorization', '') }],
    ['basicAuth without a password', { make: () => basicAuth('user', '') }],
    ['bearerAuth without a token', { make: () => bearerAuth(undefined as never) }],
    ['queryAuth without a value', { make: () => queryAuth('key', ' ') }],
  ])('rejects %s with MsgkitError', (_, { make }) => {
    expect(make).toThrow(MsgkitError);
  });
});

/**
 * One local server playing both the token endpoint (`/oauth/token`, answering `token-1`, `token-2`, …, or
 * what `token` says for request n) and the API (`/things`, accepting the tokens in `valid`, or any token).
 */
async function oauthServer(token: (n: number) => ((response: ServerResponse) => void) | undefined = () => undefined, valid?: Set<string>) {
  let issued = 0;
  const server = await localServer((arrival, response) => {
    if (arrival.url.startsWith('/oauth/token')) {
      const n = issued++;
      const answer = token(n) ?? ((r) => send(r, 200, { access_token: `token-${n + 1}`, expires_in: 600 }));
      answer(response);
    } else {
      const authorization = String(arrival.headers.authorization);
      const ok = valid ? valid.has(authorization) : authorization.startsWith('Bearer token-');
      send(response, ok ? 200 : 401, ok ? [{ id: 'a' }] : { message: 'bad token' });
    }
  });
  const tokenRequests = () => server.arrivals.filter((a) => a.url.startsWith('/oauth/token'));
  return { ...server, tokenRequests };
}

/** Never answers. */
const hang = () => {};

/** A deadline longer than any test may run: where a test is not about a deadline, a slow machine must not hit one. */
const NO_DEADLINE_MS = 3_600_000;

describe('clientCredentialsAuth against a local token endpoint (issue 13)', () => {
  afterEach(closeServers);

  it('starts a new token request after one that hung past the call deadline', async () => {
    const server = await oauthServer((n) => (n === 0 ? hang : undefined));
    // Only the first call's deadline may end the hung token request; nothing but a hang can fail the second call.
    const auth = clientCredentialsAuth({ tokenUrl: `${server.url}/oauth/token`, clientId: 'id', clientSecret: 'secret', tokenTimeout: NO_DEADLINE_MS });
    const client = createProviderClient<TestPaths>({ baseUrl: server.url, auth, timeout: 300 });
    expect(await rejection(client.GET('/things'))).toBeInstanceOf(TimeoutError);
    const { data } = await client.GET('/things', { timeout: Number.POSITIVE_INFINITY });
    expect(data).toEqual([{ id: 'a' }]);
    expect(server.tokenRequests()).toHaveLength(2);
  });

  it('gives the token request its own deadline (tokenTimeout), shorter than the call', async () => {
    const server = await oauthServer((n) => (n === 0 ? hang : undefined));
    // The first token request goes to the server, which never answers it. The next one is answered in process: a
    // real round trip on a loaded machine could outlast the 200 ms this test sets on purpose, and fail the recovery.
    let tokenRequests = 0;
    const fetch = ((input: RequestInfo | URL, init?: RequestInit) =>
      tokenRequests++ === 0
        ? globalThis.fetch(input, init)
        : Promise.resolve(json(200, { access_token: 'token-2', expires_in: 600 }))) as typeof globalThis.fetch;
    const auth = clientCredentialsAuth({ tokenUrl: `${server.url}/oauth/token`, clientId: 'id', clientSecret: 'secret', tokenTimeout: 200, fetch });
    const client = createProviderClient<TestPaths>({ baseUrl: server.url, auth, timeout: 60_000 });
    const error = await rejection(client.GET('/things'));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(String(error)).toContain('the OAuth token request) timed out after 200 ms');
    expect((await client.GET('/things')).data).toEqual([{ id: 'a' }]);
    expect([tokenRequests, server.tokenRequests().length]).toEqual([2, 1]);
  });

  it('drops a failed refresh, so the next call asks again', async () => {
    const server = await oauthServer((n) => (n === 0 ? (response) => response.destroy() : undefined));
    const auth = clientCredentialsAuth({ tokenUrl: `${server.url}/oauth/token`, clientId: 'id', clientSecret: 'secret' });
    const client = createProviderClient<TestPaths>({ baseUrl: server.url, auth, maxRetries: 0 });
    expect(await rejection(client.GET('/things'))).toBeInstanceOf(ConnectionError);
    expect((await client.GET('/things')).data).toEqual([{ id: 'a' }]);
  });

  it('never follows a token redirect to another origin, and says so', async () => {
    const elsewhere = await localServer((_, response) => send(response, 200, { access_token: 'stolen', expires_in: 600 }));
    const server = await oauthServer(() => (response) => send(response, 307, '', { location: `${elsewhere.url}/collect` }));
    const auth = clientCredentialsAuth({ tokenUrl: `${server.url}/oauth/token`, clientId: 'id', clientSecret: 'the-client-secret' });
    const error = await rejection(auth.getToken());
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 307 });
    expect(String(error)).toContain(`redirected to another origin (${elsewhere.url})`);
    expect(elsewhere.arrivals).toEqual([]);
  });

  it('follows a same-origin 307 of the token request, re-sending the credentials', async () => {
    const server = await oauthServer((n) => (n === 0 ? (response) => send(response, 307, '', { location: '/oauth/token/v2' }) : undefined));
    const auth = clientCredentialsAuth({ tokenUrl: `${server.url}/oauth/token`, clientId: 'id', clientSecret: 'secret' });
    expect(await auth.getToken()).toBe('token-2');
    expect(server.tokenRequests().map((a) => [a.url, JSON.parse(a.body).client_secret])).toEqual([
      ['/oauth/token', 'secret'],
      ['/oauth/token/v2', 'secret'],
    ]);
  });

  it('keeps only the client secret and the live tokens across 20 000 refreshes', async () => {
    let time = 0;
    let issued = 0;
    // In process rather than over HTTP: the point is what the authenticator keeps, and 20 000 requests take a minute.
    const fetch = (async () => json(200, { access_token: `token-${++issued}`, expires_in: 600 })) as unknown as typeof globalThis.fetch;
    const auth = clientCredentialsAuth({ tokenUrl: TOKEN_URL, clientId: 'id', clientSecret: 'secret', fetch, now: () => time });
    for (let i = 0; i < 20_000; i++) {
      time += 600_000;
      await auth.getToken();
    }
    expect(auth.secrets).toEqual(['secret', 'token-19999', 'token-20000']);
  }, 60_000);
});

describe('clientCredentialsAuth with a shared tokenStore (issue 16)', () => {
  afterEach(closeServers);

  /**
   * `count` clients, each with its own authenticator (as separate processes would have), sharing `store`. Without a
   * `tokenTimeout` of the test's own, waiting for another client's token (and its lock) has no deadline a slow machine could hit.
   */
  const clientsOf = (url: string, store: TokenStore, count: number, extra: Partial<ClientCredentialsOptions> = {}) =>
    Array.from({ length: count }, () => {
      const auth = clientCredentialsAuth({
        tokenUrl: `${url}/oauth/token`,
        clientId: 'id',
        clientSecret: 'secret',
        tokenStore: store,
        tokenTimeout: NO_DEADLINE_MS,
        ...extra,
      });
      return createProviderClient<TestPaths>({ baseUrl: url, auth });
    });

  it('makes one token request for 100 concurrent calls across 4 clients', async () => {
    const server = await oauthServer();
    const { store, sets } = memoryTokenStore();
    const clients = clientsOf(server.url, store, 4);
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => clients[i % 4]?.GET('/things')));
    expect(results.every((result) => result?.data[0]?.id === 'a')).toBe(true);
    expect(server.tokenRequests()).toHaveLength(1);
    expect(sets.map((token) => token.accessToken)).toEqual(['token-1']);
    expect(new Set(server.arrivals.filter((a) => a.url === '/things').map((a) => a.headers.authorization))).toEqual(new Set(['Bearer token-1']));
  });

  it('uses a token another client stored, without a token request', async () => {
    const server = await oauthServer();
    const { store } = memoryTokenStore();
    const [first, second] = clientsOf(server.url, store, 2);
    await first?.GET('/things');
    await second?.GET('/things');
    expect(server.tokenRequests()).toHaveLength(1);
  });

  it('after a 401, replaces the refused stored token once for every client', async () => {
    const valid = new Set(['Bearer token-1']);
    const server = await oauthServer(undefined, valid);
    const { store, sets } = memoryTokenStore();
    const clients = clientsOf(server.url, store, 4);
    await Promise.all(clients.map((client) => client.GET('/things')));
    valid.clear();
    valid.add('Bearer token-2');
    await Promise.all(clients.map((client) => client.GET('/things')));
    expect(sets.map((token) => token.accessToken)).toEqual(['token-1', 'token-2']);
    expect(server.tokenRequests()).toHaveLength(2);
  });

  const failing = (operation: keyof TokenStore, shared: TokenStore): TokenStore => ({
    ...shared,
    [operation]: async (...args: unknown[]) => {
      throw new Error(`store down (client secret "secret", arguments ${JSON.stringify(args)})`);
    },
  });

  it.each([
    ['get', { operation: 'get' as const }],
    ['lock', { operation: 'lock' as const }],
    ['set', { operation: 'set' as const }],
  ])('falls back to a direct token request when the store %s fails, and reports it without credentials', async (_, { operation }) => {
    const server = await oauthServer();
    const { store } = memoryTokenStore();
    const reported: unknown[] = [];
    const clients = clientsOf(server.url, failing(operation, store), 4, { onTokenStoreError: (error) => reported.push(error) });
    const results = await Promise.all(clients.map((client) => client.GET('/things')));
    expect(results.every((result) => result.data[0]?.id === 'a')).toBe(true);
    // Each client requests its own token: the store can neither hand one out nor keep one.
    expect(server.tokenRequests()).toHaveLength(4);
    expect(reported.length).toBeGreaterThan(0);
    expect(reported.every((error) => error instanceof MsgkitError)).toBe(true);
    expect(String(reported)).toContain(`tokenStore.${operation} failed`);
    expect(String(reported)).not.toMatch(/"secret"|token-\d/);
  });

  it('waits at most tokenTimeout for a lock holder that never stores a token, then requests one', async () => {
    const server = await oauthServer();
    const { store } = memoryTokenStore();
    await store.lock(`${server.url}/oauth/token#id`, NO_DEADLINE_MS);
    const reported: unknown[] = [];
    // Answered in process: the token request after the wait has the same 300 ms deadline, which a real round trip on a
    // loaded machine could outlast.
    const tokens = observedFetch(json(200, { access_token: 'token-1', expires_in: 600 }));
    const [client] = clientsOf(server.url, store, 1, { tokenTimeout: 300, fetch: tokens.fetch, onTokenStoreError: (error) => reported.push(error) });
    expect((await client?.GET('/things'))?.data).toEqual([{ id: 'a' }]);
    expect(tokens.requests).toHaveLength(1);
    expect(String(reported)).toContain('no token appeared within 300 ms');
  });
});
