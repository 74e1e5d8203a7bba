import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError, AuthenticationError, BadRequestError, type components, createMessenteClient, type MessenteErrorBody } from '@msgkit/messente';
import { parseMessenteCallback } from '@msgkit/messente/webhooks';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { type ContractCases, contract } from '../setup/contract.js';
import { mockUrl, responseExample } from '../setup/specs.js';

const client = () => createMessenteClient({ username: 'test-user', password: 'test-password', baseUrl: mockUrl('messente') });
const to = '+37251234567';
const omnimessageId = 'd7248cda-6c1a-4436-acf5-aaf249bb67d3';
const path = { omnimessageId };

// Prism POSTs the `deliveryReport` callback to `dlr_url`: point it at a local listener, never the internet.
const received: { method?: string; url?: string; headers: IncomingHttpHeaders; body: Buffer }[] = [];
const waiting: (() => void)[] = [];
const listener = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    received.push({ method: request.method, url: request.url, headers: request.headers, body: Buffer.concat(chunks) });
    for (const wake of waiting.splice(0)) wake();
    response.writeHead(204).end();
  });
});
let dlrUrl = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  dlrUrl = `http://127.0.0.1:${(listener.address() as AddressInfo).port}/messente/dlr`;
});
afterAll(() => new Promise<void>((resolve) => listener.close(() => resolve())));
const nextCallback = () => (received.length > 0 ? Promise.resolve() : new Promise<void>((resolve) => waiting.push(resolve)));

const cases: ContractCases = {
  sendOmnimessage: {
    status: 201,
    required: () => client().POST('/v1/omnimessage', { body: { to, messages: [{ channel: 'sms', text: 'Hello world!' }] } }),
    full: () =>
      client().POST('/v1/omnimessage', {
        body: {
          to,
          messages: [
            {
              channel: 'viber',
              sender: 'MySender',
              ttl: 21600,
              video: { url: 'https://example.com/v.mp4', thumbnail: 'https://example.com/v.jpg', file_size: 10485760, duration: 120 },
              text: 'Hello world!',
              button_text: 'Open',
              button_url: 'https://example.com/offer',
            },
            {
              channel: 'whatsapp',
              sender: '+37250000000',
              validity: 360,
              template: {
                name: 'order_update',
                language: { code: 'en', policy: 'deterministic' },
                components: [
                  {
                    type: 'header',
                    parameters: [{ type: 'document', document: { link: 'https://example.com/a.pdf', filename: 'a.pdf', caption: 'Invoice' } }],
                  },
                  { type: 'body', parameters: [{ type: 'video', video: { id: 'media-1' } }] },
                  { type: 'button', sub_type: 'url', index: 0, parameters: [{ type: 'text', text: 'order-42' }] },
                ],
              },
            },
            { channel: 'sms', sender: 'MySender', text: 'Hello world!', validity: 360, autoconvert: 'full', udh: '050003CC0201' },
          ],
          dlr_url: dlrUrl,
          text_store: 'nostore',
          time_to_send: '2018-06-22T09:05',
          priority: 'high',
        },
      }),
  },
  getDeliveryReport: {
    status: 200,
    required: () => client().GET('/v1/omnimessage/{omnimessageId}/status', { params: { path } }),
    full: () => client().GET('/v1/omnimessage/{omnimessageId}/status', { params: { path } }),
  },
  cancelScheduledOmnimessage: {
    status: 202,
    required: () => client().DELETE('/v1/omnimessage/{omnimessageId}', { params: { path } }),
    full: () => client().DELETE('/v1/omnimessage/{omnimessageId}', { params: { path } }),
  },
};

contract('messente', cases);

type Message = components['schemas']['OmnimessageMessage'];
const video = { url: 'https://example.com/v.mp4', thumbnail: 'https://example.com/v.jpg', file_size: 1024, duration: 60 };

describe('messente mock rejects what the spec forbids', () => {
  // Each rule: a body the mock accepts, and the same body broken by that one rule.
  it.each([
    [
      'both ttl and validity',
      { valid: { messages: [{ channel: 'sms', text: 'hi', ttl: 60 }] }, invalid: { messages: [{ channel: 'sms', text: 'hi', ttl: 60, validity: 1 }] } },
    ],
    [
      'a Viber image with text but no button',
      {
        valid: { messages: [{ channel: 'viber', text: 'hi', image_url: 'https://example.com/a.png', button_text: 'Go', button_url: 'https://example.com' }] },
        invalid: { messages: [{ channel: 'viber', text: 'hi', image_url: 'https://example.com/a.png' }] },
      },
    ],
    [
      'a Viber button without its text',
      {
        valid: { messages: [{ channel: 'viber', text: 'hi', button_text: 'Go', button_url: 'https://example.com' }] },
        invalid: { messages: [{ channel: 'viber', button_text: 'Go', button_url: 'https://example.com' }] },
      },
    ],
    [
      'a Viber video with an image',
      { valid: { messages: [{ channel: 'viber', video }] }, invalid: { messages: [{ channel: 'viber', video, image_url: 'https://example.com/a.png' }] } },
    ],
    [
      'a Viber video longer than 600 s',
      {
        valid: { messages: [{ channel: 'viber', video: { ...video, duration: 600 } }] },
        invalid: { messages: [{ channel: 'viber', video: { ...video, duration: 601 } }] },
      },
    ],
    [
      'a WhatsApp message without template',
      {
        valid: { messages: [{ channel: 'whatsapp', template: { name: 'hello', language: { code: 'en' } } }] },
        invalid: { messages: [{ channel: 'whatsapp' }] },
      },
    ],
    ['an unknown channel', { valid: { messages: [{ channel: 'sms', text: 'hi' }] }, invalid: { messages: [{ channel: 'telegram', text: 'hi' }] } }],
    ['no messages', { valid: { messages: [{ channel: 'sms', text: 'hi' }] }, invalid: { messages: [] } }],
    [
      'an invalid text_store',
      {
        valid: { messages: [{ channel: 'sms', text: 'hi' }], text_store: 'sha256' },
        invalid: { messages: [{ channel: 'sms', text: 'hi' }], text_store: 'forever' },
      },
    ],
    ['a recipient that is not E.164', { valid: { to: '+3725123456' }, invalid: { to: '5123 4567' } }],
  ])('%s surfaces as BadRequestError with the typed error envelope', async (_, { valid, invalid }) => {
    const send = (body: object) => client().POST('/v1/omnimessage', { body: { to, messages: [{ channel: 'sms', text: 'hi' }], ...body } as never });
    expect((await send(valid)).response.status).toBe(201);
    const error = await send(invalid).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    const body = (error as BadRequestError<MessenteErrorBody>).body;
    expect(body).toEqual(responseExample('messente', 'sendOmnimessage', '400'));
    expect(body.errors[0]?.code).toBe('105');
  });

  it('a request without credentials is refused with AuthenticationError, code 103', async () => {
    const noAuth = createMessenteClient({
      username: 'test-user',
      password: 'test-password',
      baseUrl: mockUrl('messente'),
      fetch: (request) => {
        const headers = new Headers(request.headers);
        headers.delete('authorization');
        return fetch(new Request(request, { headers }));
      },
    });
    const error = await noAuth.GET('/v1/omnimessage/{omnimessageId}/status', { params: { path } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError<MessenteErrorBody>).body.errors[0]?.code).toBe('103');
    expect(String(error)).not.toContain('test-password');
  });

  it('a malformed omnimessage id is refused', async () => {
    const error = await client()
      .DELETE('/v1/omnimessage/{omnimessageId}', { params: { path: { omnimessageId: 'not-a-uuid' } } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(422);
  });

  it('types responses and error bodies from the spec', async () => {
    const { data } = await client().POST('/v1/omnimessage', { body: { to, messages: [{ channel: 'sms', text: 'hi' }] } });
    expectTypeOf(data).toEqualTypeOf<components['schemas']['OmniMessageCreateSuccessResponse']>();
    expectTypeOf<BadRequestError<MessenteErrorBody>['body']['errors'][number]['title']>().toEqualTypeOf<
      'Not found' | 'Forbidden' | 'Unauthorized' | 'Invalid data' | 'Internal Server Error' | 'Missing data' | 'Method not allowed'
    >();
    const both: Message[] = [
      // @ts-expect-error only one of ttl and validity
      { channel: 'sms', text: 'hi', ttl: 60, validity: 1 },
    ];
    expect(both).toHaveLength(1);
  });
});

describe('messente delivery report callback', () => {
  it('Prism POSTs the deliveryReport callback to dlr_url, and it parses into a typed report', async () => {
    received.length = 0;
    await cases.sendOmnimessage?.full();
    await nextCallback();
    const [first] = received;
    expect([first?.method, first?.url]).toEqual(['POST', '/messente/dlr']);
    const report = await parseMessenteCallback(first?.body ?? '', first?.headers);
    expect(report.omnimessage_id).toBe(omnimessageId);
    expect(report.status).toBe('DELIVRD');
  });
});
