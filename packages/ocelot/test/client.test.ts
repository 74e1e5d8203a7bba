import { observedClient } from '@msgkit/testkit';
import { describe, expect, it } from 'vitest';
import { AuthenticationError, BadRequestError, createOcelotClient, MsgkitError, type OcelotErrorBody } from '../src/index.js';

const credentials = { username: 'ocelot-user', password: 'ocelot-secret-pw' };
const baseUrl = 'https://ocelot.example.test';

describe('createOcelotClient', () => {
  it('sends HTTP basic credentials to the configured base URL', async () => {
    const { client, requests } = observedClient(createOcelotClient, { ...credentials, baseUrl: `${baseUrl}/` });
    await client.POST('/api/v1/texting/sms', {
      body: { from: '123-456-7890', operator: 'jon@example.com', messages: [{ to: '123-456-7890', message: 'hi' }] },
    });
    expect(requests[0]?.method).toBe('POST');
    expect(requests[0]?.url).toBe(`${baseUrl}/api/v1/texting/sms`);
    expect(requests[0]?.headers.authorization).toBe(`Basic ${btoa('ocelot-user:ocelot-secret-pw')}`);
    expect(requests[0]?.json).toEqual({ from: '123-456-7890', operator: 'jon@example.com', messages: [{ to: '123-456-7890', message: 'hi' }] });
  });

  it.each([
    ['a missing baseUrl', { given: { ...credentials }, want: /baseUrl is required.*Ocelot documents no base URL/ }],
    ['an empty baseUrl', { given: { ...credentials, baseUrl: ' ' }, want: /baseUrl is required/ }],
    ['a relative baseUrl', { given: { ...credentials, baseUrl: '/api' }, want: /baseUrl must be an absolute URL/ }],
    ['a missing username', { given: { password: 'pw', baseUrl }, want: /username is required/ }],
    ['an empty password', { given: { username: 'user', password: '', baseUrl }, want: /password is required/ }],
    ['no options at all', { given: undefined, want: /baseUrl is required/ }],
    ['a misspelt option', { given: { ...credentials, baseUrl, maxRetires: 0 }, want: /unknown option "maxRetires" \(did you mean maxRetries\?\)/ }],
  ])('rejects %s with a MsgkitError', (_, { given, want }) => {
    const create = () => createOcelotClient(given as never);
    expect(create).toThrow(MsgkitError);
    expect(create).toThrow(want);
  });

  it('types baseUrl, username and password as required', () => {
    // @ts-expect-error baseUrl is required: Ocelot documents none
    expect(() => createOcelotClient({ ...credentials })).toThrow(MsgkitError);
  });

  it.each([
    [
      'a 400 JSON answer as BadRequestError with the typed body',
      { given: () => Response.json({ message: 'Invalid request body' }, { status: 400 }), want: BadRequestError, body: { message: 'Invalid request body' } },
    ],
    [
      'a 401 answer echoing the password as AuthenticationError, scrubbed',
      { given: () => new Response(`bad credentials ${credentials.password}`, { status: 401 }), want: AuthenticationError, body: 'bad credentials [REDACTED]' },
    ],
  ])('surfaces %s', async (_, { given, want, body }) => {
    const { client } = observedClient(createOcelotClient, { ...credentials, baseUrl }, given);
    const error = await client.POST('/api/v1/texting/phone-numbers/search', { body: { operator: 'jon@example.com' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(want);
    expect((error as BadRequestError<OcelotErrorBody>).body).toEqual(body);
    expect(`${String(error)} ${JSON.stringify(error)}`).not.toContain(credentials.password);
  });
});
