import { MsgkitError, type Page, type PaginateOptions, type ProviderClient, paginate } from '@msgkit/core';
import type { components, paths } from './generated/schema.js';

type Schemas = components['schemas'];

/** What `paginatePhoneNumbers` filters and sorts by: the query without `skip`/`limit`, which the iterator sets. */
export type PhoneNumbersFilter = Omit<Schemas['PhoneNumbersQuery'], 'skip' | 'limit'>;

/** What `paginateTranscripts` filters and sorts by: the query without `skip`/`limit`, which the iterator sets. */
export type TranscriptsFilter = Omit<Schemas['TranscriptsQuery'], 'skip' | 'limit'>;

/** Page size of the iterators (`pageSize`, sent as `limit`). */
export type OcelotPageOptions = Pick<PaginateOptions, 'pageSize'>;

/** The iterators over Ocelot's two list operations, which page with `skip`/`limit` in the body and answer `total`. */
export interface OcelotPaginators {
  /** Every 1:1 phone number of an operator, page by page: `for await (const number of client.paginatePhoneNumbers({ operator }))`. */
  paginatePhoneNumbers(filter: PhoneNumbersFilter, options?: OcelotPageOptions): AsyncIterableIterator<Schemas['OneToOnePhoneNumber']>;
  /** Every conversation turn of an operator and phone number, page by page. */
  paginateTranscripts(filter: TranscriptsFilter, options?: OcelotPageOptions): AsyncIterableIterator<Schemas['TranscriptTurn']>;
}

/** Rejects `skip`/`limit` in a filter: the iterator owns them, and silently overwriting them would hide a mistake. */
function checkFilter(method: string, filter: object | undefined): void {
  if (filter === null || typeof filter !== 'object') throw new MsgkitError(`${method}: a filter object is required`);
  const owned = ['skip', 'limit'].filter((key) => key in filter);
  if (owned.length)
    throw new MsgkitError(`${method}: the filter must not set ${owned.join(' or ')}: the iterator pages with skip/limit; use the pageSize option`);
}

/** Ocelot's `{ total, data }` as core's page; core's `paginate` rejects a page without a `data` array with `InvalidResponseError`. */
const toPage = <T>(data: { data: T[]; total: number } | undefined) => ({ items: data?.data, total: data?.total }) as Page<T>;

/** Builds the iterators of a client over core's `paginate`. */
export function ocelotPaginators(client: ProviderClient<paths>): OcelotPaginators {
  return {
    paginatePhoneNumbers(filter, options) {
      checkFilter('paginatePhoneNumbers', filter);
      const path = '/api/v1/texting/phone-numbers/search';
      return paginate(async (skip, limit) => toPage((await client.POST(path, { body: { ...filter, skip, limit } })).data), options);
    },
    paginateTranscripts(filter, options) {
      checkFilter('paginateTranscripts', filter);
      const path = '/api/v1/texting/transcripts/search';
      return paginate(async (skip, limit) => toPage((await client.POST(path, { body: { ...filter, skip, limit } })).data), options);
    },
  };
}
