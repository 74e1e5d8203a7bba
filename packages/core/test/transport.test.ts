import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { MockAgent } from 'undici';
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

  it.each([
    ['edge entry: not available', { create: edge.createProviderClient, options: { transport: new MockAgent() }, want: 'works only where' }],
    ['not a Dispatcher', { create: node.createProviderClient, options: { transport: {} as MockAgent }, want: 'must be an undici Dispatcher' }],
    ['with fetch', { create: node.createProviderClient, options: { transport: new MockAgent(), fetch }, want: 'either fetch or transport' }],
  ] as const)('is refused with a MsgkitError: %s', (_name, { create, options, want }) => {
    expect(() => client(create, 'https://api.example.test', options)).toThrow(want);
  });
});
