import { InvalidResponseError, MsgkitError } from './errors.js';

/** One page of an offset/limit list: its items and, when the API says, the total count of the whole list. */
export interface Page<T> {
  /** Items of this page, in order. */
  items: T[];
  /** Total number of items in the whole list (e.g. Amio's `x-total-count`, Ocelot's `total`), when known. */
  total?: number;
}

/** Options of `paginate`. */
export interface PaginateOptions {
  /** Items to ask for per page (default 100, capped at `maxPageSize`). */
  pageSize?: number;
  /** The API's largest page: `pageSize` is capped to it. */
  maxPageSize?: number;
}

/** Page size when `pageSize` is not given (capped at `maxPageSize`). */
export const DEFAULT_PAGE_SIZE = 100;

function positiveInteger(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new MsgkitError(`${name} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

function checkPage<T>(page: unknown, offset: number): Page<T> {
  const { items, total } = (page ?? {}) as Partial<Page<T>>;
  if (page === null || typeof page !== 'object' || !Array.isArray(items)) {
    throw new InvalidResponseError(`paginate: the page at offset ${offset} has no items array`);
  }
  if (total !== undefined && (typeof total !== 'number' || !Number.isInteger(total) || total < 0)) {
    throw new InvalidResponseError(`paginate: the page at offset ${offset} has total ${JSON.stringify(total)}, not a non-negative integer`);
  }
  return { items, total };
}

async function* pages<T>(fetchPage: (offset: number, limit: number) => Promise<Page<T>>, limit: number): AsyncGenerator<T, void, undefined> {
  let offset = 0;
  for (;;) {
    const { items, total } = checkPage<T>(await fetchPage(offset, limit), offset);
    yield* items;
    offset += items.length;
    // With a total, a short page only means the server caps pages lower than asked: keep going until total.
    const last = items.length === 0 || (total === undefined ? items.length < limit : offset >= total);
    if (last) return;
  }
}

/**
 * Iterates every item of an offset/limit list, fetching pages on demand:
 * `for await (const item of paginate((offset, limit) => fetchPage(offset, limit)))`.
 * Stops after an empty page, or once `total` items were seen when pages carry a total, else after a page
 * shorter than asked for.
 */
export function paginate<T>(fetchPage: (offset: number, limit: number) => Promise<Page<T>>, options: PaginateOptions = {}): AsyncIterableIterator<T> {
  if (typeof fetchPage !== 'function') throw new MsgkitError('paginate needs a fetchPage(offset, limit) function');
  if (options === null || typeof options !== 'object') throw new MsgkitError('paginate options must be an object');
  const max = positiveInteger(options.maxPageSize, 'maxPageSize');
  const size = positiveInteger(options.pageSize, 'pageSize') ?? DEFAULT_PAGE_SIZE;
  return pages(fetchPage, max === undefined ? size : Math.min(size, max));
}
