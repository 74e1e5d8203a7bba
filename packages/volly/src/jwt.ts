import { MsgkitError } from '@msgkit/core';
import {
  CompactEncrypt,
  type CompactJWSHeaderParameters,
  CompactSign,
  compactDecrypt,
  compactVerify,
  errors,
  importJWK,
  importPKCS8,
  importSPKI,
  importX509,
  type JWK,
  type KeyInput,
  type KeyObject,
} from 'jose';

/** A key as jose 6 accepts it: a WebCrypto `CryptoKey`, a Node `KeyObject`, a JWK object or raw bytes. */
export type VollyKey = KeyInput;

/** JWE key management algorithm of Volly's mTLS envelope, read from the docs' example token header. */
export const JWE_ALGORITHM = 'RSA-OAEP-256';
/** JWE content encryption algorithm of Volly's mTLS envelope, read from the docs' example token header. */
export const JWE_ENCRYPTION = 'A256GCM';

/** Volly's mTLS mode: the keys that sign and encrypt every request body into `{"jwt": ...}`. */
export interface VollyMtlsOptions {
  /** Your private key that signs the payload (JWS). */
  signingKey: VollyKey;
  /** Volly's public key that encrypts the signed payload (JWE, RSA-OAEP-256 + A256GCM). */
  encryptionKey: VollyKey;
  /** JWS algorithm of the inner signature (default `RS256`; Volly does not document it). */
  signingAlgorithm?: string;
}

/**
 * An RSA key that opens webhook envelopes: a `CryptoKey`, a Node `KeyObject`, an RSA JWK, or a PEM string
 * (`PRIVATE KEY` for decryption; `PUBLIC KEY` or `CERTIFICATE` for verification). Raw bytes are refused: they
 * carry no key type, and would let an HMAC-signed token pass as a signature.
 */
export type VollyJwtKey = CryptoKey | KeyObject | JWK | string;

/** JWS algorithms Volly's envelope may be signed with: RSA, as the .key/.crt files Volly asks for hold. */
export const JWS_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'] as const;
/** The JWS algorithm accepted by default (Volly's docs show RSA keys and an `RSA-OAEP-256` JWE, not the JWS header). */
export const DEFAULT_JWS_ALGORITHM = 'RS256';

/** Keys that open the `{"jwt": ...}` envelope of a webhook event sent in mTLS mode. */
export interface VollyJwtKeys {
  /** Your private RSA key that decrypts the JWE (`RSA-OAEP-256`). */
  decryptionKey: VollyJwtKey;
  /** Volly's public RSA key (or certificate) that verifies the inner JWS. */
  verificationKey: VollyJwtKey;
  /** JWS algorithms accepted for the inner signature, among RS256/384/512 and PS256/384/512 (default `['RS256']`). */
  signingAlgorithms?: readonly (typeof JWS_ALGORITHMS)[number][];
}

const encoder = new TextEncoder();

/**
 * Signs `payload` (the exact JSON text) as a compact JWS, then encrypts that JWS as a compact JWE
 * (`RSA-OAEP-256` / `A256GCM`, `cty: "JWT"`): a nested JWT whose claims are the payload.
 */
export async function seal(payload: string, keys: VollyMtlsOptions): Promise<string> {
  const signed = await new CompactSign(encoder.encode(payload)).setProtectedHeader({ alg: keys.signingAlgorithm ?? 'RS256', typ: 'JWT' }).sign(keys.signingKey);
  return new CompactEncrypt(encoder.encode(signed)).setProtectedHeader({ alg: JWE_ALGORITHM, enc: JWE_ENCRYPTION, cty: 'JWT' }).encrypt(keys.encryptionKey);
}

/** The WebCrypto algorithm name of each accepted JWS algorithm family. */
const WEBCRYPTO_NAMES: Record<string, string> = { RS: 'RSASSA-PKCS1-v1_5', PS: 'RSA-PSS', RSA: 'RSA-OAEP' };

const isCryptoKey = (key: unknown): key is CryptoKey => typeof globalThis.CryptoKey === 'function' && key instanceof globalThis.CryptoKey;
/** A Node `KeyObject` (duck-typed, so this file stays platform-neutral). */
const isKeyObject = (key: unknown): key is KeyObject =>
  key !== null && typeof key === 'object' && typeof (key as { export?: unknown }).export === 'function' && typeof (key as { type?: unknown }).type === 'string';

/**
 * Imports `key` for exactly `alg`, as a `want` (public or private) RSA key: the type and algorithm are explicit,
 * never guessed from the token. Throws `MsgkitError` (configuration) for key material that cannot be that.
 */
async function importFor(key: unknown, alg: string, want: 'public' | 'private', name: string): Promise<CryptoKey | KeyObject> {
  const family = alg.startsWith('RSA-') ? 'RSA' : alg.slice(0, 2);
  const wrong = (what: string) => new MsgkitError(`options.jwt.${name} must be an RSA ${want} key (CryptoKey, KeyObject, JWK or PEM); ${what}`);
  if (isCryptoKey(key)) {
    if (key.type !== want) throw wrong(`got a ${key.type} CryptoKey`);
    if (key.algorithm.name !== WEBCRYPTO_NAMES[family]) throw new errors.JOSEAlgNotAllowed(`"${alg}" does not fit the ${key.algorithm.name} key`);
    return key;
  }
  if (isKeyObject(key)) {
    const type = (key as { asymmetricKeyType?: string }).asymmetricKeyType;
    if (key.type !== want || (type !== 'rsa' && type !== 'rsa-pss')) throw wrong(`got a ${key.type} ${type ?? ''} KeyObject`);
    return key;
  }
  if (typeof key === 'string') {
    const pem = key.trim();
    if (want === 'private' && pem.startsWith('-----BEGIN PRIVATE KEY-----')) return importPKCS8(pem, alg);
    if (want === 'public' && pem.startsWith('-----BEGIN PUBLIC KEY-----')) return importSPKI(pem, alg);
    if (want === 'public' && pem.startsWith('-----BEGIN CERTIFICATE-----')) return importX509(pem, alg);
    throw wrong(`got a string that is not a ${want === 'private' ? 'PKCS#8 PRIVATE KEY' : 'PUBLIC KEY or CERTIFICATE'} PEM`);
  }
  if (key instanceof Uint8Array || ArrayBuffer.isView(key) || key instanceof ArrayBuffer) throw wrong('got raw bytes, which carry no key type');
  if (key !== null && typeof key === 'object') {
    const jwk = key as JWK;
    if (jwk.kty !== 'RSA' || (want === 'private') !== (typeof jwk.d === 'string')) throw wrong(`got a ${jwk.kty ?? 'typeless'} JWK`);
    const imported = await importJWK(jwk, alg);
    if (imported instanceof Uint8Array) throw wrong('got a symmetric JWK');
    return imported;
  }
  throw wrong(`got ${key === null ? 'null' : typeof key}`);
}

/**
 * Decrypts a compact JWE (`RSA-OAEP-256` / `A256GCM` only) and verifies the JWS inside it with one of the
 * accepted RSA algorithms; resolves to the signed payload bytes.
 */
export async function open(token: string, keys: VollyJwtKeys): Promise<Uint8Array> {
  const algorithms = keys.signingAlgorithms ?? [DEFAULT_JWS_ALGORITHM];
  if (!Array.isArray(algorithms) || algorithms.length === 0 || algorithms.some((alg) => !(JWS_ALGORITHMS as readonly string[]).includes(alg))) {
    throw new MsgkitError(`options.jwt.signingAlgorithms must list algorithms among ${JWS_ALGORITHMS.join(', ')}`);
  }
  const decryptionKey = await importFor(keys.decryptionKey, JWE_ALGORITHM, 'private', 'decryptionKey');
  const { plaintext } = await compactDecrypt(token, decryptionKey, {
    keyManagementAlgorithms: [JWE_ALGORITHM],
    contentEncryptionAlgorithms: [JWE_ENCRYPTION],
  });
  const { payload } = await compactVerify(
    new TextDecoder().decode(plaintext),
    (header: CompactJWSHeaderParameters) => {
      // jose checks `algorithms` first too; the key is imported for the token's algorithm only once it is allowed.
      if (!header.alg || !(algorithms as readonly string[]).includes(header.alg)) throw new errors.JOSEAlgNotAllowed(`"${header.alg}" is not accepted`);
      return importFor(keys.verificationKey, header.alg, 'public', 'verificationKey');
    },
    { algorithms: [...algorithms] },
  );
  return payload;
}

/** True for a `{"jwt": "<token>"}` body: an object with a string `jwt` and no event `type`. */
export function isEnvelope(value: unknown): value is { jwt: string } {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  return typeof record.jwt === 'string' && !('type' in record);
}
