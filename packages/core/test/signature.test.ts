import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MsgkitError } from '../src/index.js';
import { type HmacAlgorithm, SignatureError, signHmac, type VerifyHmacOptions, verifyHmac, WebhookError } from '../src/webhooks/index.js';

/** Amio's X-Hub-Signature test vector (Amio docs, "Verify your algorithm with following values"). */
const AMIO = {
  secret: 'WebhookSecret',
  body: '{"event":"messages_delivered","timestamp":"2018-03-01T11:54:14.886Z","data":{"channel":{"id":"viber_service_messages_test","type":"viber"},"contact":{"phone_number":"+420606123456"},"messages":[{"id":"151990525359991"}]}}',
  header: 'sha1=cb041d03489e961730cb6c7a6d1edf58ae88ef13',
};
const amio = { secret: AMIO.secret, algorithm: 'SHA-1', prefix: 'sha1=', encoding: 'hex' } as const;

/** Resolves to the rejection of `promise`, or undefined when it resolves. */
const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('verifyHmac', () => {
  it.each([
    ['the string body', { rawBody: AMIO.body as string | Uint8Array | ArrayBuffer, signature: AMIO.header }],
    ['the body as bytes', { rawBody: new TextEncoder().encode(AMIO.body), signature: AMIO.header }],
    ['the body as an ArrayBuffer', { rawBody: new TextEncoder().encode(AMIO.body).buffer as ArrayBuffer, signature: AMIO.header }],
    ['an uppercase digest', { rawBody: AMIO.body, signature: `sha1=${AMIO.header.slice(5).toUpperCase()}` }],
    ['surrounding whitespace', { rawBody: AMIO.body, signature: ` ${AMIO.header} ` }],
  ])('verifies the Amio X-Hub-Signature test vector with %s', async (_, given) => {
    await expect(verifyHmac({ ...amio, ...given })).resolves.toBeUndefined();
  });

  it.each([
    ['the new secret first', { secret: [AMIO.secret, 'OldSecret'] }],
    ['the old secret first', { secret: ['NewSecret', AMIO.secret] }],
  ])('accepts a signature made with any secret of a rotation, %s', async (_, { secret }) => {
    await expect(verifyHmac({ ...amio, secret, rawBody: AMIO.body, signature: AMIO.header })).resolves.toBeUndefined();
  });

  it('rejects a signature made with none of the rotation secrets', async () => {
    const error = await rejection(verifyHmac({ ...amio, secret: ['NewSecret', 'OldSecret'], rawBody: AMIO.body, signature: AMIO.header }));
    expect(error).toMatchObject({ name: 'SignatureError', code: 'signature_mismatch' });
  });

  it('signHmac reproduces the Amio test vector', async () => {
    expect(await signHmac({ ...amio, rawBody: AMIO.body })).toBe(AMIO.header);
  });

  it.each([
    ['no signature', { given: { signature: undefined }, code: 'missing_signature' }],
    ['a null signature', { given: { signature: null }, code: 'missing_signature' }],
    ['an empty signature', { given: { signature: '  ' }, code: 'missing_signature' }],
    ['a signature that is not a string', { given: { signature: ['sha1=00'] as never }, code: 'malformed_signature' }],
    ['a bare digest without the sha1= prefix', { given: { signature: AMIO.header.slice(5) }, code: 'malformed_signature' }],
    ['a digest that is not hex', { given: { signature: `sha1=${'z'.repeat(40)}` }, code: 'malformed_signature' }],
    ['a truncated digest', { given: { signature: AMIO.header.slice(0, -2) }, code: 'malformed_signature' }],
    ['a SHA-256-sized digest', { given: { signature: `sha1=${'a'.repeat(64)}` }, code: 'malformed_signature' }],
    ['sha256= where sha1= is required', { given: { signature: `sha256=${'a'.repeat(64)}` }, code: 'unsupported_scheme' }],
    ['a Standard Webhooks v1, signature', { given: { signature: 'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=' }, code: 'unsupported_scheme' }],
    ['the wrong secret', { given: { secret: 'OtherSecret' }, code: 'signature_mismatch' }],
    ['a changed body', { given: { rawBody: AMIO.body.replace('+420', '+421') }, code: 'signature_mismatch' }],
    ['another digest', { given: { signature: `sha1=${'0'.repeat(40)}` }, code: 'signature_mismatch' }],
  ] satisfies [string, { given: Partial<VerifyHmacOptions>; code: string }][])('rejects %s with SignatureError %s', async (_, { given, code }) => {
    const error = await rejection(verifyHmac({ ...amio, rawBody: AMIO.body, signature: AMIO.header, ...given }));
    expect(error).toBeInstanceOf(SignatureError);
    expect(error).toMatchObject({ code });
  });

  it.each([
    ['hex', { encoding: 'hex' as const, prefix: undefined }],
    ['base64', { encoding: 'base64' as const, prefix: undefined }],
    ['hex with a v1= prefix', { encoding: 'hex' as const, prefix: 'v1=' }],
  ])('round-trips SHA-256 and SHA-512 signatures in %s', async (_, { encoding, prefix }) => {
    for (const algorithm of ['SHA-256', 'SHA-512'] as const) {
      const options = { rawBody: '{"id":1}', secret: 'k', algorithm, encoding, prefix };
      const signature = await signHmac(options);
      expect(signature.startsWith(prefix ?? '')).toBe(true);
      await expect(verifyHmac({ ...options, signature })).resolves.toBeUndefined();
      await expect(verifyHmac({ ...options, rawBody: '{"id":2}', signature })).rejects.toMatchObject({ code: 'signature_mismatch' });
    }
  });

  it.each([
    ['hex', { given: 'hex' as const }],
    ['base64', { given: 'base64' as const }],
  ])('hex-or-base64 accepts a %s signature', async (_, { given }) => {
    const options = { rawBody: 'body', secret: 's3cret', algorithm: 'SHA-256' } as const;
    const signature = await signHmac({ ...options, encoding: given });
    await expect(verifyHmac({ ...options, encoding: 'hex-or-base64', signature })).resolves.toBeUndefined();
  });

  it('accepts URL-safe base64 without padding', async () => {
    const options = { rawBody: 'body?', secret: 's3cret', algorithm: 'SHA-256', encoding: 'base64' } as const;
    const standard = await signHmac(options);
    const urlSafe = standard.replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
    await expect(verifyHmac({ ...options, signature: urlSafe })).resolves.toBeUndefined();
  });

  it('rejects a parsed body with WebhookError, not a silent mismatch', async () => {
    const error = await rejection(verifyHmac({ ...amio, rawBody: JSON.parse(AMIO.body), signature: AMIO.header }));
    expect(error).toBeInstanceOf(WebhookError);
    expect(error).toMatchObject({ code: 'parsed_body' });
  });

  it.each([
    ['an empty secret', { given: { secret: '' } }],
    ['a missing secret', { given: { secret: undefined as never } }],
    ['a whitespace-only secret', { given: { secret: ' \t\n' } }],
    ['an empty list of secrets', { given: { secret: [] } }],
    ['a list with a blank secret', { given: { secret: [AMIO.secret, '  '] } }],
    ['a NaN maxBodyBytes', { given: { maxBodyBytes: Number.NaN } }],
    ['an unknown algorithm', { given: { algorithm: 'MD5' as never } }],
    ['an unknown encoding', { given: { encoding: 'base32' as never } }],
    ['a negative tolerance', { given: { timestamp: 1, toleranceSeconds: -1 } }],
  ])('rejects the configuration error %s with MsgkitError', async (_, { given }) => {
    const error = await rejection(verifyHmac({ ...amio, rawBody: AMIO.body, signature: AMIO.header, ...given }));
    expect(error).toBeInstanceOf(MsgkitError);
    expect(error).not.toBeInstanceOf(SignatureError);
  });

  it('never puts the secret into its messages', async () => {
    const secret = 'very-secret-webhook-key';
    const error = await rejection(verifyHmac({ rawBody: secret, secret, algorithm: 'SHA-256', signature: `sha256=${secret}` }));
    expect(error).toBeInstanceOf(SignatureError);
    expect(`${String(error)} ${JSON.stringify(error)} ${(error as Error).stack}`).not.toContain(secret);
  });
});

describe('verifyHmac timestamp tolerance', () => {
  const now = () => 1_700_000_000_000;
  const base = { rawBody: 'payload', secret: 'whsec', algorithm: 'SHA-256', now } as const;

  it.each([
    [
      'epoch seconds as a string',
      { timestamp: '1700000000' as string | number | null | undefined, toleranceSeconds: undefined as number | undefined, code: null },
    ],
    ['epoch seconds as a number, 299 s old', { timestamp: 1_699_999_701, toleranceSeconds: undefined, code: null }],
    ['an ISO 8601 date 10 s in the future', { timestamp: '2023-11-14T22:13:30Z', toleranceSeconds: undefined, code: null }],
    ['a timestamp 301 s old', { timestamp: 1_699_999_699, toleranceSeconds: undefined, code: 'timestamp_out_of_tolerance' }],
    ['a timestamp 61 s in the future with a 60 s tolerance', { timestamp: 1_700_000_061, toleranceSeconds: 60, code: 'timestamp_out_of_tolerance' }],
    ['a missing timestamp header', { timestamp: undefined, toleranceSeconds: undefined, code: 'malformed_timestamp' }],
    ['a null timestamp', { timestamp: null, toleranceSeconds: undefined, code: 'malformed_timestamp' }],
    ['a timestamp that is not a time', { timestamp: 'yesterday', toleranceSeconds: undefined, code: 'malformed_timestamp' }],
  ])('%s', async (_, { timestamp, toleranceSeconds, code }) => {
    const signature = await signHmac(base);
    const result = rejection(verifyHmac({ ...base, signature, timestamp, toleranceSeconds }));
    if (code === null) expect(await result).toBeUndefined();
    else expect(await result).toMatchObject({ name: 'SignatureError', code });
  });

  it('checks the timestamp when only toleranceSeconds is given', async () => {
    const signature = await signHmac(base);
    await expect(verifyHmac({ ...base, signature, toleranceSeconds: 10 })).rejects.toMatchObject({ code: 'malformed_timestamp' });
  });

  it('ignores time when neither timestamp nor toleranceSeconds is given', async () => {
    const signature = await signHmac(base);
    await expect(verifyHmac({ ...base, signature })).resolves.toBeUndefined();
  });
});

describe('verifyHmac body size', () => {
  it.each([
    ['the default 1 MiB limit', { size: 1024 * 1024 + 1, maxBodyBytes: undefined }],
    ['a smaller maxBodyBytes', { size: 101, maxBodyBytes: 100 }],
  ])('rejects a body over %s before hashing it', async (_, { size, maxBodyBytes }) => {
    const rawBody = 'x'.repeat(size);
    const signature = await signHmac({ rawBody, secret: 'secret', algorithm: 'SHA-256' });
    await expect(verifyHmac({ rawBody, signature, secret: 'secret', algorithm: 'SHA-256', maxBodyBytes })).rejects.toMatchObject({
      name: 'WebhookError',
      code: 'body_too_large',
    });
  });
});

describe('HMAC in process (node:crypto) and by WebCrypto', () => {
  /** The reference: WebCrypto's HMAC of `body` under `secret` (a string is its UTF-8 bytes), as hex. */
  async function webCryptoHmac(secret: string | Uint8Array, algorithm: HmacAlgorithm, body: Uint8Array): Promise<string> {
    const material = typeof secret === 'string' ? new TextEncoder().encode(secret) : Uint8Array.from(secret);
    const key = await crypto.subtle.importKey('raw', material, { name: 'HMAC', hash: algorithm }, false, ['sign']);
    const digest = new Uint8Array(await crypto.subtle.sign('HMAC', key, Uint8Array.from(body)));
    return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
  }

  it.each([
    ['a small body (in process on Node)', { size: 100 }],
    ['a body of exactly 64 KiB, the largest hashed in process', { size: 64 * 1024 }],
    ['a body one byte over 64 KiB (WebCrypto)', { size: 64 * 1024 + 1 }],
  ])('signs and verifies as WebCrypto does: %s', async (_, { size }) => {
    const rawBody = new Uint8Array(size).map((_, i) => (i * 31) % 256);
    for (const algorithm of ['SHA-1', 'SHA-256', 'SHA-512'] as const) {
      const signature = await signHmac({ rawBody, secret: 'Sécret ☃', algorithm });
      expect(signature).toBe(await webCryptoHmac('Sécret ☃', algorithm, rawBody));
      await expect(verifyHmac({ rawBody, signature, secret: ['other', 'Sécret ☃'], algorithm })).resolves.toBeUndefined();
      const changed = Uint8Array.from(rawBody);
      changed[size - 1] = (changed[size - 1] ?? 0) ^ 1;
      await expect(verifyHmac({ rawBody: changed, signature, secret: 'Sécret ☃', algorithm })).rejects.toMatchObject({ code: 'signature_mismatch' });
    }
  });

  it('matches WebCrypto for any secret, body and algorithm (300 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ unit: 'binary', minLength: 1, maxLength: 80 }).filter((s) => s.trim() !== ''),
          fc.uint8Array({ minLength: 1, maxLength: 200 }),
        ),
        fc.uint8Array({ maxLength: 600 }),
        fc.constantFrom('SHA-1', 'SHA-256', 'SHA-512'),
        async (secret, rawBody, algorithm) => {
          const want = await webCryptoHmac(secret, algorithm, rawBody);
          expect(await signHmac({ rawBody, secret, algorithm })).toBe(want);
          await expect(verifyHmac({ rawBody, signature: want, secret, algorithm })).resolves.toBeUndefined();
        },
      ),
      { numRuns: 300 },
    );
  });
});
