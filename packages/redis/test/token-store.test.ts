import { MsgkitError } from '@msgkit/core/errors';
import { afterAll, beforeAll, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import { RedisStoreError, redisTokenStore, type StoredToken, type TokenStore } from '../src/index.js';
import { connect, expectLifetime, type RedisServer, skipRedis, startRedisServer, ttls } from './redis-server.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const inMs = (ms: number): StoredToken => ({ accessToken: `token-${ms}`, expiresAt: Date.now() + ms });

describe.skipIf(skipRedis)('redisTokenStore against a private redis-server', () => {
  let server: RedisServer;
  let redis: Awaited<ReturnType<typeof connect>>;
  let store: TokenStore;
  let prefix: string;
  let round = 0;

  beforeAll(async () => {
    server = await startRedisServer();
    redis = await connect(server.url);
  });
  afterAll(async () => {
    await redis?.quit();
    await server?.stop();
  });
  beforeEach(() => {
    prefix = `t${++round}:`;
    store = redisTokenStore(redis, { prefix });
  });

  it('is a TokenStore', () => {
    expectTypeOf(redisTokenStore(redis)).toEqualTypeOf<TokenStore>();
  });

  it.each<[string, { given: StoredToken[]; wait?: number; want: StoredToken | undefined | 'last' }]>([
    ['nothing stored', { given: [], want: undefined }],
    ['a live token', { given: [inMs(60_000)], want: 'last' }],
    ['the latest of two tokens', { given: [inMs(60_000), inMs(120_000)], want: 'last' }],
    ['a token past its expiry (Redis expired it)', { given: [inMs(80)], wait: 150, want: undefined }],
    ['an already expired token (not stored)', { given: [inMs(-1000)], want: undefined }],
    ['an expired token set over a live one (the live one goes)', { given: [inMs(60_000), inMs(-1000)], want: undefined }],
  ])('get after setting %s', async (_, { given, wait, want }) => {
    for (const token of given) await store.set('client-a', token);
    if (wait) await sleep(wait);
    expect(await store.get('client-a')).toEqual(want === 'last' ? given.at(-1) : want);
  });

  it('keeps a token exactly until its expiry (PX), under `<prefix>value:<key>`, and nothing else', async () => {
    const since = Date.now();
    const token = inMs(600_000);
    await store.set('https://auth.example/token client-a', token);
    const lifetimes = await ttls(redis, `${prefix}*`);
    expect([...lifetimes.keys()]).toEqual([`${prefix}value:https://auth.example/token client-a`]);
    expectLifetime(lifetimes.get(`${prefix}value:https://auth.example/token client-a`), 600_000, since);
    expect(await redisTokenStore(redis, { prefix: 'elsewhere:' }).get('https://auth.example/token client-a')).toBeUndefined();
  });

  it('refuses a value it did not write with RedisStoreError, without quoting it', async () => {
    await redis.set(`${prefix}value:client-a`, '{"access":"s3cr3t-looking"}', { PX: 10_000 });
    const error = await store.get('client-a').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisStoreError);
    expect(String(error)).toContain(`${prefix}value:client-a holds a value this store did not write`);
    expect(String(error)).not.toContain('s3cr3t');
  });

  it.each<[string, { given: (s: TokenStore) => Promise<unknown>; want: RegExp }]>([
    ['an empty key', { given: (s) => s.get(''), want: /key must be a non-empty string/ }],
    ['a token without accessToken', { given: (s) => s.set('k', { expiresAt: Date.now() + 1000 } as never), want: /set needs/ }],
    ['a token with a NaN expiry', { given: (s) => s.set('k', { accessToken: 'x', expiresAt: Number.NaN }), want: /set needs/ }],
    ['a zero lock TTL', { given: (s) => s.lock('k', 0), want: /ttlMs must be a positive integer/ }],
  ])('refuses %s with MsgkitError', async (_, { given, want }) => {
    await expect(given(store)).rejects.toThrow(want);
    await expect(given(store)).rejects.toBeInstanceOf(MsgkitError);
  });

  it('lock: one holder at a time, with a TTL on the lock key; released, it can be taken again', async () => {
    const since = Date.now();
    const release = await store.lock('client-a', 30_000);
    expect(release).toBeTypeOf('function');
    expect(await store.lock('client-a', 30_000)).toBeUndefined();
    expectLifetime((await ttls(redis, `${prefix}lock:*`)).get(`${prefix}lock:client-a`), 30_000, since);
    expect(await store.lock('client-b', 30_000), 'locks are per key').toBeTypeOf('function');
    await release?.();
    await release?.(); // idempotent
    expect(await store.lock('client-a', 30_000)).toBeTypeOf('function');
  });

  it('lock: 100 concurrent callers over 4 connections, one gets it', async () => {
    const clients = await Promise.all(Array.from({ length: 4 }, () => connect(server.url)));
    try {
      const stores = clients.map((client) => redisTokenStore(client, { prefix }));
      const results = await Promise.all(Array.from({ length: 100 }, (_, i) => stores[i % 4]?.lock('client-a', 10_000)));
      expect(results.filter((r) => typeof r === 'function')).toHaveLength(1);
      expect(results.filter((r) => r === undefined)).toHaveLength(99);
    } finally {
      await Promise.all(clients.map((client) => client.quit()));
    }
  });

  it('lock: expires after its TTL when never released; the stale release then frees nobody else (fencing)', async () => {
    const stale = await store.lock('client-a', 80);
    expect(stale).toBeTypeOf('function');
    await sleep(150);
    const fresh = await store.lock('client-a', 30_000);
    expect(fresh).toBeTypeOf('function');
    await stale?.();
    expect(await store.lock('client-a', 30_000), 'the fresh holder still has it').toBeUndefined();
    await fresh?.();
    expect(await store.lock('client-a', 30_000)).toBeTypeOf('function');
  });
});
