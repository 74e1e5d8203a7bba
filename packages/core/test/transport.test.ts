import type { ServerResponse } from 'node:http';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { Agent, MockAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
// Spelt so the undici project's alias (`../src/index.js` → the node entry) leaves it alone: this is always the edge entry.
import * as edge from '../src/./index.js';
import * as node from '../src/node.js';
import { type Arrival, closeServers, localServer, rejection, type TestPaths } from './support.js';

afterEach(closeServers);

/** The two entries: the same behaviour through fetch (edge) and through undici (node). */
const ENTRIES = [
  ['edge entry (fetch)', edge.createProviderClient],
  ['node entry (undici)', node.createProviderClient],
] as const;

const client = (create: typeof edge.createProviderClient, baseUrl: string, options: Partial<edge.ProviderClientOptions> = {}) =>
  create<TestPaths>({ baseUrl, auth: edge.bearerAuth('s3cret-token'), maxRetries: 0, ...options });

const ITEMS = [{ id: 'a' }, { id: 'b' }];
const ENCODED: [string, (bytes: Buffer) => Buffer][] = [
  ['gzip', gzipSync],
  ['deflate', deflateSync],
  ['deflate', deflateRawSync],
  ['br', brotliCompressSync],
];

describe.each(ENTRIES)('%s', (_, create) => {
  it.each(ENCODED)('decodes a %s body', async (coding, encode) => {
    const { url } = await localServer((_arrival, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': coding });
      response.end(encode(Buffer.from(JSON.stringify(ITEMS))));
    });
    const { data, response } = await client(create, url).GET('/things');
    expect(data).toEqual(ITEMS);
    expect(response).toBeInstanceOf(Response);
  });

  it('sends fetch default headers', async () => {
    const { url, arrivals } = await localServer((_arrival, response) => response.end('[]'));
    await client(create, url).GET('/things');
    expect(arrivals[0]?.headers).toMatchObject({
      accept: expect.any(String),
      'accept-encoding': expect.stringContaining('gzip'),
      authorization: 'Bearer s3cret-token',
    });
  });

  it('refuses a compressed body that decodes past maxResponseBytes', async () => {
    const { url } = await localServer((_arrival, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      response.end(gzipSync(Buffer.from(JSON.stringify({ pad: 'x'.repeat(100_000) }))));
    });
    const error = await rejection(client(create, url, { maxResponseBytes: 10_000 }).GET('/things'));
    expect(error).toBeInstanceOf(edge.ResponseTooLargeError);
  });

  const redirects: [string, { status: number; method: 'POST' | 'PUT'; want: { method: string; body: string; contentType: string | undefined } }][] = [
    ['301 after POST becomes a GET without body', { status: 301, method: 'POST', want: { method: 'GET', body: '', contentType: undefined } }],
    ['302 after POST becomes a GET without body', { status: 302, method: 'POST', want: { method: 'GET', body: '', contentType: undefined } }],
    ['303 after PUT becomes a GET without body', { status: 303, method: 'PUT', want: { method: 'GET', body: '', contentType: undefined } }],
    ['307 re-sends the body', { status: 307, method: 'POST', want: { method: 'POST', body: '{"name":"n"}', contentType: 'application/json' } }],
    ['308 re-sends the body', { status: 308, method: 'PUT', want: { method: 'PUT', body: '{"name":"n"}', contentType: 'application/json' } }],
  ];
  it.each(redirects)('same origin: %s, keeping Authorization', async (_name, { status, method, want }) => {
    const { url, arrivals } = await localServer((arrival, response) => {
      if (arrival.url === '/things') response.writeHead(status, { location: '/moved' }).end();
      else response.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"1"}');
    });
    const things = client(create, url);
    await (method === 'POST' ? things.POST('/things', { body: { name: 'n' } }) : things.PUT('/things', { body: { name: 'n' } }));
    const moved = arrivals[1] as Arrival;
    expect({ method: moved.method, body: moved.body, contentType: moved.headers['content-type'] }).toEqual(want);
    expect(moved.headers.authorization).toBe('Bearer s3cret-token');
  });

  it('drops Authorization on a redirect to another origin', async () => {
    const other = await localServer((_arrival, response) => response.writeHead(200, { 'content-type': 'application/json' }).end('[]'));
    const { url } = await localServer((_arrival, response) => response.writeHead(302, { location: `${other.url}/elsewhere` }).end());
    await client(create, url).GET('/things');
    expect(other.arrivals[0]?.url).toBe('/elsewhere');
    expect(other.arrivals[0]?.headers.authorization).toBeUndefined();
  });

  it.each([
    ['manual', (error: unknown) => expect(error).toMatchObject({ status: 302 })],
    ['error', (error: unknown) => expect(error).toBeInstanceOf(edge.ConnectionError)],
  ] as const)('redirect "%s" does not follow', async (redirect, check) => {
    const { url, arrivals } = await localServer((_arrival, response) => response.writeHead(302, { location: '/moved' }).end());
    check(await rejection(client(create, url).GET('/things', { redirect })));
    expect(arrivals.map((a) => a.url)).toEqual(['/things']);
  });

  const answers: [string, { answer: (response: ServerResponse) => void; want: { status: number; statusText: string; multi: string | null; data: unknown } }][] =
    [
      [
        'the status text the server sent',
        {
          answer: (r) => r.writeHead(200, 'Fine Thanks', { 'content-type': 'application/json' }).end('[]'),
          want: { status: 200, statusText: 'Fine Thanks', multi: null, data: [] },
        },
      ],
      [
        'a repeated header, joined',
        {
          answer: (r) => r.setHeader('x-multi', ['a', 'b']).writeHead(200, { 'content-type': 'application/json' }).end('[]'),
          want: { status: 200, statusText: 'OK', multi: 'a, b', data: [] },
        },
      ],
      [
        'an informational 103 before the answer',
        {
          answer: (r) => {
            r.writeEarlyHints({ link: '</style.css>; rel=preload' });
            r.writeHead(200, { 'content-type': 'application/json' }).end('[{"id":"a"}]');
          },
          want: { status: 200, statusText: 'OK', multi: null, data: [{ id: 'a' }] },
        },
      ],
      ['a 204 without body', { answer: (r) => r.writeHead(204).end(), want: { status: 204, statusText: 'No Content', multi: null, data: undefined } }],
    ];
  it.each(answers)('hands back %s, as fetch does', async (_name, { answer, want }) => {
    const { url } = await localServer((_arrival, response) => answer(response));
    const { data, response } = await client(create, url).GET('/things');
    const { status, statusText, headers } = response;
    expect({ status, statusText, multi: headers.get('x-multi'), data }).toEqual(want);
  });

  it('follows a redirect whose body is over maxResponseBytes: it is not read', async () => {
    const { url } = await localServer((arrival, response) => {
      if (arrival.url === '/things') response.writeHead(302, { location: '/moved' }).end('x'.repeat(50_000));
      else response.writeHead(200, { 'content-type': 'application/json' }).end('[]');
    });
    expect((await client(create, url, { maxResponseBytes: 1_000 }).GET('/things')).data).toEqual([]);
  });

  /** Authenticators not built by core: each attempt gives them a real `Request`. */
  const custom: [string, { auth: edge.Authenticator; want: { header: string | undefined; url: string } }][] = [
    [
      'one that sets a header',
      {
        auth: {
          apply: (r) => {
            r.headers.set('x-key', 'k3y-value');
            return r;
          },
          secrets: ['k3y-value'],
        },
        want: { header: 'k3y-value', url: '/things' },
      },
    ],
    [
      'one that returns a new Request',
      { auth: { apply: async (r) => new Request(`${r.url}?sig=abcd`, r), secrets: ['abcd'] }, want: { header: undefined, url: '/things?sig=abcd' } },
    ],
  ];
  it.each(custom)('sends through a custom authenticator: %s', async (_name, { auth, want }) => {
    const { url, arrivals } = await localServer((_arrival, response) => response.writeHead(200, { 'content-type': 'application/json' }).end('[]'));
    await client(create, url, { auth }).GET('/things');
    expect({ header: arrivals[0]?.headers['x-key'], url: arrivals[0]?.url }).toEqual(want);
  });

  it('ends a call whose custom authenticator never settles at the deadline, with TimeoutError', async () => {
    const { url, arrivals } = await localServer((_arrival, response) => response.end('[]'));
    const auth: edge.Authenticator = { apply: () => new Promise<Request>(() => {}), secrets: [] };
    expect(await rejection(client(create, url, { auth, timeout: 50 }).GET('/things'))).toBeInstanceOf(edge.TimeoutError);
    expect(arrivals).toEqual([]);
  });
});

describe('the transport option', () => {
  it('sends through a user undici Dispatcher (MockAgent) on the node entry', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    agent
      .get('https://api.example.test')
      .intercept({ path: '/things', method: 'GET', headers: { authorization: 'Bearer s3cret-token' } })
      .reply(200, ITEMS, { headers: { 'content-type': 'application/json' } });
    const { data } = await client(node.createProviderClient, 'https://api.example.test', { transport: agent }).GET('/things');
    expect(data).toEqual(ITEMS);
    await agent.close();
  });

  /** A MockAgent that answers the token request with `token` (counting them) and `GET /things` only with that token. */
  function oauthAgent(token: string) {
    const agent = new MockAgent();
    agent.disableNetConnect();
    const origin = agent.get('https://api.example.test');
    const seen = { tokenRequests: 0 };
    origin
      .intercept({ path: '/oauth/token', method: 'POST' })
      .reply(200, () => {
        seen.tokenRequests++;
        return { access_token: token, expires_in: 600 };
      })
      .persist();
    origin
      .intercept({ path: '/things', method: 'GET', headers: { authorization: `Bearer ${token}` } })
      .reply(200, ITEMS, { headers: { 'content-type': 'application/json' } });
    return { agent, seen };
  }

  it.each([
    ['the client transport carries it', { ownFetch: false, want: { tokenRequests: 1, ownFetchCalls: 0 } }],
    ["the authenticator's own fetch still wins", { ownFetch: true, want: { tokenRequests: 0, ownFetchCalls: 1 } }],
  ])('sends the OAuth token request through the same Dispatcher as the calls: %s', async (_name, { ownFetch, want }) => {
    const { agent, seen } = oauthAgent('mock-agent-token');
    let ownFetchCalls = 0;
    const fetch = async () => {
      ownFetchCalls++;
      return Response.json({ access_token: 'mock-agent-token', expires_in: 600 });
    };
    const auth = edge.clientCredentialsAuth({
      tokenUrl: 'https://api.example.test/oauth/token',
      clientId: 'id',
      clientSecret: 'client-secret',
      ...(ownFetch ? { fetch } : {}),
    });
    const { data } = await node.createProviderClient<TestPaths>({ baseUrl: 'https://api.example.test', auth, transport: agent, maxRetries: 0 }).GET('/things');
    expect(data).toEqual(ITEMS);
    expect({ tokenRequests: seen.tokenRequests, ownFetchCalls }).toEqual(want);
    await agent.close();
  });

  it.each([
    ['edge entry: not available', { create: edge.createProviderClient, options: { transport: new MockAgent() }, want: 'works only where' }],
    ['not a Dispatcher', { create: node.createProviderClient, options: { transport: {} as MockAgent }, want: 'must be an undici Dispatcher' }],
    ['with fetch', { create: node.createProviderClient, options: { transport: new MockAgent(), fetch }, want: 'either fetch or transport' }],
  ] as const)('is refused with a MsgkitError: %s', (_name, { create, options, want }) => {
    expect(() => client(create, 'https://api.example.test', options)).toThrow(want);
  });

  it('rejects a call cancelled while it waits for a connection at once, and never sends it', async () => {
    const answer = (response: ServerResponse) => response.writeHead(200, { 'content-type': 'application/json' }).end('[]');
    let held: ServerResponse | undefined;
    let arrived: () => void = () => {};
    const first = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const { url, arrivals } = await localServer((_arrival, response) => {
      if (held !== undefined || arrivals.length > 1) return answer(response);
      held = response;
      arrived();
    });
    const agent = new Agent({ connections: 1, pipelining: 1 });
    const controller = new AbortController();
    // Aborts once the attempt has gone to undici, which queues it behind the first call.
    const onRequest = ({ url }: edge.RequestEvent) => url.endsWith('cancelled') && setImmediate(() => controller.abort(new Error('user left')));
    const things = client(node.createProviderClient, url, { transport: agent, onRequest });
    const sent = things.GET('/things', { params: { query: { q: 'first' } } });
    await first;
    const waiting = rejection(things.GET('/things', { params: { query: { q: 'cancelled' } }, signal: controller.signal }));
    // The one connection is still held by the first call: the cancelled one is rejected without waiting for it.
    expect(await waiting).toBeInstanceOf(node.AbortedError);
    answer(held as unknown as ServerResponse);
    await sent;
    await things.GET('/things', { params: { query: { q: 'last' } } });
    expect(arrivals.map((a) => a.url)).toEqual(['/things?q=first', '/things?q=last']);
    await agent.close();
  });
});
