import { MsgkitError } from '../errors.js';
import { INLINE_HASH_BYTES, nodeCrypto } from './node-crypto.js';
import { bodyBytes, DEFAULT_MAX_BODY_BYTES, type RawBody } from './parse.js';

/** Why a webhook signature was rejected. */
export type SignatureErrorCode =
  | 'missing_signature'
  | 'malformed_signature'
  | 'signature_mismatch'
  | 'unsupported_scheme'
  | 'malformed_timestamp'
  | 'timestamp_out_of_tolerance';

/** A webhook whose signature (or signed timestamp) does not prove it came from the provider. */
export class SignatureError extends MsgkitError {
  override name = 'SignatureError';
  /** Machine-readable reason. */
  readonly code: SignatureErrorCode;

  constructor(code: SignatureErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** HMAC hash functions WebCrypto offers. */
export type HmacAlgorithm = 'SHA-1' | 'SHA-256' | 'SHA-512';

/** How the signature bytes are written: lowercase or uppercase hex, base64 (standard or URL-safe), or either. */
export type SignatureEncoding = 'hex' | 'base64' | 'hex-or-base64';

/** Options of `signHmac`. */
export interface SignHmacOptions {
  /** The exact bytes or text that were (or will be) sent. */
  rawBody: RawBody;
  /** The shared secret (the HMAC key); a string is used as its UTF-8 bytes. */
  secret: string | Uint8Array;
  /** Hash function of the HMAC. */
  algorithm: HmacAlgorithm;
  /** Text before the encoded digest, e.g. `sha1=` (Amio's `X-Hub-Signature`). */
  prefix?: string;
  /** Encoding of the digest (default `hex`; `hex-or-base64` signs as hex). */
  encoding?: SignatureEncoding;
}

/** Options of `verifyHmac`. */
export interface VerifyHmacOptions extends Omit<SignHmacOptions, 'secret'> {
  /** The shared secret, or several during a rotation (tried in turn, e.g. `[newSecret, oldSecret]`). */
  secret: string | Uint8Array | readonly (string | Uint8Array)[];
  /** The signature as received (usually a header value); missing or empty is rejected. */
  signature: string | null | undefined;
  /**
   * The signed timestamp the provider sent, in epoch seconds or as an ISO 8601 date. When this key is
   * present (even as `undefined`, e.g. a missing header) or `toleranceSeconds` is set, it must be within
   * `toleranceSeconds` of now. It is not added to the signed content: pass `rawBody` as the provider signs it.
   */
  timestamp?: string | number | null;
  /** Largest accepted distance between `timestamp` and now, in seconds (default 300, as Standard Webhooks). */
  toleranceSeconds?: number;
  /** Clock in epoch milliseconds, for tests. */
  now?: () => number;
  /** Largest body verified, in bytes (default 1 MiB, as the parsers): larger bodies are rejected before hashing. */
  maxBodyBytes?: number;
}

const DIGEST_BYTES: Record<HmacAlgorithm, number> = { 'SHA-1': 20, 'SHA-256': 32, 'SHA-512': 64 };
/** `node:crypto`'s names of the hash functions. */
const NODE_HASH: Record<HmacAlgorithm, string> = { 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-512': 'sha512' };
const ENCODINGS: readonly SignatureEncoding[] = ['hex', 'base64', 'hex-or-base64'];
/** Largest accepted age (or lead) of a signed timestamp, in seconds, as Standard Webhooks uses. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** `bytes` as WebCrypto's `BufferSource` wants them: on an `ArrayBuffer` (WebCrypto copies them itself), copied only off a `SharedArrayBuffer`. */
const buffer = (bytes: Uint8Array): Uint8Array<ArrayBuffer> =>
  bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);

/** One secret, checked: empty or whitespace-only secrets (an unset or blank variable) are configuration errors. */
function keyOf(secret: unknown): string | Uint8Array {
  if (typeof secret === 'string') {
    if (secret.trim() === '') throw new MsgkitError('The webhook secret must not be empty or whitespace only');
    return secret;
  }
  if (!(secret instanceof Uint8Array)) throw new MsgkitError('The webhook secret must be a string or Uint8Array');
  if (secret.byteLength === 0) throw new MsgkitError('The webhook secret must not be empty');
  return secret;
}

function checkConfig(options: Omit<SignHmacOptions, 'secret'>): { encoding: SignatureEncoding; prefix: string } {
  if (!options || typeof options !== 'object') throw new MsgkitError('HMAC options are required');
  const { algorithm, encoding = 'hex', prefix = '' } = options;
  if (!Object.hasOwn(DIGEST_BYTES, algorithm)) throw new MsgkitError(`algorithm must be one of SHA-1, SHA-256, SHA-512, got ${JSON.stringify(algorithm)}`);
  if (!ENCODINGS.includes(encoding)) throw new MsgkitError(`encoding must be one of ${ENCODINGS.join(', ')}, got ${JSON.stringify(encoding)}`);
  if (typeof prefix !== 'string') throw new MsgkitError('prefix must be a string');
  return { encoding, prefix };
}

/** Every key of a secret or a rotation list of secrets, in order. */
function keysOf(secret: VerifyHmacOptions['secret']): (string | Uint8Array)[] {
  if (!Array.isArray(secret)) return [keyOf(secret)];
  if (secret.length === 0) throw new MsgkitError('The list of webhook secrets must not be empty');
  return secret.map(keyOf);
}

/** An import of a key, and the key itself once imported: later calls use it without an await. */
interface ImportedKey {
  readonly promise: Promise<CryptoKey>;
  key?: CryptoKey;
}

/** Imported keys by algorithm, usage and secret: importing costs more than the HMAC of a small body. */
const keyCache = new Map<string, ImportedKey>();
const KEY_CACHE_SIZE = 32;

/** The imported HMAC key of a secret (a string is used as its UTF-8 bytes), encoded and imported only on a cache miss. */
function importKey(secret: string | Uint8Array, algorithm: HmacAlgorithm, usage: 'sign' | 'verify'): CryptoKey | Promise<CryptoKey> {
  const id =
    typeof secret === 'string'
      ? `${algorithm}:${usage}:text:${secret}`
      : `${algorithm}:${usage}:bytes:${Array.from(secret, (byte) => String.fromCharCode(byte)).join('')}`;
  const cached = keyCache.get(id);
  if (cached) return cached.key ?? cached.promise;
  const material = typeof secret === 'string' ? new TextEncoder().encode(secret) : new Uint8Array(secret);
  const imported: ImportedKey = { promise: globalThis.crypto.subtle.importKey('raw', material, { name: 'HMAC', hash: algorithm }, false, [usage]) };
  imported.promise.then(
    (key) => {
      imported.key = key;
    },
    () => keyCache.delete(id),
  );
  if (keyCache.size >= KEY_CACHE_SIZE) keyCache.delete(keyCache.keys().next().value ?? '');
  keyCache.set(id, imported);
  return imported.promise;
}

/** `node:crypto` when the runtime has it and `bytes` is small enough to hash on the spot; otherwise WebCrypto is used. */
const inlineCrypto = (bytes: Uint8Array) => (bytes.byteLength <= INLINE_HASH_BYTES ? nodeCrypto() : undefined);

function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** The value of a hex digit's character code (either case), or -1. */
const hexDigit = (code: number) => (code >= 0x30 && code <= 0x39 ? code - 0x30 : (code | 0x20) >= 0x61 && (code | 0x20) <= 0x66 ? (code | 0x20) - 0x57 : -1);

function fromHex(text: string, size: number): Uint8Array<ArrayBuffer> | undefined {
  if (text.length !== size * 2) return undefined;
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) {
    const high = hexDigit(text.charCodeAt(2 * i));
    const low = hexDigit(text.charCodeAt(2 * i + 1));
    if (high < 0 || low < 0) return undefined;
    out[i] = high * 16 + low;
  }
  return out;
}

function fromBase64(text: string, size: number): Uint8Array<ArrayBuffer> | undefined {
  const bare = text
    .replace(/={1,2}$/, '')
    .replaceAll('-', '+')
    .replaceAll('_', '/');
  if (!/^[A-Za-z0-9+/]+$/.test(bare) || bare.length % 4 === 1) return undefined;
  const binary = atob(bare.padEnd(Math.ceil(bare.length / 4) * 4, '='));
  if (binary.length !== size) return undefined;
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

/** `sha256=…`, `v1,…`, `t:…`: a scheme label in front of the digest. */
const SCHEME = /^([A-Za-z][A-Za-z0-9._-]{0,15})[=,:](?=[^=])/;

/** The digest bytes a signature header carries, or a `SignatureError` saying why there are none. */
function decodeSignature(signature: unknown, algorithm: HmacAlgorithm, prefix: string, encoding: SignatureEncoding): Uint8Array<ArrayBuffer> {
  if (signature === undefined || signature === null || (typeof signature === 'string' && signature.trim() === '')) {
    throw new SignatureError('missing_signature', 'The webhook has no signature');
  }
  if (typeof signature !== 'string') throw new SignatureError('malformed_signature', `The webhook signature must be a string, got ${typeof signature}`);
  const text = signature.trim();
  const expected = prefix === '' ? 'a bare digest' : `"${prefix}<digest>"`;
  let digest = text;
  if (prefix !== '') {
    if (text.slice(0, prefix.length).toLowerCase() !== prefix.toLowerCase()) {
      const scheme = SCHEME.exec(text)?.[0];
      if (scheme) throw new SignatureError('unsupported_scheme', `The webhook signature uses the scheme "${scheme}"; expected ${expected}`);
      throw new SignatureError('malformed_signature', `The webhook signature must look like ${expected}`);
    }
    digest = text.slice(prefix.length);
  }
  const size = DIGEST_BYTES[algorithm];
  const bytes =
    encoding === 'hex' ? fromHex(digest, size) : encoding === 'base64' ? fromBase64(digest, size) : (fromHex(digest, size) ?? fromBase64(digest, size));
  if (bytes) return bytes;
  const scheme = SCHEME.exec(digest)?.[0];
  if (scheme) throw new SignatureError('unsupported_scheme', `The webhook signature uses the scheme "${scheme}"; expected ${expected}`);
  const format = encoding === 'hex-or-base64' ? 'hex or base64' : encoding;
  throw new SignatureError('malformed_signature', `The webhook signature must be a ${size}-byte ${algorithm} HMAC in ${format}`);
}

/** Epoch milliseconds of a signed timestamp (epoch seconds or ISO 8601), or a `SignatureError`. */
function timestampMs(timestamp: unknown): number {
  if (timestamp === undefined || timestamp === null || timestamp === '') {
    throw new SignatureError('malformed_timestamp', 'The webhook has no signed timestamp');
  }
  if (typeof timestamp === 'number' && Number.isFinite(timestamp)) return timestamp * 1000;
  if (typeof timestamp === 'string') {
    const text = timestamp.trim();
    if (/^\d{1,12}(\.\d+)?$/.test(text)) return Number(text) * 1000;
    if (/^\d{4}-\d{2}-\d{2}T/.test(text) && !Number.isNaN(Date.parse(text))) return Date.parse(text);
  }
  throw new SignatureError('malformed_timestamp', 'The webhook timestamp must be epoch seconds or an ISO 8601 date');
}

function checkTimestamp(options: VerifyHmacOptions): void {
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (typeof tolerance !== 'number' || !(tolerance >= 0)) throw new MsgkitError('toleranceSeconds must be a non-negative number');
  const at = timestampMs(options.timestamp);
  const now = (options.now ?? Date.now)();
  const distance = Math.abs(now - at) / 1000;
  if (distance > tolerance) {
    throw new SignatureError(
      'timestamp_out_of_tolerance',
      `The webhook timestamp is ${Math.round(distance)} s ${at < now ? 'old' : 'in the future'}, more than the ${tolerance} s tolerance (a replay?)`,
    );
  }
}

/**
 * Computes the signature a provider would send for `rawBody` (`prefix` + hex or base64 HMAC), for tests
 * and for forwarding signed webhooks.
 */
export async function signHmac(options: SignHmacOptions): Promise<string> {
  const { encoding, prefix } = checkConfig(options);
  const key = keyOf(options.secret);
  const bytes = buffer(bodyBytes(options.rawBody, { maxBodyBytes: Number.POSITIVE_INFINITY }));
  const inline = inlineCrypto(bytes);
  let digest: Uint8Array;
  if (inline) digest = inline.createHmac(NODE_HASH[options.algorithm], key).update(bytes).digest();
  else {
    const imported = importKey(key, options.algorithm, 'sign');
    digest = new Uint8Array(await globalThis.crypto.subtle.sign('HMAC', imported instanceof Promise ? await imported : imported, bytes));
  }
  return `${prefix}${encoding === 'base64' ? toBase64(digest) : toHex(digest)}`;
}

/**
 * Verifies an HMAC signature over the raw body (constant-time comparison; with `node:crypto` where the runtime
 * has it and the body is at most 64 KiB, otherwise WebCrypto), and the signed
 * timestamp when one is given. Resolves when valid. With several secrets (a rotation), any one of them may match.
 * @throws {SignatureError} `missing_signature`, `malformed_signature`, `unsupported_scheme` (e.g. `sha256=` where
 *   `sha1=` is required), `signature_mismatch`, `malformed_timestamp` or `timestamp_out_of_tolerance`.
 * @throws {WebhookError} when `rawBody` is not a raw body (e.g. an already parsed object).
 */
export async function verifyHmac(options: VerifyHmacOptions): Promise<void> {
  const { encoding, prefix } = checkConfig(options);
  const keys = keysOf(options.secret);
  const expected = decodeSignature(options.signature, options.algorithm, prefix, encoding);
  const bytes = buffer(bodyBytes(options.rawBody, { maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES }));
  if ('timestamp' in options || options.toleranceSeconds !== undefined) checkTimestamp(options);
  const inline = inlineCrypto(bytes);
  for (const key of keys) {
    if (inline) {
      // Both digests have the algorithm's size (decodeSignature checked it), as timingSafeEqual requires.
      if (inline.timingSafeEqual(inline.createHmac(NODE_HASH[options.algorithm], key).update(bytes).digest(), expected)) return;
      continue;
    }
    // A key imported before is used as is: only a first import is awaited.
    const imported = importKey(key, options.algorithm, 'verify');
    if (await globalThis.crypto.subtle.verify('HMAC', imported instanceof Promise ? await imported : imported, expected, bytes)) return;
  }
  throw new SignatureError('signature_mismatch', 'The webhook signature does not match the body (wrong secret, or the body was changed)');
}
