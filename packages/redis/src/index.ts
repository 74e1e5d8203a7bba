export { DEFAULT_REDIS_TIMEOUT_MS, type RedisClientLike, type RedisStoreOptions } from './command.js';
export type { DedupeClaim, DedupeStore, StoredToken, TokenStore } from './contracts.js';
export { type RedisDedupeStoreOptions, redisDedupeStore } from './dedupe-store.js';
export { RedisStoreError } from './errors.js';
export { type RedisTokenStoreOptions, redisTokenStore } from './token-store.js';
