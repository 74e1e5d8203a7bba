import { observedClient } from '@msgkit/testkit';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  type ApiError,
  AuthenticationError,
  BadRequestError,
  type components,
  createMessenteClient,
  MESSENTE_BASE_URL,
  type MessenteErrorBody,
  MsgkitError,
  NotFoundError,
  PermissionDeniedError,
} from '../src/index.js';

const credentials = { username: 'api-user', password: 'api-s3cret' };
const omnimessageId = 'd7248cda-6c1a-4436-acf5-aaf249bb67d3';
const sms = { to: '+37251234567', messages: [{ channel: 'sms' as const, text: 'Hello world!' }] };

const errorBody = (title: string, code: string): MessenteErrorBody => ({
  errors: [{ title: title as never, detail: 'detail', code: code as never, source: null }],
});

describe('createMessenteClient', () => {
  it('sends HTTP basic auth (base64 of username:password) to the production URL by default', async () => {
    const { client, requests } = observedClient(createMessenteClient, credentials, () =>
      Response.json({ messages: [], to: sms.to, omnimessage_id: omnimessageId }, { status: 201 }),
    );
    await client.POST('/v1/omnimessage', { body: sms });
    expect(requests[0]?.url).toBe(`${MESSENTE_BASE_URL}/v1/omnimessage`);
    expect(requests[0]?.method).toBe('POST');
    expect(requests[0]?.headers.authorization).toBe(`Basic ${Buffer.from('api-user:api-s3cret').toString('base64')}`);
    expect(requests[0]?.json).toEqual(sms);
  });

  it.each([
    ['get the delivery report', { call: 'GET', path: `/v1/omnimessage/${omnimessageId}/status` }],
    ['cancel a scheduled omnimessage', { call: 'DELETE', path: `/v1/omnimessage/${omnimessageId}` }],
  ] as const)('puts the omnimessage id into the path to %s, against a custom baseUrl', async (_, { call, path }) => {
    const { client, requests } = observedClient(createMessenteClient, { ...credentials, baseUrl: 'http://127.0.0.1:4012/' }, () => Response.json({}));
    const params = { params: { path: { omnimessageId } } };
    await (call === 'GET' ? client.GET('/v1/omnimessage/{omnimessageId}/status', params) : client.DELETE('/v1/omnimessage/{omnimessageId}', params));
    expect(requests[0]?.method).toBe(call);
    expect(requests[0]?.url).toBe(`http://127.0.0.1:4012${path}`);
  });

  it.each([
    ['no options', { given: undefined, want: /options|username/ }],
    ['a missing username', { given: { password: 'api-s3cret' }, want: /username/ }],
    ['an empty password', { given: { username: 'api-user', password: '' }, want: /password/ }],
    ['a relative baseUrl', { given: { ...credentials, baseUrl: 'api.messente.com' }, want: /baseUrl/ }],
    ['a misspelt option', { given: { ...credentials, maxRetires: 0 }, want: /unknown option "maxRetires" \(did you mean maxRetries\?\)/ }],
  ])('rejects %s with MsgkitError', (_, { given, want }) => {
    const run = () => createMessenteClient(given as never);
    expect(run).toThrow(MsgkitError);
    expect(run).toThrow(want);
  });

  it.each([
    ['400', { status: 400, body: errorBody('Invalid data', '105'), want: BadRequestError }],
    ['401', { status: 401, body: errorBody('Unauthorized', '103'), want: AuthenticationError }],
    ['403', { status: 403, body: errorBody('Forbidden', '102'), want: PermissionDeniedError }],
    ['404', { status: 404, body: errorBody('Not found', '101'), want: NotFoundError }],
  ])('turns a %s error envelope into its typed error, without the credentials', async (_, { status, body, want }) => {
    const { client } = observedClient(createMessenteClient, credentials, () => Response.json(body, { status }));
    const error = await client.GET('/v1/omnimessage/{omnimessageId}/status', { params: { path: { omnimessageId } } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(want);
    expect((error as ApiError<MessenteErrorBody>).body).toEqual(body);
    const everything = `${String(error)} ${JSON.stringify(error)}`;
    for (const secret of [credentials.password, Buffer.from('api-user:api-s3cret').toString('base64')]) expect(everything).not.toContain(secret);
  });

  it('types error bodies as the Messente error envelope', () => {
    expectTypeOf<MessenteErrorBody>().toEqualTypeOf<components['schemas']['ErrorResponse']>();
    expectTypeOf<ApiError<MessenteErrorBody>['body']['errors'][number]['code']>().toEqualTypeOf<'101' | '102' | '103' | '104' | '105' | '106' | '107'>();
    expectTypeOf<ApiError<MessenteErrorBody>['body']['errors'][number]['source']>().toEqualTypeOf<string | null>();
  });

  it('types the request body: the spec rules TypeScript can express are compile errors', async () => {
    const { client } = observedClient(createMessenteClient, credentials, () => Response.json({}, { status: 201 }));
    const send = (message: components['schemas']['OmnimessageMessage']) => client.POST('/v1/omnimessage', { body: { to: sms.to, messages: [message] } });
    await send({ channel: 'sms', text: 'hi', validity: 360 });
    await send({ channel: 'viber', image_url: 'https://example.com/a.png' });
    await send({ channel: 'viber', text: 'hi', button_text: 'Go', button_url: 'https://example.com', image_url: 'https://example.com/a.png' });
    // @ts-expect-error only one of ttl and validity
    await send({ channel: 'sms', text: 'hi', ttl: 60, validity: 1 });
    // @ts-expect-error a Viber image cannot come with text alone (the docs' combinations need both button fields)
    await send({ channel: 'viber', text: 'hi', image_url: 'https://example.com/a.png' });
    // @ts-expect-error a WhatsApp message needs a template
    await send({ channel: 'whatsapp', sender: '+37250000000' });
    // @ts-expect-error text_store is plaintext | sha256 | nostore
    await client.POST('/v1/omnimessage', { body: { ...sms, text_store: 'forever' } });
  });
});
