import { observedClient } from '@msgkit/testkit';
import { describe, expect, it } from 'vitest';
import { createOllyClient, MsgkitError, OLLY_BASE_URL } from '../src/index.js';

describe('createOllyClient', () => {
  it('sends the raw API key as `Authorization: Basic <key>` to the production URL by default', async () => {
    const { client, requests } = observedClient(createOllyClient, { apiKey: 'olly-key' });
    await client.POST('/api/typing/start', { body: { number: '+16208039306' } });
    expect(requests[0]?.url).toBe(`${OLLY_BASE_URL}/api/typing/start`);
    expect(requests[0]?.headers.authorization).toBe('Basic olly-key');
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
