import { describe, expect, it } from 'vitest';
import {
  type Authenticator,
  basicAuth,
  bearerAuth,
  clientCredentialsAuth,
  createProviderClient,
  headerAuth,
  queryAuth,
  type RequestEvent,
  type ResponseEvent,
} from '../src/index.js';
import { fakeClock, json, rejection, type TestPaths } from './support.js';

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
          fetch: (async () => json(200, { access_token: TOKEN, expires_in: 600 })) as unknown as typeof fetch,
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
