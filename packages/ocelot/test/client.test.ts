import { describe, expect, it } from 'vitest';
import { AuthenticationError, BadRequestError, createOcelotClient, MsgkitError, type OcelotErrorBody } from '../src/index.js';

const credentials = { username: 'ocelot-user', password: 'ocelot-secret-pw' };
const baseUrl = 'https://ocelot.example.test';

/** A fetch that records requests and answers each with `answer(request)`. */
function recorder(answer: (request: Request) => Response | Promise<Response> = () => Response.json({})) {
  const seen: Request[] = [];
  return {
    seen,
    fetch: async (request: Request) => {
      seen.push(request.clone());
      return answer(request);
    },
  };
}

describe('createOcelotClient', () => {
  it('sends HTTP basic credentials to the configured base URL', async () => {
    const { seen, fetch } = recorder();
    const client = createOcelotClient({ ...credentials, baseUrl: `${baseUrl}/`, fetch });
    await client.POST('/api/v1/texting/sms', {
      body: { from: '123-456-7890', operator: 'jon@example.com', messages: [{ to: '123-456-7890', message: 'hi' }] },
    });
    expect(seen[0]?.method).toBe('POST');
    expect(seen[0]?.url).toBe(`${baseUrl}/api/v1/texting/sms`);
    expect(seen[0]?.headers.get('authorization')).toBe(`Basic ${btoa('ocelot-user:ocelot-secret-pw')}`);
    expect(await seen[0]?.json()).toEqual({ from: '123-456-7890', operator: 'jon@example.com', messages: [{ to: '123-456-7890', message: 'hi' }] });
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
    const client = createOcelotClient({ ...credentials, baseUrl, fetch: recorder(given).fetch });
    const error = await client.POST('/api/v1/texting/phone-numbers/search', { body: { operator: 'jon@example.com' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(want);
    expect((error as BadRequestError<OcelotErrorBody>).body).toEqual(body);
    expect(`${String(error)} ${JSON.stringify(error)}`).not.toContain(credentials.password);
  });
});
