export { DEFAULT_REDIS_TIMEOUT_MS, type RedisClientLike, type RedisStoreOptions } from './command.js';
export type { DedupeClaim, DedupeStore, StoredToken, TokenStore } from './contracts.js';
export { redisDedupeStore } from './dedupe-store.js';
export { RedisStoreError } from './errors.js';
export { redisTokenStore } from './token-store.js';
