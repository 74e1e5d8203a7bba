import { type AmioErrorBody, AuthenticationError, createAmioClient, UnprocessableEntityError } from '@msgkit/amio';
import { paginate } from '@msgkit/amio/paginate';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { type ContractCases, contract } from '../setup/contract.js';
import { mockUrl, responseExample } from '../setup/specs.js';

const client = (options: { tokenIn?: 'header' | 'query'; fetch?: (request: Request) => Promise<Response> } = {}) =>
  createAmioClient({ accessToken: 'test-token', baseUrl: mockUrl('amio'), ...options });

const channel = { channel_id: '6456078759331238786' };
const contact = { channel_id: '6456078759331238786', contact_id: '6456078781510718339' };

const cases: ContractCases = {
  sendMessage: {
    status: 201,
    required: () =>
      client().POST('/v1/messages', {
        body: { channel: { id: '6456078759331238786' }, contact: { id: '6456078781510718339' }, content: { type: 'text', payload: 'Hello!' } },
      }),
    full: () =>
      client().POST('/v1/messages', {
        body: {
          channel: { id: '6456078759331238786' },
          contact: { phone_number: '+1 (555) 857-6309', first_name: 'Anthony', last_name: 'Hopkins' },
          content: {
            type: 'text',
            payload: 'Which beer?',
            quick_replies: [
              { type: 'text', title: 'Pilsner Urquell', payload: 'PILSNER', image_url: 'https://example.com/pilsner.png' },
              { type: 'location' },
              { type: 'email' },
              { type: 'phone_number' },
            ],
          },
          metadata: { platform_metadata: 'sent to Facebook as is', tag: 'shipping_update', any: 'arbitrary data' },
        },
      }),
  },
  listMessages: {
    status: 200,
    required: () => client().GET('/v1/channels/{channel_id}/contacts/{contact_id}/messages', { params: { path: contact } }),
    full: () => client().GET('/v1/channels/{channel_id}/contacts/{contact_id}/messages', { params: { path: contact, query: { max: 100, offset: 20 } } }),
  },
  sendNotification: {
    status: 200,
    required: () =>
      client().POST('/v1/notifications', { body: { channel: { id: '6456078759331238786' }, contact: { id: '6456078781510718339' }, type: 'typing_on' } }),
    full: () =>
      client().POST('/v1/notifications', {
        body: { channel: { id: '6456078759331248741' }, contact: { id: '6456078781510715474' }, type: 'custom', payload: { any: 'arbitrary data' } },
      }),
  },
  listChannels: {
    status: 200,
    required: () => client().GET('/v1/channels'),
    full: () => client().GET('/v1/channels', { params: { query: { max: 10, offset: 0 } } }),
  },
  createChannel: {
    status: 201,
    required: () => client().POST('/v1/channels', { body: { type: 'amio_chat' } }),
    full: () =>
      client().POST('/v1/channels', {
        body: {
          type: 'mobile',
          name: 'SMS',
          mode: 'test',
          webhook: { url: 'https://your-server.com/webhook', secret: 'thzWPzSPhNjfdKdfsLBEHFeLWW', ssl_verification: true },
          provider: { type: 'messagebird', sender_id: '15558576309', access_token: 'live_Hq2xMuHc8Vyw0ZCb7X5xLf3S', signing_key: '8cdd4b3c7ce5' },
        },
      }),
  },
  getChannel: {
    status: 200,
    required: () => client().GET('/v1/channels/{channel_id}', { params: { path: channel } }),
    full: () => client().GET('/v1/channels/{channel_id}', { params: { path: channel } }),
  },
  updateChannel: {
    status: 200,
    required: () => client().PATCH('/v1/channels/{channel_id}', { params: { path: channel }, body: { webhook: null } }),
    full: () =>
      client().PATCH('/v1/channels/{channel_id}', {
        params: { path: channel },
        body: { name: 'Our Facebook Page', mode: 'production', webhook: { url: 'https://your-server.com/webhook', secret: 's3cret', ssl_verification: false } },
      }),
  },
  deleteChannel: {
    status: 204,
    required: () => client().DELETE('/v1/channels/{channel_id}', { params: { path: channel } }),
    full: () => client().DELETE('/v1/channels/{channel_id}', { params: { path: channel } }),
  },
  listContacts: {
    status: 200,
    required: () => client().GET('/v1/channels/{channel_id}/contacts', { params: { path: channel } }),
    full: () => client().GET('/v1/channels/{channel_id}/contacts', { params: { path: channel, query: { max: 1, offset: 1 } } }),
  },
  getContact: {
    status: 200,
    required: () => client().GET('/v1/channels/{channel_id}/contacts/{contact_id}', { params: { path: contact } }),
    full: () => client().GET('/v1/channels/{channel_id}/contacts/{contact_id}', { params: { path: contact } }),
  },
  deleteContact: {
    status: 204,
    required: () => client().DELETE('/v1/channels/{channel_id}/contacts/{contact_id}', { params: { path: contact } }),
    full: () => client().DELETE('/v1/channels/{channel_id}/contacts/{contact_id}', { params: { path: contact } }),
  },
  getSettings: {
    status: 200,
    required: () => client().GET('/v1/channels/{channel_id}/settings', { params: { path: channel } }),
    full: () => client().GET('/v1/channels/{channel_id}/settings', { params: { path: channel } }),
  },
  updateSettings: {
    status: 200,
    required: () => client().PATCH('/v1/channels/{channel_id}/settings', { params: { path: channel }, body: { menu: null } }),
    full: () =>
      client().PATCH('/v1/channels/{channel_id}/settings', {
        params: { path: channel },
        body: {
          get_started_button: { payload: 'GET_STARTED' },
          menu: [{ locale: 'default', items: [{ type: 'postback', title: "Today's menu", payload: 'TODAYS_MENU' }] }],
          user_inputs: [{ locale: 'default', enabled: false }],
          domains_whitelist: ['https://app.amio.io'],
        },
      }),
  },
};

contract('amio', cases);

/** A fetch to the mock that records the URL of every request. */
function recording() {
  const urls: URL[] = [];
  const fetch = (request: Request) => {
    urls.push(new URL(request.url));
    return globalThis.fetch(request);
  };
  return { urls, fetch };
}

describe('amio paging against the mock', () => {
  it.each([
    ['listChannels', { given: ['/v1/channels', {}] as const }],
    ['listContacts', { given: ['/v1/channels/{channel_id}/contacts', { params: { path: channel } }] as const }],
    ['listMessages', { given: ['/v1/channels/{channel_id}/contacts/{contact_id}/messages', { params: { path: contact } }] as const }],
  ])('%s is walked to the end through x-total-count', async (operationId, { given }) => {
    const example = responseExample('amio', operationId, '200') as unknown[];
    const { urls, fetch } = recording();
    const [path, init] = given;
    const items: unknown[] = [];
    // One full page of the example's size: the walk stops because x-total-count is reached, not on a short page.
    for await (const item of paginate(client({ fetch }), path, { ...(init as object), pageSize: example.length } as never)) items.push(item);
    expect(items).toEqual(example);
    expect(urls.map((u) => [u.searchParams.get('max'), u.searchParams.get('offset')])).toEqual([[String(example.length), '0']]);
  });

  it('a page size above 100 is refused by the mock, so paginate caps it', async () => {
    const error = await client()
      .GET('/v1/channels', { params: { query: { max: 500 } } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnprocessableEntityError);
    const { urls, fetch } = recording();
    for await (const _ of paginate(client({ fetch }), '/v1/channels', { pageSize: 500 })) break;
    expect(urls[0]?.searchParams.get('max')).toBe('100');
  });
});

describe('amio mock rejects what the spec forbids', () => {
  it.each([
    ['a message without content', { channel: { id: '1' }, contact: { id: '2' } }],
    ['a content type outside the union', { channel: { id: '1' }, contact: { id: '2' }, content: { type: 'sticker', payload: 'x' } }],
    [
      'more than 11 quick replies',
      { channel: { id: '1' }, contact: { id: '2' }, content: { type: 'text', payload: 'x', quick_replies: Array(12).fill({ type: 'email' }) } },
    ],
    [
      'a quick-reply payload over 1000 characters',
      {
        channel: { id: '1' },
        contact: { id: '2' },
        content: { type: 'text', payload: 'x', quick_replies: [{ type: 'text', title: 'Yes', payload: 'x'.repeat(1001) }] },
      },
    ],
  ])('%s surfaces as UnprocessableEntityError with the typed errors[]', async (_, body) => {
    const error = await client()
      .POST('/v1/messages', { body: body as never })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnprocessableEntityError);
    const typed = error as UnprocessableEntityError<AmioErrorBody>;
    expect(typed.status).toBe(422);
    expect(typed.body).toEqual(responseExample('amio', 'sendMessage', '422'));
    // The mock names the real problem (not the docs' example "recipient"): field is the property it names, or null.
    expect(typed.body.errors[0]).toMatchObject({ rejected_value: null, message: expect.stringMatching(/^Request body/) });
    expectTypeOf(typed.body.errors[0]?.field).toEqualTypeOf<string | undefined>();
  });

  it("accepts metadata keys Facebook Messenger reserves, since the request names no platform (e.g. a Mobile message's type: order)", async () => {
    const body = { channel: { id: '1' }, contact: { phone_number: '+1 (555) 857-6309' }, content: { type: 'text' as const, payload: 'x' } };
    const { response } = await client().POST('/v1/messages', { body: { ...body, metadata: { type: 'order', tag: 'shipping_update' } } });
    expect(response.status).toBe(201);
  });

  it('a menu of more than 3 items is refused', async () => {
    const items = Array(4).fill({ type: 'postback', title: 'x', payload: 'X' });
    const error = await client()
      .PATCH('/v1/channels/{channel_id}/settings', { params: { path: channel }, body: { menu: [{ locale: 'default', items }] } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnprocessableEntityError);
  });

  it('accepts the token as the access_token query parameter', async () => {
    const { urls, fetch } = recording();
    const { data } = await client({ tokenIn: 'query', fetch }).GET('/v1/channels/{channel_id}', { params: { path: channel } });
    expect(urls[0]?.searchParams.get('access_token')).toBe('test-token');
    expect(data).toEqual(responseExample('amio', 'getChannel', '200'));
  });

  it('a request without credentials is refused with AuthenticationError and the typed body', async () => {
    const noAuth = client({
      fetch: (request) => {
        const headers = new Headers(request.headers);
        headers.delete('authorization');
        return fetch(new Request(request, { headers }));
      },
    });
    const error = await noAuth.GET('/v1/channels').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError<AmioErrorBody>).body).toEqual(responseExample('amio', 'listChannels', '401'));
    expect(String(error)).not.toContain('test-token');
  });
});
