import { inspect } from 'node:util';
import { observedFetch } from '@msgkit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  type Authenticator,
  basicAuth,
  bearerAuth,
  clientCredentialsAuth,
  createProviderClient,
  headerAuth,
  InvalidResponseError,
  MsgkitError,
  queryAuth,
  type RequestEvent,
  type ResponseEvent,
} from '../src/index.js';
import { closeServers, fakeClock, json, localServer, rejection, send, type TestPaths } from './support.js';

const SECRET = 'sup3r-secret-value';
const TOKEN = 'issued-access-token';

/** Every auth scheme the providers use, each with the credentials that must never be reported. */
const schemes: [string, { auth: () => Authenticator; secrets: string[] }][] = [
  ['raw header value (Key <key>)', { auth: () => headerAuth('Authorization', SECRET, 'Key '), secrets: [SECRET] }],
  ['HTTP basic', { auth: () => basicAuth('user', SECRET), secrets: [SECRET, btoa(`user:${SECRET}`)] }],
  ['bearer token', { auth: () => bearerAuth(SECRET), secrets: [SECRET] }],
  ['access_token query parameter', { auth: () => queryAuth('access_token', SECRET), secrets: [SECRET] }],
  ['key query parameter', { auth: () => queryAuth('key', SECRET), secrets: [SECRET] }],
  [
    'OAuth client credentials',
    {
      auth: () =>
        clientCredentialsAuth({
          tokenUrl: 'https://auth.example.com/token',
          clientId: 'client-id',
          clientSecret: SECRET,
          fetch: observedFetch(json(200, { access_token: TOKEN, expires_in: 600 })).fetch,
        }),
      secrets: [SECRET, TOKEN],
    },
  ],
];

/** A careless server that echoes the credentials it got back, in its body and in its failures. */
const echoes: [string, (request: Request) => Promise<Response>][] = [
  ['a 401 text body', async (request) => new Response(`${request.url} ${request.headers.get('authorization')}`, { status: 401 })],
  ['a 500 JSON body', async (request) => json(500, { error: { seen: request.headers.get('authorization'), url: request.url } })],
  [
    'a network failure message',
    async (request) => {
      throw new TypeError('fetch failed', { cause: new Error(`reset while sending ${request.url} ${request.headers.get('authorization')}`) });
    },
  ],
];

describe('credentials never appear in errors, JSON, toString or hooks', () => {
  describe.each(schemes)('%s', (_, { auth, secrets }) => {
    it.each(echoes)('when the server echoes them in %s', async (_, server) => {
      const events: (RequestEvent | ResponseEvent)[] = [];
      const client = createProviderClient<TestPaths>({
        baseUrl: 'https://api.example.com',
        auth: auth(),
        fetch: server,
        clock: fakeClock().clock,
        onRequest: (event) => events.push(event),
        onResponse: (event) => events.push(event),
      });
      const error = (await rejection(client.GET('/things', { params: { query: { q: 'x' } } }))) as Error & { url?: string; body?: unknown };
      expect(error).toBeInstanceOf(Error);
      expect(events.length).toBeGreaterThan(0);
      const views = [
        error.message,
        String(error),
        JSON.stringify(error),
        error.url,
        JSON.stringify(error.body),
        error.stack,
        JSON.stringify(events),
        String(events.map((e) => (e as ResponseEvent).error)),
      ];
      for (const view of views) {
        for (const secret of secrets) expect(view ?? '').not.toContain(secret);
      }
    });
  });
});

/** Secrets with the characters that change under encoding (`+ / =`, a space), as Amio and Volly keys have. */
const KEY = 'k3y+with/slash=';
const PASSWORD = 'p@ss word+/=';

/** Every way a careless server may echo a secret back. */
const encodings: [string, (secret: string) => string][] = [
  ['raw', (secret) => secret],
  ['percent-encoded', (secret) => encodeURIComponent(secret)],
  ['percent-encoded in lower case', (secret) => encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase())],
  ['form-encoded', (secret) => new URLSearchParams({ s: secret }).toString().slice(2)],
  ['JSON-escaped', (secret) => JSON.stringify(secret).slice(1, -1).replaceAll('/', '\\/')],
];

/** The auth schemes, each with the secrets that must never be printed (the base64 of `user:pass` included). */
const leaky: [string, { auth: () => Authenticator; secrets: string[] }][] = [
  ['access_token query parameter (Amio)', { auth: () => queryAuth('access_token', KEY), secrets: [KEY] }],
  ['key query parameter (Volly)', { auth: () => queryAuth('key', KEY), secrets: [KEY] }],
  ['HTTP basic', { auth: () => basicAuth('user', PASSWORD), secrets: [PASSWORD, Buffer.from(`user:${PASSWORD}`).toString('base64')] }],
  ['Key header', { auth: () => headerAuth('Authorization', KEY, 'Key '), secrets: [KEY] }],
];

/** Every way an error can be printed. */
const printed = (error: Error & { toJSON?: () => { headers: unknown } }) => [
  error.message,
  String(error),
  error.stack ?? '',
  JSON.stringify(error),
  JSON.stringify(error.toJSON?.().headers ?? {}),
  inspect(error, { depth: 20 }),
];

describe('every encoding of every secret is scrubbed wherever an error can be printed (issue 13)', () => {
  afterEach(closeServers);

  describe.each(leaky)('%s', (_, { auth, secrets }) => {
    it.each(encodings)('when a 401 echoes them %s in its body and headers', async (_, encode) => {
      const echo = secrets.map(encode).join(' ');
      const server = await localServer((arrival, response) =>
        send(
          response,
          401,
          { seen: echo, url: arrival.url, authorization: arrival.headers.authorization ?? '' },
          {
            'www-authenticate': `Bearer error="invalid_token", token="${echo}"`,
            'x-debug': echo,
            'x-request-id': 'req-1',
          },
        ),
      );
      const client = createProviderClient<TestPaths>({ baseUrl: server.url, auth: auth() });
      const error = (await rejection(client.POST('/things', { body: { name: 'x' } }))) as AuthenticationError;
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(error.headers.get('x-request-id')).toBe('req-1');
      for (const view of printed(error)) {
        for (const secret of secrets) for (const [, form] of encodings) expect(view).not.toContain(form(secret));
      }
    });

    it.each(encodings)('when a 200 that is not JSON is one of them %s, which V8 quotes', async (_, encode) => {
      // JSON.parse's message quotes the body: `Unexpected token 'k', "k3y%2Bwith"... is not valid JSON`.
      const server = await localServer((_, response) => send(response, 200, encode(secrets[0] as string)));
      const client = createProviderClient<TestPaths>({ baseUrl: server.url, auth: auth() });
      const error = (await rejection(client.GET('/things'))) as InvalidResponseError;
      expect(error).toBeInstanceOf(InvalidResponseError);
      // V8 quotes the first 10 characters of a longer body: even a part of a secret is a leak.
      for (const view of printed(error)) expect(view).not.toContain(encode(secrets[0] as string).slice(0, 8));
    });
  });

  it.each([
    ['baseUrl', { make: () => createProviderClient({ baseUrl: 'https://user:hunter2-pass@api.example.com', auth: bearerAuth('t0ken') }) }],
    ['an invalid baseUrl', { make: () => createProviderClient({ baseUrl: 'https//user:hunter2-pass@api', auth: bearerAuth('t0ken') }) }],
    ['tokenUrl', { make: () => clientCredentialsAuth({ tokenUrl: 'https://id:hunter2-pass@auth.example.com/token', clientId: 'id', clientSecret: 's3cret' }) }],
  ])('refuses %s with user:pass@ without echoing the password', (_, { make }) => {
    expect(make).toThrow(MsgkitError);
    expect(() => make()).not.toThrow(/hunter2/);
  });
});
