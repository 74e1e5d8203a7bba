import { MsgkitError } from '@msgkit/core';
import type { VollyMtlsAuth } from './auth.js';
import { buildVollyClient, type VollyClient, type VollyClientOptions } from './client.js';
import { isEnvelope, seal, type VollyMtlsOptions } from './jwt.js';

type Send = (request: Request) => Promise<Response>;

/** The token endpoint takes plain JSON credentials, also in mTLS mode. */
const TOKEN_PATH = /\/oauth\/token\/?$/;

function requireKey(value: unknown, name: string): void {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) {
    throw new MsgkitError(`auth.mtls.${name} is required: a CryptoKey, KeyObject, JWK object or Uint8Array`);
  }
}

/** Checks the mTLS options up front, so a missing key fails at construction instead of on the first call. */
export function validateMtls(mtls: VollyMtlsOptions): void {
  if (mtls === null || typeof mtls !== 'object') throw new MsgkitError('auth.mtls must be an object with signingKey and encryptionKey');
  requireKey(mtls.signingKey, 'signingKey');
  requireKey(mtls.encryptionKey, 'encryptionKey');
}

async function envelopeOf(request: Request, mtls: VollyMtlsOptions): Promise<string> {
  const text = await request.text();
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    throw new MsgkitError(`${request.method} ${new URL(request.url).pathname}: mTLS mode signs JSON bodies only, and this body is not JSON`);
  }
  if (isEnvelope(payload)) {
    throw new MsgkitError('In mTLS mode pass the plain request body: the client signs and encrypts it into {"jwt": ...} itself');
  }
  try {
    return JSON.stringify({ jwt: await seal(text, mtls) });
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new MsgkitError(`Could not sign and encrypt the request body for Volly mTLS mode: ${reason}`);
  }
}

/**
 * Wraps a fetch so every request body is sent as `{"jwt": "<signed then encrypted body>"}`, as
 * Volly's mTLS mode requires. Requests without a body, and the token request, pass through unchanged.
 */
export function jwtEnvelopeFetch(send: Send, mtls: VollyMtlsOptions): Send {
  return async (request) => {
    if (request.body === null || TOKEN_PATH.test(new URL(request.url).pathname)) return send(request);
    const headers = new Headers(request.headers);
    headers.set('Content-Type', 'application/json');
    headers.delete('Content-Length');
    return send(new Request(request, { headers, body: await envelopeOf(request, mtls) }));
  };
}

/** Options of `createVollyMtlsClient`: the client options, with OAuth credentials and the mTLS keys. */
export interface VollyMtlsClientOptions extends VollyClientOptions {
  /** `{ clientId, clientSecret, tokenUrl?, mtls: { signingKey, encryptionKey, signingAlgorithm? } }`. */
  auth: VollyMtlsAuth;
}

/**
 * Creates a typed Volly client in mTLS mode: OAuth as `createVollyClient`, and every request body signed,
 * then encrypted, into `{"jwt": ...}`. Its own entry (`@msgkit/volly/mtls`), so only it loads jose.
 */
export function createVollyMtlsClient(options: VollyMtlsClientOptions): VollyClient {
  return buildVollyClient(options, 'createVollyMtlsClient', (fetch, mtls) => {
    validateMtls(mtls);
    return jwtEnvelopeFetch(fetch ?? ((request) => globalThis.fetch(request)), mtls);
  });
}
