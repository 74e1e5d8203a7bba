import { CompactEncrypt, CompactSign, compactDecrypt, compactVerify, type KeyInput } from 'jose';

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

/** Keys that open the `{"jwt": ...}` envelope of a webhook event sent in mTLS mode. */
export interface VollyJwtKeys {
  /** Your private key that decrypts the JWE. */
  decryptionKey: VollyKey;
  /** Volly's public key that verifies the inner JWS. */
  verificationKey: VollyKey;
  /** JWS algorithms accepted for the inner signature (default: any asymmetric algorithm the key supports). */
  signingAlgorithms?: string[];
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

/** Decrypts a compact JWE and verifies the JWS inside it; resolves to the signed payload bytes. */
export async function open(token: string, keys: VollyJwtKeys): Promise<Uint8Array> {
  const { plaintext } = await compactDecrypt(token, keys.decryptionKey, {
    keyManagementAlgorithms: [JWE_ALGORITHM],
    contentEncryptionAlgorithms: [JWE_ENCRYPTION],
  });
  const { payload } = await compactVerify(new TextDecoder().decode(plaintext), keys.verificationKey, {
    algorithms: keys.signingAlgorithms,
  });
  return payload;
}

/** True for a `{"jwt": "<token>"}` body: an object with a string `jwt` and no event `type`. */
export function isEnvelope(value: unknown): value is { jwt: string } {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  return typeof record.jwt === 'string' && !('type' in record);
}
