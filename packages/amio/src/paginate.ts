import { InvalidResponseError, MsgkitError, type ProviderClient, paginate as pages } from '@msgkit/core';
import type { paths } from './generated/schema.js';

/** Amio's largest `max`: pages never ask for more. */
export const AMIO_MAX_PAGE_SIZE = 100;

type Get<P extends keyof paths> = NonNullable<paths[P]['get']>;

/** Paths of Amio's list operations: a GET paged by `max`/`offset` that answers a JSON array. */
export type AmioListPath = {
  [P in keyof paths]: paths[P]['get'] extends {
    parameters: { query?: { max?: number; offset?: number } };
    responses: { 200: { content: { 'application/json': readonly unknown[] } } };
  }
    ? P
    : never;
}[keyof paths];

/** One item of a list operation's page (`Channel`, `Contact` or `Message`). */
export type AmioListItem<P extends AmioListPath> = Get<P>['responses'][200]['content']['application/json'][number];

type PathParams<P extends AmioListPath> = Get<P>['parameters'] extends { path: infer T } ? T : never;

/** What `paginate` needs besides the path: the path parameters (when the path has any) and the page size. */
export type AmioPaginateInit<P extends AmioListPath> = ([PathParams<P>] extends [never] ? { params?: never } : { params: { path: PathParams<P> } }) & {
  /** Items per request (`max`), 1 to 100; defaults to 100 so long lists take few requests. */
  pageSize?: number;
};

/** The list paths at run time (a type test keeps them equal to `AmioListPath`). */
export const AMIO_LIST_PATHS = ['/v1/channels', '/v1/channels/{channel_id}/contacts', '/v1/channels/{channel_id}/contacts/{contact_id}/messages'] as const;

/** Reads `x-total-count`: undefined when absent, `InvalidResponseError` when it is not a non-negative integer. */
function totalCount(response: Response, path: string): number | undefined {
  const header = response.headers.get('x-total-count');
  if (header === null) return undefined;
  const total = Number(header);
  if (header.trim() === '' || !Number.isInteger(total) || total < 0) {
    throw new InvalidResponseError(`GET ${path} answered x-total-count "${header}", which is not a non-negative integer`);
  }
  return total;
}

interface LooseInit {
  params?: { path?: Record<string, string>; query?: unknown };
  pageSize?: number;
}

/**
 * Every item of an Amio list operation (`/v1/channels`, `…/contacts`, `…/messages`), page by page, as an
 * async iterator: `for await (const channel of paginate(client, '/v1/channels'))`. Sends `max`/`offset`
 * and stops at `x-total-count` (or after a short page when the header is missing).
 */
export function paginate<P extends AmioListPath>(
  client: ProviderClient<paths>,
  path: P,
  ...init: [PathParams<P>] extends [never] ? [init?: AmioPaginateInit<P>] : [init: AmioPaginateInit<P>]
): AsyncIterableIterator<AmioListItem<P>> {
  return walk(client, path, init[0] as LooseInit | undefined) as AsyncIterableIterator<AmioListItem<P>>;
}

function walk(client: ProviderClient<paths>, path: string, init: LooseInit = {}): AsyncIterableIterator<unknown> {
  const get = client.GET as unknown as (path: string, init: unknown) => Promise<{ data?: unknown; response: Response }>;
  if (!(AMIO_LIST_PATHS as readonly string[]).includes(path)) {
    throw new MsgkitError(`paginate works on the list operations ${AMIO_LIST_PATHS.join(', ')}; got "${path}"`);
  }
  if (init.params?.query !== undefined) throw new MsgkitError('paginate sets max and offset itself: pass pageSize instead of params.query');
  const pathParams = init.params?.path;
  for (const [, name] of path.matchAll(/\{(\w+)\}/g)) {
    const value = pathParams?.[name as string];
    if (typeof value !== 'string' || value === '')
      throw new MsgkitError(`paginate("${path}") needs the path parameter ${name} (a non-empty string) in params.path`);
  }
  return pages(
    async (offset, limit) => {
      const { data, response } = await get(path, { params: { path: pathParams, query: { max: limit, offset } } });
      if (!Array.isArray(data)) throw new InvalidResponseError(`GET ${path} answered ${response.status} without a JSON array`);
      return { items: data, total: totalCount(response, path) };
    },
    { pageSize: init.pageSize, maxPageSize: AMIO_MAX_PAGE_SIZE },
  );
}
