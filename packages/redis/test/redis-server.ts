// The private redis-server of each test file (scripts/lib/redis-server.mjs), and client helpers.
import { createClient } from 'redis';
import { expect } from 'vitest';
import { INSTALL_REDIS, REDIS_SERVER } from '../../../scripts/lib/redis-server.mjs';

export { type RedisServer, startRedisServer } from '../../../scripts/lib/redis-server.mjs';

/** Locally the Redis tests skip without redis-server (with a banner); under CI they run and fail, since .ci/run installs it. */
export const skipRedis = REDIS_SERVER === undefined && process.env.CI !== 'true';
if (skipRedis) {
  console.warn(`\n${'!'.repeat(78)}\n  SKIPPING the @msgkit/redis tests: redis-server is missing.\n  Install it with: ${INSTALL_REDIS}\n${'!'.repeat(78)}\n`);
}

/** A connected node-redis client whose connection errors are collected (node-redis throws on unhandled 'error' events). */
export async function connect(url: string, options: { disableOfflineQueue?: boolean } = {}) {
  const errors: unknown[] = [];
  const client = createClient({
    url,
    disableOfflineQueue: options.disableOfflineQueue,
    socket: { reconnectStrategy: (retries) => Math.min(retries * 50, 500) },
  });
  client.on('error', (error) => errors.push(error));
  await client.connect();
  return Object.assign(client, { errors });
}

/** Keys matching `pattern` with their remaining lifetime in ms (-1: no TTL). */
export async function ttls(client: Awaited<ReturnType<typeof connect>>, pattern: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for await (const keys of client.scanIterator({ MATCH: pattern, COUNT: 1000 })) {
    for (const key of keys) out.set(key, await client.pTTL(key));
  }
  return out;
}

/**
 * Expects a remaining lifetime (ms) of exactly `setMs` less the time since `since` (`Date.now()` taken before the write), give
 * or take Redis's millisecond rounding: tight however long the test stalled between the write and the read.
 */
export function expectLifetime(ttl: number | undefined, setMs: number, since: number): void {
  expect(ttl).toBeLessThanOrEqual(setMs);
  expect(ttl).toBeGreaterThanOrEqual(setMs - (Date.now() - since) - 2);
}
