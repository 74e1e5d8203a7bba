// What the stores do when Redis dies, stalls or answers errors, and when a process dies while holding a claim or a lock.
import { fork } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DedupeStore, RedisStoreError, redisDedupeStore, redisTokenStore, type TokenStore } from '../src/index.js';
import { connect, type RedisServer, skipRedis, startRedisServer } from './redis-server.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const inAMinute = () => ({ accessToken: 'token', expiresAt: Date.now() + 60_000 });

/** Every store method, each on a key of its own. */
const methods: [string, (dedupe: DedupeStore, tokens: TokenStore) => Promise<unknown>][] = [
  ['claim', (d) => d.claim('event-x', 1000)],
  ['complete', (d) => d.complete('event-x', 'token', 1000)],
  ['release', (d) => d.release('event-x', 'token')],
  ['get', (_, t) => t.get('client-x')],
  ['set', (_, t) => t.set('client-x', inAMinute())],
  ['lock', (_, t) => t.lock('client-x', 1000)],
];

describe.skipIf(skipRedis).each([
  ['a default client (commands wait in the offline queue)', {}, /got no answer from Redis within 300 ms/],
  ['a client with disableOfflineQueue', { disableOfflineQueue: true }, /failed: .*offline/i],
])('Redis killed mid-run, %s', (_, clientOptions, want) => {
  let server: RedisServer;
  let redis: Awaited<ReturnType<typeof connect>>;
  let dedupe: DedupeStore;
  let tokens: TokenStore;
  let during: PromiseSettledResult<unknown>[] = [];

  beforeAll(async () => {
    server = await startRedisServer();
    redis = await connect(server.url, clientOptions);
    dedupe = redisDedupeStore(redis, { timeoutMs: 300 });
    tokens = redisTokenStore(redis, { timeoutMs: 300 });
    // A run in progress: claims and completes of 500 events, and token reads, when the server is killed.
    const run = Promise.allSettled(
      Array.from({ length: 500 }, async (_, i) => {
        const claim = await dedupe.claim(`event-${i}`, 10_000);
        if (claim.status === 'claimed') await dedupe.complete(`event-${i}`, claim.token, 60_000);
        return tokens.get('client-a');
      }),
    );
    await sleep(5);
    await server.kill();
    during = await run;
    // Under load the client may not have processed the socket's close yet; until it has, a command goes to the dead socket and waits out timeoutMs.
    while (redis.isReady) await sleep(10);
  });
  afterAll(async () => {
    redis?.destroy();
    await server?.stop();
  });

  it('every call of the run settles; those that failed reject with RedisStoreError', () => {
    expect(during).toHaveLength(500);
    const failures = during.filter((r) => r.status === 'rejected').map((r) => r.reason);
    for (const reason of failures) expect(reason).toBeInstanceOf(RedisStoreError);
  });

  it.each(methods)('%s rejects with RedisStoreError naming the call', async (name, call) => {
    const error = await call(dedupe, tokens).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisStoreError);
    expect(String(error)).toMatch(new RegExp(`Redis store: ${name} of msgkit:`));
    expect(String(error)).toMatch(want);
  });

  it('the client saw the connection drop (node-redis reports it on "error", which the app must listen to)', () => {
    expect(redis.errors.length).toBeGreaterThan(0);
  });
});

describe.skipIf(skipRedis)('Redis stalled or answering errors', () => {
  let server: RedisServer;
  let redis: Awaited<ReturnType<typeof connect>>;
  let admin: Awaited<ReturnType<typeof connect>>;

  beforeAll(async () => {
    server = await startRedisServer();
    redis = await connect(server.url);
    admin = await connect(server.url);
  });
  afterAll(async () => {
    await Promise.all([redis?.quit(), admin?.quit()]);
    await server?.stop();
  });

  it.each(methods)('%s rejects with RedisStoreError after timeoutMs while Redis is paused (CLIENT PAUSE)', async (_, call) => {
    const stores = [redisDedupeStore(redis, { timeoutMs: 200 }), redisTokenStore(redis, { timeoutMs: 200 })] as const;
    await admin.sendCommand(['CLIENT', 'PAUSE', '600', 'ALL']);
    try {
      await expect(call(...stores)).rejects.toThrow(/got no answer from Redis within 200 ms/);
    } finally {
      await admin.sendCommand(['CLIENT', 'UNPAUSE']);
    }
  });

  it.each([
    ['claim', () => redisDedupeStore(redis, { prefix: 'wrongtype:' }).claim('list', 1000)],
    ['get', () => redisTokenStore(redis, { prefix: 'wrongtype:' }).get('list')],
  ])('%s rejects with RedisStoreError carrying the Redis error reply', async (_, call) => {
    await redis.rPush('wrongtype:list', 'x');
    await redis.rPush('wrongtype:value:list', 'x');
    await redis.pExpire('wrongtype:list', 10_000);
    await redis.pExpire('wrongtype:value:list', 10_000);
    const error = await call().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisStoreError);
    expect(String(error)).toMatch(/failed: WRONGTYPE/);
    expect((error as Error).cause).toBeInstanceOf(Error);
  });
});

describe.skipIf(skipRedis)('a process killed while holding a claim and a lock', () => {
  let server: RedisServer;
  let redis: Awaited<ReturnType<typeof connect>>;

  beforeAll(async () => {
    server = await startRedisServer();
    redis = await connect(server.url);
  });
  afterAll(async () => {
    await redis?.quit();
    await server?.stop();
  });

  it('blocks others until the lease / lock TTL runs out, then both can be taken again', async () => {
    const lease = 1500;
    const child = fork(new URL('./children/holder.mjs', import.meta.url), [server.url, 'crash:', String(lease)], { stdio: 'inherit' });
    const held = await new Promise<unknown>((resolve, reject) => {
      child.once('message', resolve);
      child.once('exit', (code) => reject(new Error(`holder exited with ${code}`)));
    });
    expect(held).toEqual({ claim: 'claimed', locked: true });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));

    const dedupe = redisDedupeStore(redis, { prefix: 'crash:' });
    const tokens = redisTokenStore(redis, { prefix: 'crash:' });
    expect(await dedupe.claim('event-1', 10_000)).toEqual({ status: 'in-flight' });
    expect(await tokens.lock('client-a', 10_000)).toBeUndefined();
    expect(await redis.pTTL('crash:event-1')).toBeGreaterThan(0);
    expect(await redis.pTTL('crash:lock:client-a')).toBeGreaterThan(0);

    const deadline = Date.now() + lease + 2000;
    while ((await redis.exists(['crash:event-1', 'crash:lock:client-a'])) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await dedupe.claim('event-1', 10_000)).toMatchObject({ status: 'claimed' });
    expect(await tokens.lock('client-a', 10_000)).toBeTypeOf('function');
  });
});
