import { describe, expect, it } from 'vitest';
import { createOllyClient, MsgkitError, OLLY_BASE_URL } from '../src/index.js';

describe('createOllyClient', () => {
  it('sends the raw API key as `Authorization: Basic <key>` to the production URL by default', async () => {
    const seen: Request[] = [];
    const client = createOllyClient({
      apiKey: 'olly-key',
      fetch: async (request) => {
        seen.push(request);
        return Response.json({});
      },
    });
    await client.POST('/api/typing/start', { body: { number: '+16208039306' } });
    expect(seen[0]?.url).toBe(`${OLLY_BASE_URL}/api/typing/start`);
    expect(seen[0]?.headers.get('authorization')).toBe('Basic olly-key');
  });

  it.each([
    ['a missing key', { given: {} }],
    ['an empty key', { given: { apiKey: '' } }],
  ])('rejects %s', (_, { given }) => {
    expect(() => createOllyClient(given as never)).toThrow(MsgkitError);
  });

  it('rejects a misspelt option, naming the right one', () => {
    expect(() => createOllyClient({ apiKey: 'k', maxRetires: 0 } as never)).toThrow('createOllyClient: unknown option "maxRetires" (did you mean maxRetries?)');
  });
});
