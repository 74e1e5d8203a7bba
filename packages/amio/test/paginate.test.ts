import { readFileSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { AmioRateLimitError, type components, createAmioClient, InvalidResponseError, MsgkitError } from '../src/index.js';
import { AMIO_LIST_PATHS, type AmioListItem, type AmioListPath, paginate } from '../src/paginate.js';

const spec = JSON.parse(readFileSync(new URL('../src/generated/openapi.json', import.meta.url), 'utf8'));

/** An Amio list endpoint over `total` items that honours `max`/`offset` and reports `x-total-count`; it records each page asked for. */
function listServer(total: number, headers: (offset: number) => Record<string, string> = () => ({ 'x-total-count': String(total) })) {
  const items = Array.from({ length: total }, (_, i) => ({ id: String(i + 1), name: `item ${i + 1}` }));
  const pages: { path: string; max: number; offset: number }[] = [];
  const fetch = async (request: Request) => {
    const url = new URL(request.url);
    const max = Number(url.searchParams.get('max'));
    const offset = Number(url.searchParams.get('offset'));
    pages.push({ path: url.pathname, max, offset });
    return Response.json(items.slice(offset, offset + max), { headers: headers(offset) });
  };
  return { items, pages, client: createAmioClient({ accessToken: 'token', baseUrl: 'http://127.0.0.1:4013', fetch }) };
}

async function collect<T>(iterator: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterator) out.push(item);
  return out;
}

describe('paginate (@msgkit/amio/paginate)', () => {
  it.each([
    ['several pages, the last one short', { given: { total: 5, pageSize: 2 }, want: { offsets: [0, 2, 4], max: 2 } }],
    ['pages that fill up exactly (stops on x-total-count, no empty extra page)', { given: { total: 4, pageSize: 2 }, want: { offsets: [0, 2], max: 2 } }],
    ['one page', { given: { total: 3, pageSize: 10 }, want: { offsets: [0], max: 10 } }],
    ['an empty list', { given: { total: 0, pageSize: 10 }, want: { offsets: [0], max: 10 } }],
    ['the default page size of 100', { given: { total: 150, pageSize: undefined }, want: { offsets: [0, 100], max: 100 } }],
    ['a page size above 100, capped at 100', { given: { total: 150, pageSize: 500 }, want: { offsets: [0, 100], max: 100 } }],
  ])('walks %s', async (_, { given, want }) => {
    const { items, pages, client } = listServer(given.total);
    const got = await collect(paginate(client, '/v1/channels', { pageSize: given.pageSize }));
    expect(got).toEqual(items);
    expect(pages.map((p) => p.offset)).toEqual(want.offsets);
    expect(pages.every((p) => p.max === want.max && p.path === '/v1/channels')).toBe(true);
  });

  it.each([
    ['contacts of a channel', { given: ['/v1/channels/{channel_id}/contacts', { channel_id: 'c1' }] as const, want: '/v1/channels/c1/contacts' }],
    [
      'messages of a contact',
      {
        given: ['/v1/channels/{channel_id}/contacts/{contact_id}/messages', { channel_id: 'c1', contact_id: 'k 2' }] as const,
        want: '/v1/channels/c1/contacts/k%202/messages',
      },
    ],
  ])('pages the %s with its path parameters', async (_, { given, want }) => {
    const { items, pages, client } = listServer(3);
    const [path, params] = given;
    const got = await collect(paginate(client, path, { params: { path: params as never }, pageSize: 2 }));
    expect(got).toEqual(items);
    expect(pages).toEqual([
      { path: want, max: 2, offset: 0 },
      { path: want, max: 2, offset: 2 },
    ]);
  });

  it('fetches lazily: breaking out of the loop stops the walk', async () => {
    const { pages, client } = listServer(10);
    for await (const item of paginate(client, '/v1/channels', { pageSize: 2 })) if (item.id === '1') break;
    expect(pages).toHaveLength(1);
  });

  it('without x-total-count, stops on the first short page', async () => {
    const { items, pages, client } = listServer(5, () => ({}));
    expect(await collect(paginate(client, '/v1/channels', { pageSize: 2 }))).toEqual(items);
    expect(pages.map((p) => p.offset)).toEqual([0, 2, 4]);
  });

  it.each([
    ['a negative x-total-count', { given: '-1' }],
    ['a non-numeric x-total-count', { given: 'many' }],
    ['a fractional x-total-count', { given: '2.5' }],
  ])('rejects %s with InvalidResponseError', async (_, { given }) => {
    const { client } = listServer(3, () => ({ 'x-total-count': given }));
    await expect(collect(paginate(client, '/v1/channels'))).rejects.toThrow(InvalidResponseError);
    await expect(collect(paginate(client, '/v1/channels'))).rejects.toThrow(`x-total-count "${given}"`);
  });

  it('rejects a list answer that is not a JSON array with InvalidResponseError', async () => {
    const client = createAmioClient({ accessToken: 'token', fetch: async () => Response.json({ id: '1' }) });
    await expect(collect(paginate(client, '/v1/channels'))).rejects.toThrow(/without a JSON array/);
  });

  it('passes API errors of any page through (429 as AmioRateLimitError)', async () => {
    const client = createAmioClient({
      accessToken: 'token',
      fetch: async (request) =>
        new URL(request.url).searchParams.get('offset') === '0'
          ? Response.json([{ id: '1' }, { id: '2' }], { headers: { 'x-total-count': '4' } })
          : Response.json({}, { status: 429, headers: { 'X-RateLimit-Reset': '1491820066' } }),
    });
    const seen: string[] = [];
    const error = await (async () => {
      for await (const item of paginate(client, '/v1/channels', { pageSize: 2 })) seen.push(item.id);
    })().catch((e: unknown) => e);
    expect(seen).toEqual(['1', '2']);
    expect(error).toBeInstanceOf(AmioRateLimitError);
    expect((error as AmioRateLimitError).rateLimit.resetAt).toEqual(new Date(1491820066 * 1000));
  });

  it.each([
    [
      'a path that is not a list',
      { given: ['/v1/channels/{channel_id}', { params: { path: { channel_id: '1' } } }], want: /list operations .*got "\/v1\/channels\/\{channel_id\}"/ },
    ],
    ['a query of its own', { given: ['/v1/channels', { params: { query: { max: 5 } } }], want: /pass pageSize instead of params.query/ }],
    ['a page size of 0', { given: ['/v1/channels', { pageSize: 0 }], want: /pageSize must be a positive integer, got 0/ }],
    ['a fractional page size', { given: ['/v1/channels', { pageSize: 2.5 }], want: /pageSize must be a positive integer, got 2.5/ }],
    ['a missing path parameter', { given: ['/v1/channels/{channel_id}/contacts', {}], want: /path parameter channel_id/ }],
    [
      'an empty path parameter',
      {
        given: ['/v1/channels/{channel_id}/contacts/{contact_id}/messages', { params: { path: { channel_id: 'c1', contact_id: '' } } }],
        want: /path parameter contact_id/,
      },
    ],
  ])('rejects %s with MsgkitError', (_, { given, want }) => {
    const { client, pages } = listServer(1);
    const run = () => (paginate as (...args: unknown[]) => unknown)(client, ...given);
    expect(run).toThrow(MsgkitError);
    expect(run).toThrow(want);
    expect(pages).toHaveLength(0);
  });

  it('covers exactly the operations of the spec paged by max and offset', () => {
    const paged = Object.entries(spec.paths)
      .filter(([, item]: [string, any]) => item.get?.parameters?.some((p: any) => (p.$ref ?? p.name)?.endsWith('Max') || p.name === 'max'))
      .map(([path]) => path);
    expect([...AMIO_LIST_PATHS].sort()).toEqual(paged.sort());
    expectTypeOf<(typeof AMIO_LIST_PATHS)[number]>().toEqualTypeOf<AmioListPath>();
  });

  it('types items by path and requires path parameters', async () => {
    const { client } = listServer(0);
    expectTypeOf<AmioListItem<'/v1/channels'>>().toEqualTypeOf<components['schemas']['Channel']>();
    expectTypeOf<AmioListItem<'/v1/channels/{channel_id}/contacts'>>().toEqualTypeOf<components['schemas']['Contact']>();
    expectTypeOf<AmioListItem<'/v1/channels/{channel_id}/contacts/{contact_id}/messages'>>().toEqualTypeOf<components['schemas']['Message']>();
    // @ts-expect-error the contacts of which channel?
    expect(() => paginate(client, '/v1/channels/{channel_id}/contacts')).toThrow(MsgkitError);
    // @ts-expect-error `/v1/messages` is not a list
    expect(() => paginate(client, '/v1/messages')).toThrow(MsgkitError);
  });
});
