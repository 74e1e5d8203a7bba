import { AuthenticationError, BadRequestError, createOcelotClient, type OcelotErrorBody } from '@msgkit/ocelot';
import { paginate } from '@msgkit/ocelot/paginate';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { type ContractCases, contract } from '../setup/contract.js';
import { mockUrl, responseExample } from '../setup/specs.js';

const password = 'test-password';
const client = () => createOcelotClient({ username: 'test-user', password, baseUrl: mockUrl('ocelot') });

const sms = { to: '123-456-7890', message: 'Your appointment is confirmed.' };

const cases: ContractCases = {
  listPhoneNumbers: {
    status: 200,
    required: () => client().POST('/api/v1/texting/phone-numbers/search', { body: { operator: 'jon.smith@example.com' } }),
    full: () =>
      client().POST('/api/v1/texting/phone-numbers/search', {
        body: { operator: 'jon.smith@example.com', skip: 0, limit: 10, orderBy: 'chatbotId', order: 'ASC' },
      }),
  },
  listTranscripts: {
    status: 200,
    required: () => client().POST('/api/v1/texting/transcripts/search', { body: { operator: 'john.doe@example.com', phoneNumber: '123-456-7890' } }),
    full: () =>
      client().POST('/api/v1/texting/transcripts/search', {
        body: { operator: 'john.doe@example.com', phoneNumber: '123-456-7890', skip: 10, limit: 10, orderBy: 'timestamp', order: 'DESC' },
      }),
  },
  sendSms: {
    status: 200,
    required: () => client().POST('/api/v1/texting/sms', { body: { from: '123-456-7890', operator: 'jon.smith@example.com', messages: [sms] } }),
    full: () =>
      client().POST('/api/v1/texting/sms', {
        body: {
          from: '123-456-7890',
          operator: 'jon.smith@example.com',
          messages: [
            { ...sms, customerContactId: 'contact-1', customerMessageId: 'message-1' },
            { ...sms, to: '123-456-7891' },
          ],
          smsWebhookUri: 'https://example.com/ocelot/sms-status',
        },
      }),
  },
};

contract('ocelot', cases);

describe('ocelot mock rejects what the spec forbids', () => {
  const send = (messages: { to: string; message: string }[]) =>
    client().POST('/api/v1/texting/sms', { body: { from: '123-456-7890', operator: 'jon.smith@example.com', messages } });

  it.each([
    ['101 messages in one batch', { call: () => send(Array.from({ length: 101 }, () => sms)) }],
    ['a 2001-character SMS', { call: () => send([{ ...sms, message: 'x'.repeat(2001) }]) }],
    [
      'an orderBy outside the enum',
      { call: () => client().POST('/api/v1/texting/phone-numbers/search', { body: { operator: 'a@example.com', orderBy: 'timestamp' as never } }) },
    ],
    ['an operator that is not an email', { call: () => client().POST('/api/v1/texting/transcripts/search', { body: { operator: 'jon', phoneNumber: '1' } }) }],
    ['a missing phoneNumber', { call: () => client().POST('/api/v1/texting/transcripts/search', { body: { operator: 'a@example.com' } as never }) }],
  ])('%s surfaces as BadRequestError with the typed error body', async (_, { call }) => {
    const error = await call().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError<OcelotErrorBody>).body).toEqual(responseExample('ocelot', 'sendSms', '400'));
  });

  it('100 messages, each of 2000 characters, are accepted', async () => {
    const { response } = await send(Array.from({ length: 100 }, () => ({ ...sms, message: 'x'.repeat(2000) })));
    expect(response.status).toBe(200);
  });

  it('a request without credentials is refused with AuthenticationError', async () => {
    const noAuth = createOcelotClient({
      username: 'test-user',
      password,
      baseUrl: mockUrl('ocelot'),
      fetch: (request) => {
        const headers = new Headers(request.headers);
        headers.delete('authorization');
        return fetch(new Request(request, { headers }));
      },
    });
    const error = await noAuth.POST('/api/v1/texting/sms', { body: { from: '1', operator: 'a@example.com', messages: [sms] } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(`${String(error)} ${JSON.stringify(error)}`).not.toContain(password);
  });

  it('the iterators send pages the mock accepts', async () => {
    const phoneNumbers = paginate(client(), '/api/v1/texting/phone-numbers/search', {
      body: { operator: 'jon.smith@example.com', orderBy: 'label', order: 'DESC' },
      pageSize: 10,
    });
    const transcripts = paginate(client(), '/api/v1/texting/transcripts/search', {
      body: { operator: 'john.doe@example.com', phoneNumber: '123-456-7890', orderBy: 'from' },
      pageSize: 10,
    });
    const [number, turn] = await Promise.all([phoneNumbers.next(), transcripts.next()]);
    await Promise.all([phoneNumbers.return?.(), transcripts.return?.()]);
    expect(number.value).toEqual((responseExample('ocelot', 'listPhoneNumbers', '200') as { data: unknown[] }).data[0]);
    expect(turn.value).toEqual((responseExample('ocelot', 'listTranscripts', '200') as { data: unknown[] }).data[0]);
  });

  it('types responses and rejects wrong bodies at compile time', async () => {
    const { data } = await client().POST('/api/v1/texting/transcripts/search', { body: { operator: 'a@example.com', phoneNumber: '1' } });
    expectTypeOf(data?.data[0]?.senderType).toEqualTypeOf<string | undefined>();
    await client()
      // @ts-expect-error `messages` is required
      .POST('/api/v1/texting/sms', { body: { from: '1', operator: 'a@example.com' } })
      .catch(() => undefined);
  });
});
