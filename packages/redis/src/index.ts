export type { StoredToken, TokenStore } from '@msgkit/core';
export type { DedupeClaim, DedupeStore } from '@msgkit/core/webhooks';
export { DEFAULT_REDIS_TIMEOUT_MS, type RedisClientLike, type RedisStoreOptions } from './command.js';
export { redisDedupeStore } from './dedupe-store.js';
export { RedisStoreError } from './errors.js';
export { redisTokenStore } from './token-store.js';
