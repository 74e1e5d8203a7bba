import { readFileSync } from 'node:fs';
import { CompactEncrypt, CompactSign, exportJWK, generateKeyPair } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { MsgkitError } from '../src/index.js';
import { parseVollyWebhook, SignatureError, type VollyJwtKeys, WebhookError } from '../src/webhooks.js';

// Volly signs with its private key and encrypts with our public key; we decrypt and verify.
let ours: CryptoKeyPair;
let vollys: CryptoKeyPair;
let stranger: CryptoKeyPair;
let keys: VollyJwtKeys;

beforeAll(async () => {
  ours = await generateKeyPair('RSA-OAEP-256');
  vollys = await generateKeyPair('RS256', { extractable: true });
  stranger = await generateKeyPair('RS256');
  keys = { decryptionKey: ours.privateKey, verificationKey: vollys.publicKey };
});

const event = { at: '2016-05-18T16:00:14.169Z', type: 'text.reply.twilio', from: '+12345678902', reply: 'This is an example reply.' };

/** What Volly sends in mTLS mode, built with jose directly: a JWS of the event inside a JWE. */
async function envelope(payload: unknown, options: { signWith?: CryptoKey; enc?: 'A256GCM' | 'A128GCM' } = {}) {
  const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
    .sign(options.signWith ?? vollys.privateKey);
  const jwe = await new CompactEncrypt(new TextEncoder().encode(jws))
    .setProtectedHeader({ alg: 'RSA-OAEP-256', enc: options.enc ?? 'A256GCM', cty: 'JWT' })
    .encrypt(ours.publicKey);
  return JSON.stringify({ jwt: jwe });
}

/** Flips one character of the JWE part at `index` (0 header … 4 tag). */
function tamper(body: string, index: number): string {
  const { jwt } = JSON.parse(body) as { jwt: string };
  const parts = jwt.split('.');
  const part = parts[index] ?? '';
  parts[index] = `${part.slice(0, 10)}${part[10] === 'A' ? 'B' : 'A'}${part.slice(11)}`;
  return JSON.stringify({ jwt: parts.join('.') });
}

describe('parseVollyWebhook with a JWT envelope (mTLS)', () => {
  it('decrypts, verifies and validates a round-tripped event', async () => {
    const parsed = await parseVollyWebhook(await envelope(event), { 'content-type': 'application/json' }, { jwt: keys });
    expect(parsed).toEqual(event);
  });

  it('accepts the verification key as a JWK', async () => {
    const jwk = await exportJWK(vollys.publicKey);
    expect(await parseVollyWebhook(await envelope(event), undefined, { jwt: { ...keys, verificationKey: { ...jwk, alg: 'RS256' } } })).toEqual(event);
  });

  it.each([
    ['a tampered ciphertext', { make: async () => tamper(await envelope(event), 3), code: 'signature_mismatch' }],
    ['a tampered authentication tag', { make: async () => tamper(await envelope(event), 4), code: 'signature_mismatch' }],
    ['a tampered encrypted key', { make: async () => tamper(await envelope(event), 1), code: 'signature_mismatch' }],
    ['a payload signed by someone else', { make: () => envelope(event, { signWith: stranger.privateKey }), code: 'signature_mismatch' }],
    ['content encryption other than A256GCM', { make: () => envelope(event, { enc: 'A128GCM' }), code: 'unsupported_scheme' }],
    ['a token that is not a JWE', { make: async () => JSON.stringify({ jwt: 'not-a-token' }), code: 'malformed_signature' }],
  ])('rejects %s with SignatureError', async (_, { make, code }) => {
    const error = await parseVollyWebhook(await make(), undefined, { jwt: keys }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SignatureError);
    expect(error).toMatchObject({ code });
    expect(String(error)).toMatch(/Volly JWT envelope/);
  });

  it('validates the decrypted event and names the failing field', async () => {
    const error = await parseVollyWebhook(await envelope({ ...event, from: 12345678902 }), undefined, { jwt: keys }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebhookError);
    expect(error).toMatchObject({ pointer: '/from', event: 'text.reply' });
  });

  it("explains that the docs' envelope needs keys when none are configured", async () => {
    const docs = readFileSync(new URL('../../../test/fixtures/volly/request.mtls_jwt_envelope.json', import.meta.url), 'utf8');
    const error = await parseVollyWebhook(docs).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebhookError);
    expect(error).toMatchObject({ pointer: '/jwt' });
    expect(String(error)).toMatch(/pass options\.jwt = \{ decryptionKey, verificationKey \}/);
  });

  it('refuses a plain event when keys are configured, so an unsigned event cannot slip in', async () => {
    const error = await parseVollyWebhook(JSON.stringify(event), undefined, { jwt: keys }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SignatureError);
    expect(error).toMatchObject({ code: 'missing_signature' });
    expect(String(error)).toMatch(/must arrive as a \{"jwt": \.\.\.\} envelope/);
  });

  it('reports unusable keys as a MsgkitError', async () => {
    const error = await parseVollyWebhook(await envelope(event), undefined, { jwt: { ...keys, decryptionKey: 'secret' as never } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MsgkitError);
    expect(String(error)).toMatch(/options\.jwt keys cannot open/);
  });
});
