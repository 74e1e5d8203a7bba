import { describe, expect, it } from 'vitest';
import { type Answers, observedClient, observedFetch } from '../src/index.js';

const get = (fetch: (input: string, init?: RequestInit) => Promise<Response>, path: string, init?: RequestInit) =>
  fetch(`https://api.example.test${path}`, init).then(async (r) => `${r.status} ${await r.text()}`);

describe('observedFetch', () => {
  it.each<[string, { given: Answers; want: string[] }]>([
    ['one response for every request', { given: Response.json({ ok: 1 }), want: ['200 {"ok":1}', '200 {"ok":1}'] }],
    ['a queue, one per request', { given: [Response.json(1), new Response('two', { status: 201 })], want: ['200 1', '201 two'] }],
    [
      'a function of the request and its number',
      { given: (request, n) => new Response(`${n} ${new URL(request.url).pathname}`), want: ['200 0 /a', '200 1 /b'] },
    ],
    ['a table by method and path, then by path', { given: { 'GET /a': new Response('get a'), '/b': new Response('any b') }, want: ['200 get a', '200 any b'] }],
  ])('answers with %s', async (_, { given, want }) => {
    const { fetch } = observedFetch(given);
    expect([await get(fetch, '/a'), await get(fetch, '/b')]).toEqual(want);
  });

  it.each<[string, { given: Answers; want: RegExp }]>([
    ['an error answer', { given: new TypeError('fetch failed'), want: /fetch failed/ }],
    ['an exhausted queue', { given: [], want: /no answer for request 1 \(GET https:\/\/api.example.test\/a\); 0 given/ }],
    ['a route missing from the table', { given: { '/b': new Response('') }, want: /no answer for GET \/a \(table has \/b\)/ }],
  ])('throws on %s', async (_, { given, want }) => {
    await expect(get(observedFetch(given).fetch, '/a')).rejects.toThrow(want);
  });

  it('records method, URL, lower-case headers and the body as text and JSON, leaving the body readable for the answer', async () => {
    const { fetch, requests } = observedFetch(async (request) => new Response(await request.text()));
    const echoed = await get(fetch, '/a?q=1', { method: 'POST', headers: { 'X-Key': 'k' }, body: '{"a":1}' });
    await get(fetch, '/b', { method: 'PUT', body: 'plain' });
    expect(echoed).toBe('200 {"a":1}');
    expect(requests.map(({ request, ...seen }) => seen)).toEqual([
      {
        method: 'POST',
        url: 'https://api.example.test/a?q=1',
        headers: { 'x-key': 'k', 'content-type': 'text/plain;charset=UTF-8' },
        body: '{"a":1}',
        json: { a: 1 },
      },
      { method: 'PUT', url: 'https://api.example.test/b', headers: { 'content-type': 'text/plain;charset=UTF-8' }, body: 'plain', json: undefined },
    ]);
  });
});

describe('observedClient', () => {
  it('injects the fetch into the factory, keeping the other options', async () => {
    const create = (options: { base: string; fetch?: (input: string) => Promise<Response> }) => ({ ping: () => options.fetch?.(`${options.base}/ping`) });
    const { client, requests } = observedClient(create, { base: 'https://api.example.test' });
    expect((await client.ping())?.status).toBe(200);
    expect(requests.map((r) => r.url)).toEqual(['https://api.example.test/ping']);
  });
});
