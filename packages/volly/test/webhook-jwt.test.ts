import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CompactEncrypt, CompactSign, exportJWK, exportPKCS8, exportSPKI, generateKeyPair } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { MsgkitError } from '../src/index.js';
import { parseVollyWebhook, SignatureError, toNodeHandler, type VollyJwtKeys, WebhookError } from '../src/webhooks.js';

// Volly signs with its private key and encrypts with our public key; we decrypt and verify.
let ours: CryptoKeyPair;
let vollys: CryptoKeyPair;
let stranger: CryptoKeyPair;
let keys: VollyJwtKeys;
let vollysPem: string;

beforeAll(async () => {
  ours = await generateKeyPair('RSA-OAEP-256', { extractable: true });
  vollys = await generateKeyPair('RS256', { extractable: true });
  stranger = await generateKeyPair('RS256');
  keys = { decryptionKey: ours.privateKey, verificationKey: vollys.publicKey };
  vollysPem = await exportSPKI(vollys.publicKey);
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

  it.each([
    ['a string that is not a PEM', { jwt: () => ({ ...keys, decryptionKey: 'secret' }), message: /decryptionKey must be an RSA private key/ }],
    ['a public key to decrypt', { jwt: () => ({ ...keys, decryptionKey: ours.publicKey }), message: /got a public CryptoKey/ }],
    ['raw bytes as the verification key', { jwt: () => ({ ...keys, verificationKey: new TextEncoder().encode(vollysPem) }), message: /raw bytes/ }],
    ['a symmetric JWK as the verification key', { jwt: () => ({ ...keys, verificationKey: { kty: 'oct', k: 'c2VjcmV0' } }), message: /got a oct JWK/ }],
    ['an HMAC algorithm among signingAlgorithms', { jwt: () => ({ ...keys, signingAlgorithms: ['HS256'] }), message: /signingAlgorithms must list/ }],
  ])('reports unusable keys (%s) as a MsgkitError, a configuration error', async (_, { jwt, message }) => {
    const error = await parseVollyWebhook(await envelope(event), undefined, { jwt: jwt() as never }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MsgkitError);
    expect(error).not.toBeInstanceOf(SignatureError);
    expect(String(error)).toMatch(message);
  });

  it('accepts the keys as PEM strings: PKCS#8 to decrypt, SPKI to verify', async () => {
    const jwt = { decryptionKey: await exportPKCS8(ours.privateKey), verificationKey: vollysPem };
    expect(await parseVollyWebhook(await envelope(event), undefined, { jwt })).toEqual(event);
  });

  it("refuses an inner HS256 JWS keyed with the bytes of Volly's public PEM (the forged-event attack) with SignatureError", async () => {
    const forged = await new CompactSign(new TextEncoder().encode(JSON.stringify(event)))
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .sign(new TextEncoder().encode(vollysPem));
    const body = JSON.stringify({
      jwt: await new CompactEncrypt(new TextEncoder().encode(forged))
        .setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM', cty: 'JWT' })
        .encrypt(ours.publicKey),
    });
    for (const verificationKey of [vollysPem, vollys.publicKey]) {
      const error = await parseVollyWebhook(body, undefined, { jwt: { ...keys, verificationKey } }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SignatureError);
      expect(error).toMatchObject({ code: 'unsupported_scheme' });
    }
  });

  it('answers a forged envelope with 400 on a real 127.0.0.1 server, never 500', async () => {
    const server = createServer(
      toNodeHandler({ parse: (raw, headers) => parseVollyWebhook(raw, headers, { jwt: keys }), handler: () => {}, onError: () => {} }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/volly`;
      const forged = [
        JSON.stringify({ jwt: 'eyJhbGciOiJSU0EtT0FFUC0yNTYiLCJlbmMiOiJBMjU2R0NNIn0.AAAA.AAAA.AAAA.AAAA' }),
        JSON.stringify({ jwt: '....' }),
        tamper(await envelope(event), 0),
        await envelope(event, { signWith: stranger.privateKey }),
      ];
      const statuses = [];
      for (const body of forged) statuses.push((await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json' } })).status);
      expect(statuses).toEqual([400, 400, 400, 400]);
    } finally {
      server.close();
    }
  });
});
