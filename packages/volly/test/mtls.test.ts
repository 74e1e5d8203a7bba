import { observedFetch } from '@msgkit/testkit';
import { compactDecrypt, compactVerify, decodeProtectedHeader, generateKeyPair } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConnectionError, MsgkitError, type VollyClient } from '../src/index.js';
import { createVollyMtlsClient } from '../src/mtls.js';
import { vollyApi } from './api.js';

// Ours signs, Volly's encrypts: the client holds our private signing key and Volly's public encryption key.
let ours: CryptoKeyPair;
let vollys: CryptoKeyPair;

beforeAll(async () => {
  ours = await generateKeyPair('RS256');
  vollys = await generateKeyPair('RSA-OAEP-256');
});

/** An mTLS client whose fetch records each request with its body, answering tokens and `{ ok: true }`. */
function mtlsClient(signingKey?: CryptoKey) {
  const { fetch, requests } = observedFetch(vollyApi());
  const client: VollyClient = createVollyMtlsClient({
    auth: { clientId: 'cid', clientSecret: 'csecret', mtls: { signingKey: signingKey ?? ours.privateKey, encryptionKey: vollys.publicKey } },
    baseUrl: 'http://127.0.0.1:4014',
    fetch,
  });
  const seen = (path: string) => requests.filter((r) => new URL(r.url).pathname === path);
  return { client, seen };
}

/** What Volly does with an envelope: decrypt with its private key, verify with our public key. */
async function openAsVolly(body: string) {
  const { jwt } = JSON.parse(body) as { jwt: string };
  const jwe = await compactDecrypt(jwt, vollys.privateKey);
  const jws = await compactVerify(new TextDecoder().decode(jwe.plaintext), ours.publicKey);
  return { jweHeader: jwe.protectedHeader, jwsHeader: jws.protectedHeader, payload: JSON.parse(new TextDecoder().decode(jws.payload)) };
}

const optout = { email: 'im.an.optout@email.com' };

describe('mTLS mode', () => {
  it('sends the body signed, then encrypted with RSA-OAEP-256 / A256GCM, as {"jwt": ...}', async () => {
    const { client, seen } = mtlsClient();
    await client.POST('/v1/optouts', { body: optout });
    const [call] = seen('/v1/optouts');
    expect(call?.headers['content-type']).toBe('application/json');
    expect(Object.keys(JSON.parse(call?.body ?? '{}'))).toEqual(['jwt']);
    const opened = await openAsVolly(call?.body ?? '');
    expect(opened.payload).toEqual(optout);
    expect(opened.jweHeader).toEqual({ alg: 'RSA-OAEP-256', enc: 'A256GCM', cty: 'JWT' });
    expect(opened.jwsHeader).toEqual({ alg: 'RS256', typ: 'JWT' });
  });

  it('encrypts each body afresh', async () => {
    const { client, seen } = mtlsClient();
    await client.POST('/v1/optouts', { body: optout });
    await client.POST('/v1/optouts', { body: optout });
    const [first, second] = seen('/v1/optouts').map((s) => s.body);
    expect(first).not.toBe(second);
  });

  it.each([
    ['a GET has no body to wrap', { call: (c: VollyClient) => c.GET('/v1/groups'), path: '/v1/groups', want: '' }],
    ['the token request stays plain JSON', { call: (c: VollyClient) => c.GET('/v1/groups'), path: '/oauth/token', want: 'client_secret' }],
  ])('%s', async (_, { call, path, want }) => {
    const { client, seen } = mtlsClient();
    await call(client);
    const body = seen(path)[0]?.body ?? 'missing';
    if (want === '') expect(body).toBe('');
    else expect(JSON.parse(body)).toHaveProperty(want);
  });

  it('keeps the bearer token and client_id header on wrapped requests', async () => {
    const { fetch, requests } = observedFetch(vollyApi(() => new Response(null, { status: 202 })));
    const client = createVollyMtlsClient({
      auth: { clientId: 'cid', clientSecret: 'csecret', mtls: { signingKey: ours.privateKey, encryptionKey: vollys.publicKey } },
      fetch,
    });
    await client.POST('/v1/send', { body: { message: 'intro', agent: 'a@example.com', lead: { source: 'crm', id: '1' } } });
    expect(requests[1]?.headers.authorization).toBe('Bearer token-1');
    expect(requests[1]?.headers.client_id).toBe('cid');
  });

  it('refuses a body that is already an envelope instead of wrapping it twice', async () => {
    const { client, seen } = mtlsClient();
    const error = await client.POST('/v1/optouts', { body: { jwt: 'eyJ...' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MsgkitError);
    expect(String(error)).toMatch(/pass the plain request body/);
    expect(seen('/v1/optouts')).toEqual([]);
  });

  it('reports a key that cannot sign as a MsgkitError, not a ConnectionError', async () => {
    const { client } = mtlsClient(ours.publicKey);
    const error = await client.POST('/v1/optouts', { body: optout }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MsgkitError);
    expect(error).not.toBeInstanceOf(ConnectionError);
    expect(String(error)).toMatch(/Could not sign and encrypt/);
  });

  it('writes a compact JWE whose header names the documented algorithms', async () => {
    const { client, seen } = mtlsClient();
    await client.PUT('/v1/groups/{id}', { params: { path: { id: 'g1' } }, body: { name: 'Loan Officers' } });
    const { jwt } = (seen('/v1/groups/g1')[0]?.json ?? {}) as { jwt: string };
    expect(jwt.split('.')).toHaveLength(5);
    expect(decodeProtectedHeader(jwt)).toMatchObject({ alg: 'RSA-OAEP-256', enc: 'A256GCM' });
  });

  it.each([
    ['no keys', { given: {}, message: /auth\.mtls\.signingKey is required/ }],
    ['no encryption key', { given: { signingKey: {} }, message: /auth\.mtls\.encryptionKey is required/ }],
  ])('rejects mTLS options with %s with a MsgkitError', (_, { given, message }) => {
    const run = () => createVollyMtlsClient({ auth: { clientId: 'c', clientSecret: 's', mtls: given as never } });
    expect(run).toThrow(MsgkitError);
    expect(run).toThrow(message);
  });
});
