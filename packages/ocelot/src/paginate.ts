import { MsgkitError, type Page, type ProviderClient, paginate as pages } from '@msgkit/core';
import type { paths } from './generated/schema.js';

/** Paths of Ocelot's list operations: a POST paged by `skip`/`limit` in the body that answers `{ total, data }`. */
export type OcelotListPath = '/api/v1/texting/phone-numbers/search' | '/api/v1/texting/transcripts/search';

/** The list operations at run time (a type test keeps them equal to `OcelotListPath`). */
export const OCELOT_LIST_PATHS = ['/api/v1/texting/phone-numbers/search', '/api/v1/texting/transcripts/search'] as const;

type Body<P extends OcelotListPath> = NonNullable<paths[P]['post']['requestBody']>['content']['application/json'];

/** One item of a list operation's page (`OneToOnePhoneNumber` or `TranscriptTurn`). */
export type OcelotListItem<P extends OcelotListPath> = paths[P]['post']['responses'][200]['content']['application/json']['data'][number];

/** What `paginate` needs besides the path: the filter (the request body without `skip`/`limit`, which the iterator sets) and the page size. */
export interface OcelotPaginateInit<P extends OcelotListPath> {
  /** What to filter and sort by: the operation's body without `skip` and `limit`. */
  body: Omit<Body<P>, 'skip' | 'limit'>;
  /** Items per request (`limit`); defaults to 100. */
  pageSize?: number;
}

/** Rejects `skip`/`limit` in a filter: the iterator owns them, and silently overwriting them would hide a mistake. */
function checkFilter(body: object | undefined): void {
  if (body === null || typeof body !== 'object') throw new MsgkitError('paginate: init.body (the filter object) is required');
  const owned = ['skip', 'limit'].filter((key) => key in body);
  if (owned.length)
    throw new MsgkitError(`paginate: the filter must not set ${owned.join(' or ')}: the iterator pages with skip/limit; use the pageSize option`);
}

/** Ocelot's `{ total, data }` as core's page; core's `paginate` rejects a page without a `data` array with `InvalidResponseError`. */
const toPage = <T>(data: { data: T[]; total: number } | undefined) => ({ items: data?.data, total: data?.total }) as Page<T>;

/**
 * Every item of an Ocelot list operation, page by page, as an async iterator:
 * `for await (const number of paginate(client, '/api/v1/texting/phone-numbers/search', { body: { operator } }))`.
 * POSTs the filter with `skip`/`limit` and stops once `total` items were seen.
 */
export function paginate<P extends OcelotListPath>(
  client: ProviderClient<paths>,
  path: P,
  init: OcelotPaginateInit<P>,
): AsyncIterableIterator<OcelotListItem<P>> {
  if (!(OCELOT_LIST_PATHS as readonly string[]).includes(path)) {
    throw new MsgkitError(`paginate works on the list operations ${OCELOT_LIST_PATHS.join(', ')}; got "${path}"`);
  }
  checkFilter(init?.body);
  const post = client.POST as unknown as (path: string, init: unknown) => Promise<{ data?: { data: OcelotListItem<P>[]; total: number } }>;
  return pages(async (skip, limit) => toPage((await post(path, { body: { ...init.body, skip, limit } })).data), { pageSize: init.pageSize });
}
