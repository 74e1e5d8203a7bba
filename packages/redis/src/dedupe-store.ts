import type { DedupeStore } from '@msgkit/core/webhooks';
import { commandRunner, DELETE_IF_HELD, milliseconds, nonEmpty, type RedisClientLike, type RedisStoreOptions, randomToken, text } from './command.js';
import { RedisStoreError } from './errors.js';

/** Compare-and-set: turns the claim KEYS[1] = ARGV[1] into `done` for ARGV[2] ms; a no-op when another value is there. */
const COMPLETE_IF_HELD = "if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], 'done', 'PX', ARGV[2]) return 1 end return 0";
const DONE = 'done';
const IN_FLIGHT = 'inflight:';

/**
 * A `DedupeStore` on Redis, shared by every receiver: `createDeduper({ store: redisDedupeStore(redis) })`.
 * A key holds `inflight:<token>` while one process handles the event (expiring after the lease, so a crashed
 * handler's event is handled again), then `done` for the dedupe TTL. Every key has a TTL.
 */
export function redisDedupeStore(client: RedisClientLike, options: RedisStoreOptions = {}): DedupeStore {
  const { prefix, run } = commandRunner(client, options, 'msgkit:dedupe:');

  return {
    async claim(key, leaseMs) {
      const name = prefix + nonEmpty(key, 'key');
      const lease = String(milliseconds(leaseMs, 'leaseMs'));
      // SET NX answers nil when the key exists; if it expired before the GET, claim again.
      for (let attempt = 0; attempt < 3; attempt++) {
        const token = randomToken();
        if ((await run(`claim of ${name}`, ['SET', name, IN_FLIGHT + token, 'NX', 'PX', lease])) !== null) return { status: 'claimed', token };
        const value = text(await run(`claim of ${name}`, ['GET', name]));
        if (value === DONE) return { status: 'done' };
        if (value?.startsWith(IN_FLIGHT)) return { status: 'in-flight' };
        if (value !== null) throw new RedisStoreError(`Redis store: ${name} holds a value this store did not write (is the prefix shared?)`);
      }
      throw new RedisStoreError(`Redis store: claim of ${name} kept losing to expiring claims`);
    },
    async complete(key, token, ttlMs) {
      const name = prefix + nonEmpty(key, 'key');
      const args = [IN_FLIGHT + nonEmpty(token, 'token'), String(milliseconds(ttlMs, 'ttlMs'))];
      await run(`complete of ${name}`, ['EVAL', COMPLETE_IF_HELD, '1', name, ...args]);
    },
    async release(key, token) {
      const name = prefix + nonEmpty(key, 'key');
      await run(`release of ${name}`, ['EVAL', DELETE_IF_HELD, '1', name, IN_FLIGHT + nonEmpty(token, 'token')]);
    },
  };
}
