import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { UsageError } from './providers.js';
import type { JwtKeys } from './signing.js';

/** A key from a `--jwt-keys` file: a PEM string becomes a KeyObject, a JWK object is used as is. */
function toKey(value: unknown, field: string, file: string, kind: 'private' | 'public'): KeyObject | Record<string, unknown> {
  if (typeof value === 'string') {
    try {
      return kind === 'private' ? createPrivateKey(value) : createPublicKey(value);
    } catch {
      throw new UsageError(`--jwt-keys ${file}: "${field}" is not a ${kind} key in PEM form`);
    }
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && typeof (value as { kty?: unknown }).kty === 'string') {
    return value as Record<string, unknown>;
  }
  throw new UsageError(`--jwt-keys ${file}: "${field}" must be a ${kind} key as a PEM string or a JWK object`);
}

/**
 * Reads a `--jwt-keys` file: JSON with `signingKey` (the sender's private key, standing in for
 * Volly's) and `encryptionKey` (your public key), each a PEM string or a JWK. Key material never
 * appears in errors.
 */
export function loadJwtKeys(file: string): JwtKeys {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'not a JSON file';
    throw new UsageError(`--jwt-keys ${file}: ${reason}; expected {"signingKey": <private key>, "encryptionKey": <public key>}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new UsageError(`--jwt-keys ${file}: expected {"signingKey": <private key>, "encryptionKey": <public key>}`);
  }
  const { signingKey, encryptionKey } = parsed as Record<string, unknown>;
  return { signingKey: toKey(signingKey, 'signingKey', file, 'private'), encryptionKey: toKey(encryptionKey, 'encryptionKey', file, 'public') };
}
