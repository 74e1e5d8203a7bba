import { observedFetch } from '@msgkit/testkit';
import { describe, expect, it } from 'vitest';
import { createVollyClient, leadExternal, MsgkitError } from '../src/index.js';

describe('leadExternal', () => {
  it.each([
    ["the docs' example (numeric id)", { given: { source: 'source', id: 12 }, want: '{"source":"source","id":12}' }],
    ['a string id', { given: { source: 'crm', id: '00Q61000002hAmUEAU' }, want: '{"source":"crm","id":"00Q61000002hAmUEAU"}' }],
    ['keys in another order', { given: { id: '7', source: 'crm' }, want: '{"source":"crm","id":"7"}' }],
    ['characters that need escaping', { given: { source: 'a "b" & c', id: '1/2' }, want: '{"source":"a \\"b\\" & c","id":"1/2"}' }],
  ])('serialises %s as JSON', (_, { given, want }) => {
    expect(leadExternal(given)).toBe(want);
  });

  it.each([
    ['null', { given: null, message: /external must be an object/ }],
    ['a missing source', { given: { id: '1' }, message: /external\.source must be a non-empty string/ }],
    ['a missing id', { given: { source: 'crm' }, message: /external\.id must be a non-empty string or a finite number/ }],
    ['an object id', { given: { source: 'crm', id: { n: 1 } }, message: /external\.id/ }],
    ['NaN as id', { given: { source: 'crm', id: Number.NaN }, message: /external\.id/ }],
    ['an extra key', { given: { source: 'crm', id: '1', email: 'x@example.com' }, message: /only source and id, got also email/ }],
  ])('rejects %s', (_, { given, message }) => {
    const run = () => leadExternal(given as never);
    expect(run).toThrow(MsgkitError);
    expect(run).toThrow(message);
  });

  it("is sent percent-encoded exactly as the docs' example URL", async () => {
    const { fetch, requests } = observedFetch();
    const client = createVollyClient({ auth: { apiKey: 'k' }, fetch });
    await client.GET('/v1/leads', { params: { query: { external: leadExternal({ source: 'source', id: 12 }) } } });
    expect(requests.map((r) => r.url)).toEqual(['https://api.vollyma.com/v1/leads?external=%7B%22source%22%3A%22source%22%2C%22id%22%3A12%7D']);
  });
});
