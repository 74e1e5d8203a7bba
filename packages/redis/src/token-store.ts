import type { StoredToken, TokenStore } from '@msgkit/core';
import { commandRunner, DELETE_IF_HELD, milliseconds, nonEmpty, type RedisClientLike, type RedisStoreOptions, randomToken, text } from './command.js';
import { RedisStoreError } from './errors.js';

function storedToken(value: unknown): value is StoredToken {
  const token = value as StoredToken | null;
  return typeof token === 'object' && token !== null && typeof token.accessToken === 'string' && token.accessToken !== '' && Number.isFinite(token.expiresAt);
}

/**
 * A `TokenStore` on Redis: one OAuth access token shared by every process, as
 * `clientCredentialsAuth({ …, tokenStore: redisTokenStore(redis) })`. A token is kept until its own expiry
 * (PX); `lock` is `SET NX PX` with a random fencing token, released by compare-and-delete, so a crashed
 * holder's lock expires and a late release never frees another holder's lock.
 */
export function redisTokenStore(client: RedisClientLike, options: RedisStoreOptions = {}): TokenStore {
  const { prefix, run } = commandRunner(client, options, 'msgkit:token:');
  const valueKey = (key: string) => `${prefix}value:${nonEmpty(key, 'key')}`;
  const lockKey = (key: string) => `${prefix}lock:${nonEmpty(key, 'key')}`;

  return {
    async get(key) {
      const name = valueKey(key);
      const value = text(await run(`get of ${name}`, ['GET', name]));
      if (value === null) return undefined;
      let token: unknown;
      try {
        token = JSON.parse(value);
      } catch {
        token = undefined;
      }
      // The value is never quoted in the error: it holds an access token.
      if (!storedToken(token)) throw new RedisStoreError(`Redis store: ${name} holds a value this store did not write (is the prefix shared?)`);
      // Redis expires the key at expiresAt; this covers clock skew between the writer and this process.
      return token.expiresAt > Date.now() ? { accessToken: token.accessToken, expiresAt: token.expiresAt } : undefined;
    },
    async set(key, token) {
      const name = valueKey(key);
      if (!storedToken(token)) throw new RedisStoreError('Redis store: set needs { accessToken: non-empty string, expiresAt: epoch ms }');
      const ttl = Math.ceil(token.expiresAt - Date.now());
      // An already expired token is not kept (PX must be positive); a stale one under the key goes too.
      if (ttl < 1) await run(`set of ${name}`, ['DEL', name]);
      else await run(`set of ${name}`, ['SET', name, JSON.stringify({ accessToken: token.accessToken, expiresAt: token.expiresAt }), 'PX', String(ttl)]);
    },
    async lock(key, ttlMs) {
      const name = lockKey(key);
      const fence = randomToken();
      const taken = await run(`lock of ${name}`, ['SET', name, fence, 'NX', 'PX', String(milliseconds(ttlMs, 'ttlMs'))]);
      if (taken === null) return undefined;
      let released: Promise<void> | undefined;
      return () => {
        released ??= run(`unlock of ${name}`, ['EVAL', DELETE_IF_HELD, '1', name, fence]).then(() => undefined);
        return released;
      };
    },
  };
}
