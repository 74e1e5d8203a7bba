import { MsgkitError } from '@msgkit/core/errors';
import { afterAll, beforeAll, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import { type DedupeClaim, type DedupeStore, type RedisClientLike, RedisStoreError, redisDedupeStore } from '../src/index.js';
import { connect, expectLifetime, type RedisServer, skipRedis, startRedisServer, ttls } from './redis-server.js';

/** One step of a scenario: claim (remembering the token as `as`), complete or release with a remembered token, or wait. */
type Step = { claim: string; leaseMs?: number } | { complete: string; ttlMs?: number } | { release: string } | { waitMs: number };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(skipRedis)('redisDedupeStore against a private redis-server', () => {
  let server: RedisServer;
  let redis: Awaited<ReturnType<typeof connect>>;
  let store: DedupeStore;
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
    store = redisDedupeStore(redis, { prefix });
  });

  it('is a DedupeStore over a connected node-redis client, and refuses what is not one', () => {
    expectTypeOf(redisDedupeStore).parameter(0).toEqualTypeOf<RedisClientLike>();
    expectTypeOf(redisDedupeStore(redis)).toEqualTypeOf<DedupeStore>();
    expectTypeOf<typeof redis>().toExtend<RedisClientLike>();
    // @ts-expect-error an object without a sendCommand method is not a Redis client
    expect(() => redisDedupeStore({ sendCommand: 1 })).toThrow(/connected node-redis client/);
  });

  it.each<[string, { given: Step[]; want: DedupeClaim['status'][] }]>([
    ['a first claim is claimed', { given: [{ claim: 'a' }], want: ['claimed'] }],
    ['a claim while another is in flight is in-flight', { given: [{ claim: 'a' }, { claim: 'b' }], want: ['claimed', 'in-flight'] }],
    ['a claim after complete is done', { given: [{ claim: 'a' }, { complete: 'a' }, { claim: 'b' }], want: ['claimed', 'done'] }],
    ['a claim after release is claimed again', { given: [{ claim: 'a' }, { release: 'a' }, { claim: 'b' }], want: ['claimed', 'claimed'] }],
    [
      'a claim after the lease expired is claimed again',
      { given: [{ claim: 'a', leaseMs: 50 }, { waitMs: 120 }, { claim: 'b' }], want: ['claimed', 'claimed'] },
    ],
    [
      'a stale token cannot complete the claim that replaced it',
      { given: [{ claim: 'a', leaseMs: 50 }, { waitMs: 120 }, { claim: 'b' }, { complete: 'a' }, { claim: 'c' }], want: ['claimed', 'claimed', 'in-flight'] },
    ],
    [
      'a stale token cannot release the claim that replaced it',
      { given: [{ claim: 'a', leaseMs: 50 }, { waitMs: 120 }, { claim: 'b' }, { release: 'a' }, { claim: 'c' }], want: ['claimed', 'claimed', 'in-flight'] },
    ],
    ['a stale token cannot release a done key', { given: [{ claim: 'a' }, { complete: 'a' }, { release: 'a' }, { claim: 'b' }], want: ['claimed', 'done'] }],
    [
      'completing after the lease expired (nobody else claimed) leaves the event to its redelivery',
      { given: [{ claim: 'a', leaseMs: 50 }, { waitMs: 120 }, { complete: 'a' }, { claim: 'b' }], want: ['claimed', 'claimed'] },
    ],
    ['done expires after its TTL', { given: [{ claim: 'a' }, { complete: 'a', ttlMs: 50 }, { waitMs: 120 }, { claim: 'b' }], want: ['claimed', 'claimed'] }],
    [
      'the winner of a renewed claim completes it',
      { given: [{ claim: 'a', leaseMs: 50 }, { waitMs: 120 }, { claim: 'b' }, { complete: 'b' }, { claim: 'c' }], want: ['claimed', 'claimed', 'done'] },
    ],
  ])('%s', async (_, { given, want }) => {
    const tokens = new Map<string, string>();
    const statuses: DedupeClaim['status'][] = [];
    for (const step of given) {
      if ('claim' in step) {
        const claim = await store.claim('event-1', step.leaseMs ?? 10_000);
        statuses.push(claim.status);
        if (claim.status === 'claimed') tokens.set(step.claim, claim.token);
      } else if ('complete' in step) await store.complete('event-1', tokens.get(step.complete) ?? 'none', step.ttlMs ?? 60_000);
      else if ('release' in step) await store.release('event-1', tokens.get(step.release) ?? 'none');
      else await sleep(step.waitMs);
    }
    expect(statuses).toEqual(want);
  });

  it.each<[string, { given: (key: string) => Promise<unknown>; want: Record<string, number> }]>([
    ['a new key: one claim wins', { given: async () => {}, want: { claimed: 1, 'in-flight': 49 } }],
    [
      'a done key: every claim is done',
      {
        given: async (key) => {
          const claim = await store.claim(key, 10_000);
          if (claim.status === 'claimed') await store.complete(key, claim.token, 60_000);
        },
        want: { done: 50 },
      },
    ],
    [
      'a released key: one claim wins again',
      {
        given: async (key) => {
          const claim = await store.claim(key, 10_000);
          if (claim.status === 'claimed') await store.release(key, claim.token);
        },
        want: { claimed: 1, 'in-flight': 49 },
      },
    ],
  ])('50 concurrent claims over 5 connections, %s', async (_, { given, want }) => {
    await given('event-50');
    const clients = await Promise.all(Array.from({ length: 5 }, () => connect(server.url)));
    try {
      const stores = clients.map((client) => redisDedupeStore(client, { prefix }));
      const claims = await Promise.all(Array.from({ length: 50 }, (_, i) => stores[i % 5]?.claim('event-50', 10_000)));
      const counts: Record<string, number> = {};
      for (const claim of claims) counts[claim?.status ?? 'missing'] = (counts[claim?.status ?? 'missing'] ?? 0) + 1;
      expect(counts).toEqual(want);
    } finally {
      await Promise.all(clients.map((client) => client.quit()));
    }
  });

  it('gives every key a TTL: the lease while in flight, the dedupe TTL once done', async () => {
    const claimed = Date.now();
    const inFlight = await store.claim('in-flight', 30_000);
    const done = await store.claim('done', 30_000);
    if (done.status !== 'claimed' || inFlight.status !== 'claimed') throw new Error('expected fresh claims');
    const completed = Date.now();
    await store.complete('done', done.token, 3_600_000);
    const released = await store.claim('released', 30_000);
    if (released.status === 'claimed') await store.release('released', released.token);
    const lifetimes = Object.fromEntries(await ttls(redis, `${prefix}*`));
    expect(Object.keys(lifetimes).sort()).toEqual([`${prefix}done`, `${prefix}in-flight`]);
    expectLifetime(lifetimes[`${prefix}in-flight`], 30_000, claimed);
    expectLifetime(lifetimes[`${prefix}done`], 3_600_000, completed);
  });

  it('writes `inflight:<token>` then `done` under the prefix (default `msgkit:dedupe:`)', async () => {
    const claim = await redisDedupeStore(redis).claim(`default-${round}`, 10_000);
    if (claim.status !== 'claimed') throw new Error('expected a fresh claim');
    expect(await redis.get(`msgkit:dedupe:default-${round}`)).toBe(`inflight:${claim.token}`);
    await redisDedupeStore(redis).complete(`default-${round}`, claim.token, 10_000);
    expect(await redis.get(`msgkit:dedupe:default-${round}`)).toBe('done');
    expect(await redisDedupeStore(redis, { prefix: 'other:' }).claim(`default-${round}`, 10_000)).toMatchObject({ status: 'claimed' });
  });

  it('refuses a key it did not write with RedisStoreError', async () => {
    await redis.set(`${prefix}foreign`, 'something else', { PX: 10_000 });
    await expect(store.claim('foreign', 1000)).rejects.toThrow(RedisStoreError);
    await expect(store.claim('foreign', 1000)).rejects.toThrow(`${prefix}foreign holds a value this store did not write`);
  });

  it.each<[string, { given: (store: DedupeStore) => Promise<unknown>; want: RegExp }]>([
    ['an empty key', { given: (s) => s.claim('', 1000), want: /key must be a non-empty string/ }],
    ['a non-string key', { given: (s) => s.claim(42 as never, 1000), want: /key must be a non-empty string/ }],
    ['a zero lease', { given: (s) => s.claim('k', 0), want: /leaseMs must be a positive integer/ }],
    ['a NaN lease', { given: (s) => s.claim('k', Number.NaN), want: /leaseMs must be a positive integer/ }],
    ['a fractional TTL', { given: (s) => s.complete('k', 't', 1.5), want: /ttlMs must be a positive integer/ }],
    ['an empty token to complete', { given: (s) => s.complete('k', '', 1000), want: /token must be a non-empty string/ }],
    ['an empty token to release', { given: (s) => s.release('k', ''), want: /token must be a non-empty string/ }],
  ])('refuses %s with MsgkitError before calling Redis', async (_, { given, want }) => {
    await expect(given(store)).rejects.toThrow(want);
    await expect(given(store)).rejects.toBeInstanceOf(MsgkitError);
    expect(await ttls(redis, `${prefix}*`)).toEqual(new Map());
  });

  it.each([
    ['a zero timeout', { timeoutMs: 0 }, /timeoutMs must be a positive integer/],
    ['a non-string prefix', { prefix: 1 as never }, /prefix must be a string/],
  ])('refuses options with %s', (_, options, want) => {
    expect(() => redisDedupeStore(redis, options)).toThrow(want);
  });
});
