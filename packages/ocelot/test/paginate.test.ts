import { describe, expect, expectTypeOf, it } from 'vitest';
import { AuthenticationError, type components, createOcelotClient, InvalidResponseError, MsgkitError } from '../src/index.js';
import { type OCELOT_LIST_PATHS, type OcelotListPath, paginate } from '../src/paginate.js';

type PhoneNumber = components['schemas']['OneToOnePhoneNumber'];
type Turn = components['schemas']['TranscriptTurn'];

const phoneNumbers = (count: number): PhoneNumber[] => Array.from({ length: count }, (_, i) => ({ phoneNumber: `555-000-${1000 + i}`, label: `n${i}` }));
const turns = (count: number): Turn[] => Array.from({ length: count }, (_, i) => ({ from: 'ai', to: '123-456-7890', senderType: 'ai', message: `turn ${i}` }));

/** A fake Ocelot list endpoint: answers `{ total, skip, limit, data }` sliced from `records` by the body's skip/limit. */
function pagedServer(records: unknown[], answer?: (call: number) => Response | undefined) {
  const bodies: Record<string, unknown>[] = [];
  const paths: string[] = [];
  const fetch = async (request: Request) => {
    const body = (await request.json()) as { skip: number; limit: number };
    bodies.push(body);
    paths.push(new URL(request.url).pathname);
    const override = answer?.(bodies.length);
    if (override) return override;
    return Response.json({ total: records.length, skip: body.skip, limit: body.limit, data: records.slice(body.skip, body.skip + body.limit) });
  };
  const client = createOcelotClient({ username: 'user', password: 'secret-pw', baseUrl: 'https://ocelot.example.test', fetch });
  return { client, bodies, paths };
}

async function collect(iterator: AsyncIterable<unknown>): Promise<unknown[]> {
  const items: unknown[] = [];
  for await (const item of iterator) items.push(item);
  return items;
}

const NUMBERS = '/api/v1/texting/phone-numbers/search';
const TRANSCRIPTS = '/api/v1/texting/transcripts/search';

describe('paginate (@msgkit/ocelot/paginate)', () => {
  it.each([
    ['phone numbers over 3 pages', { records: phoneNumbers(7), pageSize: 3, path: NUMBERS, skips: [0, 3, 6] }],
    ['phone numbers filling exactly 2 pages', { records: phoneNumbers(4), pageSize: 2, path: NUMBERS, skips: [0, 2] }],
    ['transcripts in one short page', { records: turns(2), pageSize: 5, path: TRANSCRIPTS, skips: [0] }],
    ['no transcripts at all', { records: [], pageSize: 5, path: TRANSCRIPTS, skips: [0] }],
  ] as const)('yields every record of %s and stops on the last page', async (_, { records, pageSize, path, skips }) => {
    const { client, bodies } = pagedServer([...records]);
    const body = { operator: 'jon@example.com', phoneNumber: '123-456-7890', order: 'DESC' } as const;
    const iterator: AsyncIterable<unknown> = paginate(client, path as OcelotListPath, { body, pageSize });
    const items = await collect(iterator);
    expect(items).toEqual(records);
    expect(bodies.map((b) => b.skip)).toEqual(skips);
    expect(bodies.every((b) => b.limit === pageSize && b.operator === 'jon@example.com' && b.order === 'DESC')).toBe(true);
  });

  it.each([
    [NUMBERS, { filter: { operator: 'jon@example.com', orderBy: 'label' } }],
    [TRANSCRIPTS, { filter: { operator: 'jon@example.com', phoneNumber: '1', orderBy: 'timestamp' } }],
  ] as const)('%s: POSTs the filter with skip and limit to its list operation', async (path, { filter }) => {
    const { client, bodies, paths } = pagedServer(phoneNumbers(1));
    const iterator: AsyncIterable<unknown> = paginate(client, path, { body: filter as never, pageSize: 10 });
    await collect(iterator);
    expect(paths).toEqual([path]);
    expect(bodies).toEqual([{ ...filter, skip: 0, limit: 10 }]);
  });

  it.each([
    ['skip', { given: { operator: 'jon@example.com', skip: 5 }, want: /must not set skip:/ }],
    ['limit', { given: { operator: 'jon@example.com', limit: 5 }, want: /must not set limit:/ }],
    ['no filter', { given: undefined, want: /init.body \(the filter object\) is required/ }],
  ])('rejects a filter with %s instead of silently overriding it', (_, { given, want }) => {
    const { client, bodies } = pagedServer(phoneNumbers(1));
    expect(() => paginate(client, NUMBERS, { body: given as never })).toThrow(MsgkitError);
    expect(() => paginate(client, NUMBERS, { body: given as never })).toThrow(want);
    expect(bodies).toEqual([]);
  });

  it.each([
    ['a 401 on the second page', { answer: () => new Response('nope', { status: 401 }), want: AuthenticationError }],
    ['a page without data', { answer: () => Response.json({ total: 9, skip: 2, limit: 2 }), want: InvalidResponseError }],
  ])('surfaces %s as a typed error after the first page', async (_, { answer, want }) => {
    const { client } = pagedServer(phoneNumbers(9), (call) => (call === 2 ? answer() : undefined));
    const seen: PhoneNumber[] = [];
    const run = async () => {
      for await (const item of paginate(client, NUMBERS, { body: { operator: 'jon@example.com' }, pageSize: 2 })) seen.push(item);
    };
    await expect(run()).rejects.toBeInstanceOf(want);
    expect(seen).toEqual(phoneNumbers(2));
  });

  it('types items and filters from the spec', () => {
    const { client } = pagedServer([]);
    expectTypeOf(paginate(client, NUMBERS, { body: { operator: 'a@b.c' } })).toEqualTypeOf<AsyncIterableIterator<PhoneNumber>>();
    expectTypeOf(paginate(client, TRANSCRIPTS, { body: { operator: 'a@b.c', phoneNumber: '1' } })).toEqualTypeOf<AsyncIterableIterator<Turn>>();
    expectTypeOf<(typeof OCELOT_LIST_PATHS)[number]>().toEqualTypeOf<OcelotListPath>();
    // @ts-expect-error `timestamp` orders transcripts, not phone numbers
    expect(() => paginate(client, NUMBERS, { body: { operator: 'a@b.c', orderBy: 'timestamp' } })).not.toThrow();
    // @ts-expect-error the iterator owns `skip`
    expect(() => paginate(client, NUMBERS, { body: { operator: 'a@b.c', skip: 1 } })).toThrow(MsgkitError);
    // @ts-expect-error only the list operations page
    expect(() => paginate(client, '/api/v1/texting/sms', { body: {} })).toThrow(MsgkitError);
  });
});
