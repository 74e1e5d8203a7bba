/** The parts of `node:crypto` the webhook code uses. */
export interface NodeCrypto {
  /** One-shot hash (Node ≥ 20.12): no Hash object per call. */
  hash?: (algorithm: 'sha256', data: string, encoding: 'hex') => string;
  createHash(algorithm: 'sha256'): { update(data: string): { digest(encoding: 'hex'): string } };
  createHmac(algorithm: string, key: string | Uint8Array): { update(data: Uint8Array): { digest(): Uint8Array } };
  timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean;
}

type WithBuiltins = { process?: { getBuiltinModule?: (id: string) => unknown } };

/** Bodies up to this many bytes (canonical texts up to this many characters) are hashed on the spot where the runtime can; larger ones by WebCrypto, off the main thread. */
export const INLINE_HASH_BYTES = 64 * 1024;

/** `node:crypto`, or undefined in runtimes without it; looked up on first use. */
let found: NodeCrypto | undefined | null = null;

/**
 * `node:crypto` through `process.getBuiltinModule` (Node ≥ 20.16), or undefined where the runtime has none: no import,
 * so every runtime loads the webhook code. A WebCrypto call is a round trip to another thread, which costs more than
 * hashing one small body here.
 */
export function nodeCrypto(): NodeCrypto | undefined {
  if (found === null) {
    const crypto = (globalThis as WithBuiltins).process?.getBuiltinModule?.('node:crypto') as Partial<NodeCrypto> | undefined;
    const usable = typeof crypto?.createHash === 'function' && typeof crypto.createHmac === 'function' && typeof crypto.timingSafeEqual === 'function';
    found = usable ? (crypto as NodeCrypto) : undefined;
  }
  return found;
}
