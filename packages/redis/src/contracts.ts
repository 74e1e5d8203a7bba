// The store interfaces of @msgkit/core (shared contracts 3 and 4 of the common brief), declared here until
// core's branches that add them are merged. At merge, this file is replaced by
//   export type { DedupeClaim, DedupeStore } from '@msgkit/core/webhooks';
//   export type { StoredToken, TokenStore } from '@msgkit/core';
// (or the importing files use `import type { DedupeStore, TokenStore } from '@msgkit/core…'` directly).

export type DedupeClaim = { status: 'claimed'; token: string } | { status: 'in-flight' } | { status: 'done' };
export interface DedupeStore {
  /** Atomically claims `key` for handling for `leaseMs` (a handler still running after that may be redelivered). */
  claim(key: string, leaseMs: number): Promise<DedupeClaim>;
  /** Marks the claim held with `token` as handled; the key is then remembered as done for `ttlMs`. No-op when the token no longer holds it. */
  complete(key: string, token: string, ttlMs: number): Promise<void>;
  /** Drops the claim held with `token` (handling failed) so a redelivery is handled again. No-op when the token no longer holds it. */
  release(key: string, token: string): Promise<void>;
}

export interface StoredToken {
  accessToken: string;
  expiresAt: number /* epoch ms */;
}
export interface TokenStore {
  get(key: string): Promise<StoredToken | undefined>;
  set(key: string, token: StoredToken): Promise<void>;
  /** Cross-process single flight: resolves a release function when this caller got the lock, undefined when another holds it. */
  lock(key: string, ttlMs: number): Promise<(() => Promise<void>) | undefined>;
}
