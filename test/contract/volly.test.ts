import {
  type ApiError,
  AuthenticationError,
  type components,
  createVollyClient,
  leadExternal,
  NotFoundError,
  UnprocessableEntityError,
  type VollyAuth,
  type VollyClient,
} from '@msgkit/volly';
import { createVollyMtlsClient } from '@msgkit/volly/mtls';
import { afterEach, beforeAll, describe, expect, expectTypeOf, it, vi } from 'vitest';
import { type ContractCases, contract } from '../setup/contract.js';
import { mockUrl } from '../setup/specs.js';

type ErrorMessage = components['schemas']['ErrorMessage'];

const oauth = () => ({ clientId: '1nb13wvt12CG54ab40hf', clientSecret: 'test-secret', tokenUrl: `${mockUrl('volly')}/oauth/token` });
let mtlsKeys: { signingKey: CryptoKey; encryptionKey: CryptoKey };

beforeAll(async () => {
  const rsa = { modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
  const ours = await crypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', ...rsa }, false, ['sign', 'verify']);
  const vollys = await crypto.subtle.generateKey({ name: 'RSA-OAEP', ...rsa }, false, ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey']);
  mtlsKeys = { signingKey: ours.privateKey, encryptionKey: vollys.publicKey };
});

/** A client against the mock: mTLS mode has its own entry, `@msgkit/volly/mtls`. */
const clientWith = (auth: VollyAuth) =>
  'mtls' in auth && auth.mtls !== undefined
    ? createVollyMtlsClient({ auth, baseUrl: mockUrl('volly') })
    : createVollyClient({ auth, baseUrl: mockUrl('volly') });

/** The four ways to authenticate, each a client factory against the mock. */
const modes: [string, () => VollyAuth][] = [
  ['API key in the Authorization header', () => ({ apiKey: 'test-key' })],
  ['API key in the key query parameter on /send', () => ({ apiKey: 'test-key', in: 'query' })],
  ['OAuth client credentials', oauth],
  ['mTLS (OAuth plus JWT-wrapped bodies)', () => ({ ...oauth(), mtls: mtlsKeys })],
];

const lead = { status: 'New', attributes: { leadsource: 'Web' }, agent: 'jane.agent@email.com', recipient: { email: 'john.doe@email.com' } };
const fullLead = {
  status: 'New',
  attributes: { leadsource: 'Web', product: 'Purchase' },
  agent: 'jane.agent@email.com',
  recipient: {
    firstname: 'John',
    lastname: 'Doe',
    email: 'john.doe@email.com',
    email2: 'jane.doe@email.com',
    address: { line1: '12345 Easy St.', line2: 'address2', city: 'Nowhere', state: 'AK', zip: '12345' },
    phones: { home: '1234567890', mobile: '0987654321', work: '1234509876' },
    sms: { enabled: 'true', optin: 'true', optin_date: '2016', optout_date: '2016', phone: '0987654321' },
  },
  external: { source: 'source', id: '12345' },
};
const fullGroup = {
  name: 'Loan Officers',
  email: 'loanofficers@email.com',
  address: { address1: '12345 Easy St.', address2: 'address2', city: 'Nowhere', state: 'AK', zip: '12345' },
  active: true,
  phones: { main: '1234567890', cell: '0987654321', fax: '1234509876' },
  signature: '<p>This is the group signature.</p>',
};
const sender = { email: 'new.sender@email.com', firstname: 'New', lastname: 'Sender' };
const fullSender = {
  ...sender,
  aliases: ['NewSender'],
  active: true,
  group: 'Loan Officers',
  phones: { main: '1234567890', cell: '0987654321', fax: '1234509876' },
  override: false,
  signature: '<p>This is an individual sender override signature.</p>',
};
const integrationSend = { message: 'intro', agent: 'jane.agent@email.com', lead: { source: 'velocify', id: '29309023' } };
const groupId = { params: { path: { id: '6e36a10c1bff2a7b73647a29ff19d289' } } };
const senderId = { params: { path: { id: 'c156953beae6cf6bb91b38ae5602871b' } } };

function cases(client: () => VollyClient): ContractCases {
  const same = (call: () => ReturnType<ContractCases[string]['required']>) => ({ required: call, full: call });
  return {
    requestAccessToken: {
      status: 200,
      ...same(() => client().POST('/oauth/token', { body: { client_id: '1nb13wvt12CG54ab40hf', client_secret: 'test-secret' } })),
    },
    getLeadByExternal: {
      status: 200,
      required: () => client().GET('/v1/leads', { params: { query: { external: leadExternal({ source: 'source', id: 12 }) } } }),
      full: () => client().GET('/v1/leads', { params: { query: { external: leadExternal({ source: 'source', id: '00Q61000002hAmUEAU' }) } } }),
    },
    upsertLead: {
      status: 200,
      required: () => client().POST('/v1/leads', { body: { ...lead, external: { source: 'crm', id: '1' } } }),
      full: () => client().POST('/v1/leads', { body: fullLead }),
    },
    getLeadById: { status: 200, ...same(() => client().GET('/v1/leads/{id}', { params: { path: { id: '8461dbd128a303f5d26a968a761990bc' } } })) },
    getLeadByEmail: { status: 200, ...same(() => client().GET('/v1/leads/email/{email}', { params: { path: { email: 'test1@email.com' } } })) },
    listOptoutsSince: { status: 200, ...same(() => client().GET('/v1/optouts', { params: { query: { since: '2015-09-24T21:22:39.939Z' } } })) },
    addOptout: { status: 201, ...same(() => client().POST('/v1/optouts', { body: { email: 'im.an.optout@email.com' } })) },
    lookupOptout: { status: 200, ...same(() => client().GET('/v1/optouts/{email}', { params: { path: { email: 'test1@email.com' } } })) },
    addOptin: { status: 201, ...same(() => client().POST('/v1/optins', { body: { email: 'opt.me.back.in@email.com' } })) },
    listGroups: { status: 200, ...same(() => client().GET('/v1/groups')) },
    createGroup: {
      status: 200,
      required: () => client().POST('/v1/groups', { body: { name: 'Loan Officers' } }),
      full: () => client().POST('/v1/groups', { body: fullGroup }),
    },
    getGroup: { status: 200, ...same(() => client().GET('/v1/groups/{id}', groupId)) },
    updateGroup: {
      status: 200,
      required: () => client().PUT('/v1/groups/{id}', { ...groupId, body: { name: 'Loan Officers' } }),
      full: () => client().PUT('/v1/groups/{id}', { ...groupId, body: fullGroup }),
    },
    deleteGroup: { status: 200, ...same(() => client().DELETE('/v1/groups/{id}', groupId)) },
    listSenders: { status: 200, ...same(() => client().GET('/v1/senders')) },
    listActiveSenders: { status: 200, ...same(() => client().GET('/v1/senders/active')) },
    createSender: {
      status: 200,
      required: () => client().POST('/v1/senders', { body: sender }),
      full: () => client().POST('/v1/senders', { body: fullSender }),
    },
    getSender: { status: 200, ...same(() => client().GET('/v1/senders/{id}', senderId)) },
    updateSender: {
      status: 200,
      required: () => client().PUT('/v1/senders/{id}', { ...senderId, body: sender }),
      full: () => client().PUT('/v1/senders/{id}', { ...senderId, body: fullSender }),
    },
    deleteSender: { status: 200, ...same(() => client().DELETE('/v1/senders/{id}', senderId)) },
    sendDirectMessage: {
      status: 202,
      required: () => client().POST('/v1/send', { body: integrationSend }),
      full: () => client().POST('/v1/send', { body: { ...integrationSend, skip_ping: true } }),
    },
  };
}

for (const [mode, auth] of modes) {
  describe(mode, () => {
    contract(
      'volly',
      cases(() => clientWith(auth())),
    );

    it('sends an e-mail-only direct send', async () => {
      const client = clientWith(auth());
      const body = {
        message: 'intro',
        agent: 'jane.agent@email.com',
        'lead/recipient': { email: 'john.doe@gmail.com', email2: 'jane.doe@gmail.com', firstname: 'John', custom: { favoritecolor: 'Blue' } },
      };
      const { response } = await client.POST('/v1/send', { body });
      expect(response.status).toBe(202);
    });
  });
}

/** A fetch that forwards to the mock and logs each request as `METHOD /path`. */
function forwarding() {
  const log: string[] = [];
  const fetch = (request: Request) => {
    log.push(`${request.method} ${new URL(request.url).pathname}`);
    return globalThis.fetch(request);
  };
  return { log, fetch, tokens: () => log.filter((l) => l === 'POST /oauth/token').length };
}

describe('volly OAuth token handling against the mock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('50 concurrent calls cause exactly one token request', async () => {
    const { fetch, tokens, log } = forwarding();
    const client = createVollyClient({ auth: oauth(), baseUrl: mockUrl('volly'), fetch });
    const results = await Promise.all(Array.from({ length: 50 }, () => client.GET('/v1/groups')));
    expect(results.every((r) => r.response.status === 200)).toBe(true);
    expect(tokens()).toBe(1);
    expect(log.filter((l) => l === 'GET /v1/groups')).toHaveLength(50);
  });

  it('refreshes an expired token before the call', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { fetch, log } = forwarding();
    const client = createVollyClient({ auth: oauth(), baseUrl: mockUrl('volly'), fetch });
    const step = async (minutes: number) => {
      vi.setSystemTime(Date.now() + minutes * 60_000);
      log.length = 0;
      await client.GET('/v1/groups');
      return [...log];
    };
    expect(await step(0)).toEqual(['POST /oauth/token', 'GET /v1/groups']);
    expect(await step(9)).toEqual(['GET /v1/groups']);
    expect(await step(1)).toEqual(['POST /oauth/token', 'GET /v1/groups']);
  });
});

describe('volly mock rejects what the spec forbids', () => {
  const client = () => createVollyClient({ auth: { apiKey: 'test-key' }, baseUrl: mockUrl('volly') });

  it.each([
    [
      'a lead without attributes.leadsource',
      { call: () => client().POST('/v1/leads', { body: { ...lead, attributes: {}, external: { source: 's', id: '1' } } as never }), field: 'leadsource' },
    ],
    ['a lead without external', { call: () => client().POST('/v1/leads', { body: lead as never }), field: 'external' }],
    [
      'a sender without a last name',
      { call: () => client().POST('/v1/senders', { body: { email: 'a@example.com', firstname: 'A' } as never }), field: 'lastname' },
    ],
    [
      'a direct send that is neither form',
      { call: () => client().POST('/v1/send', { body: { message: 'intro', agent: 'a@example.com' } as never }), field: 'lead' },
    ],
    ['a since that is not a date-time', { call: () => client().GET('/v1/optouts', { params: { query: { since: 'yesterday' } } }), field: 'date-time' }],
    ['a lead lookup without external', { call: () => client().GET('/v1/leads', { params: { query: {} as never } }), field: 'external' }],
  ])('%s surfaces as UnprocessableEntityError naming the field', async (_, { call, field }) => {
    const error = await call().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnprocessableEntityError);
    expect((error as ApiError).status).toBe(422);
    expect(JSON.stringify((error as ApiError<{ validation: unknown[] }>).body.validation)).toContain(field);
  });

  it('a missing lead surfaces as NotFoundError with the JSON string "Not found"', async () => {
    const error = await client()
      .GET('/v1/leads/{id}', { params: { path: { id: 'missing' } }, headers: { Prefer: 'code=404' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    const body = (error as NotFoundError<ErrorMessage>).body;
    expectTypeOf(body).toEqualTypeOf<string>();
    expect(body).toBe('Not found');
  });

  it.each([
    ['no credentials at all', { auth: { apiKey: 'test-key' } as VollyAuth, strip: ['authorization'] }],
    ['POST /send in query mode without the key parameter', { auth: { apiKey: 'test-key', in: 'query' } as VollyAuth, strip: ['key'] }],
  ])('%s is refused with AuthenticationError, its typed body and no credentials in it', async (_, { auth, strip }) => {
    const noAuth = createVollyClient({
      auth,
      baseUrl: mockUrl('volly'),
      fetch: async (request) => {
        const headers = new Headers(request.headers);
        const url = new URL(request.url);
        for (const name of strip) {
          headers.delete(name);
          url.searchParams.delete(name);
        }
        return fetch(url, { method: request.method, headers, body: await request.text() });
      },
    });
    const error = await noAuth.POST('/v1/send', { body: integrationSend }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    // Volly's 401 body is a JSON string; the mock's says which credentials the documented schemes need.
    expect((error as AuthenticationError<ErrorMessage>).body).toMatch(/^Missing or wrong credentials: send Authorization: Key/);
    expect(JSON.stringify(error)).not.toMatch(/test-key|test-secret/);
  });
});
