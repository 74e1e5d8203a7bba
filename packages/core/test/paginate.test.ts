import { describe, expect, expectTypeOf, it } from 'vitest';
import { InvalidResponseError, MsgkitError, type Page, paginate } from '../src/index.js';

/** A list API over `list`: answers `min(limit, serverMax)` items from `offset`, with `total` when `withTotal`. */
function listApi(list: number[], { withTotal = false, serverMax = Number.POSITIVE_INFINITY } = {}) {
  const calls: [number, number][] = [];
  const fetchPage = async (offset: number, limit: number): Promise<Page<number>> => {
    calls.push([offset, limit]);
    const items = list.slice(offset, offset + Math.min(limit, serverMax));
    return withTotal ? { items, total: list.length } : { items };
  };
  return { calls, fetchPage };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

async function collect<T>(iterator: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterator) out.push(item);
  return out;
}

describe('paginate', () => {
  it.each([
    ['a short last page', { size: 7, pageSize: 3, withTotal: false, calls: [0, 3, 6] }],
    ['an exact multiple: the empty page ends it', { size: 6, pageSize: 3, withTotal: false, calls: [0, 3, 6] }],
    ['an exact multiple with total: no extra request', { size: 6, pageSize: 3, withTotal: true, calls: [0, 3] }],
    ['an empty list', { size: 0, pageSize: 3, withTotal: false, calls: [0] }],
    ['an empty list with total 0', { size: 0, pageSize: 3, withTotal: true, calls: [0] }],
    ['one page', { size: 2, pageSize: 100, withTotal: true, calls: [0] }],
  ])('yields every item once and stops on %s', async (_, { size, pageSize, withTotal, calls }) => {
    const api = listApi(range(size), { withTotal });
    expect(await collect(paginate(api.fetchPage, { pageSize }))).toEqual(range(size));
    expect(api.calls.map(([offset]) => offset)).toEqual(calls);
  });

  it('stops when total is reached even if the server keeps answering', async () => {
    const calls: number[] = [];
    const always = async (offset: number, limit: number) => {
      calls.push(offset);
      return { items: range(limit).map((i) => offset + i), total: 5 };
    };
    expect(await collect(paginate(always, { pageSize: 2 }))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(calls).toEqual([0, 2, 4]);
  });

  it.each([
    ['pageSize above the cap', { given: { pageSize: 500, maxPageSize: 100 }, want: 100 }],
    ['pageSize below the cap', { given: { pageSize: 10, maxPageSize: 100 }, want: 10 }],
    ['no pageSize: the default, capped', { given: { maxPageSize: 20 }, want: 20 }],
    ['no options: the default', { given: {}, want: 100 }],
  ])('asks for pages of the capped size with %s', async (_, { given, want }) => {
    const api = listApi(range(250));
    await collect(paginate(api.fetchPage, given));
    expect(new Set(api.calls.map(([, limit]) => limit))).toEqual(new Set([want]));
  });

  it.each([
    ['with total: keeps going past pages shorter than asked for', { withTotal: true, want: range(10), calls: [0, 4, 8] }],
    ['without total: a short page is the last one', { withTotal: false, want: range(4), calls: [0] }],
  ])('when the server caps pages lower than asked, %s', async (_, { withTotal, want, calls }) => {
    const api = listApi(range(10), { withTotal, serverMax: 4 });
    expect(await collect(paginate(api.fetchPage, { pageSize: 5 }))).toEqual(want);
    expect(api.calls.map(([offset]) => offset)).toEqual(calls);
  });

  it('fetches lazily: breaking out early requests no more pages', async () => {
    const api = listApi(range(100));
    for await (const item of paginate(api.fetchPage, { pageSize: 10 })) if (item === 3) break;
    expect(api.calls).toEqual([[0, 10]]);
  });

  it.each([
    ['a missing fetchPage', { fetchPage: undefined, options: {} }],
    ['pageSize 0', { fetchPage: async () => ({ items: [] }), options: { pageSize: 0 } }],
    ['a fractional pageSize', { fetchPage: async () => ({ items: [] }), options: { pageSize: 2.5 } }],
    ['a string maxPageSize', { fetchPage: async () => ({ items: [] }), options: { maxPageSize: '100' } }],
    ['null options', { fetchPage: async () => ({ items: [] }), options: null }],
  ])('rejects %s at once with MsgkitError', (_, { fetchPage, options }) => {
    expect(() => paginate(fetchPage as never, options as never)).toThrow(MsgkitError);
  });

  it.each([
    ['no items array', { page: { data: [] } }],
    ['no page at all', { page: undefined }],
    ['a negative total', { page: { items: [1], total: -1 } }],
    ['a string total', { page: { items: [1], total: '3' } }],
  ])('rejects a page with %s with InvalidResponseError', async (_, { page }) => {
    await expect(collect(paginate(async () => page as never))).rejects.toBeInstanceOf(InvalidResponseError);
  });

  it('passes errors of fetchPage through', async () => {
    const failure = new MsgkitError('boom');
    await expect(collect(paginate(async () => Promise.reject(failure)))).rejects.toBe(failure);
  });

  it('is typed by the items of fetchPage', () => {
    const iterator = paginate(async () => ({ items: [{ id: 'a' }] }));
    expectTypeOf(iterator).toEqualTypeOf<AsyncIterableIterator<{ id: string }>>();
    // @ts-expect-error pages must carry an items array
    paginate(async () => ({ rows: [] }));
  });
});
