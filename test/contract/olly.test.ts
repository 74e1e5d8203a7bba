import { ApiError, AuthenticationError, createOllyClient } from '@msgkit/olly';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { type ContractCases, contract } from '../setup/contract.js';
import { mockUrl } from '../setup/specs.js';

const client = () => createOllyClient({ apiKey: 'test-key', baseUrl: mockUrl('olly') });

const cases: ContractCases = {
  sendMessage: {
    status: 200,
    required: () => client().POST('/api/message', { body: { number: '+16208039306', provider_number: '+12020304444' } }),
    full: () =>
      client().POST('/api/message', {
        body: {
          number: '+16208039306',
          provider_number: '+12020304444',
          group_id: 'group-1',
          content: 'hello world',
          url: 'https://example.com/cat.jpg',
        },
      }),
  },
  startTyping: {
    status: 200,
    // The docs' own example sends only `number` (see the spec's ProviderTypingIndicator description).
    required: () => client().POST('/api/typing/start', { body: { number: '+16208039306' } }),
    full: () => client().POST('/api/typing/start', { body: { number: '+16208039306', provider_number: '+12020304444' } }),
  },
  updateWebhook: {
    status: 200,
    required: () => client().POST('/api/webhook', { body: { url: 'https://example.com/my-webhook' } }),
    full: () => client().POST('/api/webhook', { body: { url: 'https://example.com/my-webhook' } }),
  },
};

contract('olly', cases);

describe('olly mock rejects what the spec forbids', () => {
  it.each([
    ['missing number', { provider_number: '+12020304444', content: 'hi' }],
    ['number of the wrong type', { number: 16208039306, provider_number: '+12020304444' }],
  ])('%s surfaces as ApiError', async (_, body) => {
    const error = await client()
      .POST('/api/message', { body: body as never })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBeGreaterThanOrEqual(400);
    expect((error as ApiError).status).toBeLessThan(500);
  });

  it('a request without the Authorization header is refused with AuthenticationError', async () => {
    const noAuth = createOllyClient({
      apiKey: 'test-key',
      baseUrl: mockUrl('olly'),
      fetch: (request) => {
        const headers = new Headers(request.headers);
        headers.delete('authorization');
        return fetch(new Request(request, { headers }));
      },
    });
    const error = await noAuth.POST('/api/webhook', { body: { url: 'https://example.com/hook' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(String(error)).not.toContain('test-key');
  });

  it('types the response and rejects wrong bodies at compile time', async () => {
    const { data } = await client().POST('/api/message', { body: { number: '+1', provider_number: '+2', content: 'x' } });
    expectTypeOf(data).toEqualTypeOf<{ [key: string]: unknown }>();
    await client()
      // @ts-expect-error `number` is required
      .POST('/api/message', { body: { provider_number: '+2' } })
      .catch(() => undefined);
  });
});
