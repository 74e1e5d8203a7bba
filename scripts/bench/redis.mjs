// 6. Redis (issue 16): what sharing state through @msgkit/redis costs against the in-memory defaults, on a
// private redis-server (127.0.0.1, free port, persistence off) started for the run.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REDIS_SERVER, startRedisServer } from '../lib/redis-server.mjs';
import { median } from './stats.mjs';
import { importEntry, missing, packageDir } from './workspace.mjs';

/** Calls per turn: the in-memory side and the Redis side take turns over chunks this size, so load changes hit both alike. */
const CHUNK = 100;

/** node-redis as @msgkit/redis resolves it (its pinned dev dependency). */
async function nodeRedis() {
  const require = createRequire(join(packageDir('redis'), 'package.json'));
  return import(pathToFileURL(require.resolve('redis')).href);
}

/**
 * The in-memory dedupe step per event: claim + complete on core's in-memory store when core has the DedupeStore of
 * contract 3, else `createDeduper().check` (core before that change).
 */
function memoryDedupe(core) {
  const store = core.memoryDedupeStore({ maxEntries: 1_000_000 });
  if (typeof store.claim === 'function') {
    return {
      steps: "core's memoryDedupeStore claim + complete",
      handle: async (key) => {
        const claim = await store.claim(key, 30_000);
        if (claim.status === 'claimed') await store.complete(key, claim.token, 86_400_000);
        return claim.status;
      },
    };
  }
  const deduper = core.createDeduper({ maxEntries: 1_000_000 });
  return {
    steps: "core's createDeduper().check (in memory; core has no claim/complete yet)",
    handle: async (key) => ((await deduper.check(key)) === 'new' ? 'claimed' : 'done'),
  };
}

/** The Redis dedupe step per event: claim (SET NX PX) + complete (Lua compare-and-set). */
function redisDedupe(store) {
  return async (key) => {
    const claim = await store.claim(key, 30_000);
    if (claim.status === 'claimed') await store.complete(key, claim.token, 86_400_000);
    return claim.status;
  };
}

/**
 * One pass: `calls` calls of each side, `concurrency` at a time, in alternating chunks. Returns µs per call of each
 * side (wall time / calls); throws unless every call answered `want`.
 */
async function pass(sides, calls, concurrency, want) {
  const totals = sides.map(() => 0);
  for (let from = 0, turn = 0; from < calls; from += CHUNK, turn++) {
    const order = turn % 2 === 0 ? [0, 1] : [1, 0];
    for (const index of order) {
      const start = performance.now();
      for (let i = from; i < Math.min(from + CHUNK, calls); i += concurrency) {
        const batch = Array.from({ length: Math.min(concurrency, from + CHUNK - i, calls - i) }, (_, j) => sides[index].call(i + j));
        for (const answer of await Promise.all(batch)) if (answer !== want) throw new Error(`${sides[index].name}: got ${answer}, expected ${want}`);
      }
      totals[index] += performance.now() - start;
    }
  }
  return totals.map((ms) => (ms * 1000) / calls);
}

/** Runs a case: one warm-up pass, then `runs` measured passes; medians and per-run ratios (Redis over memory). */
async function measure({ runs, calls, concurrency, want, makeSides }) {
  await pass(makeSides('warmup'), calls, concurrency, want);
  const memory = [];
  const redis = [];
  for (let run = 0; run < runs; run++) {
    const [m, r] = await pass(makeSides(`run${run}`), calls, concurrency, want);
    memory.push(m);
    redis.push(r);
  }
  return {
    memoryUs: memory,
    redisUs: redis,
    medianMemoryUs: median(memory),
    medianRedisUs: median(redis),
    ratio: median(redis.map((r, i) => r / memory[i])),
  };
}

/** Dedupe cost per event and token-store cost per call, Redis vs in memory. */
export async function redisCosts({ runs, events, tokenGets }) {
  const reason = missing('redis') ?? missing('core', 'webhooks') ?? missing('core');
  if (reason) return { reason };
  if (!REDIS_SERVER) return { reason: 'not available (redis-server is not installed: apt-get install -y redis-server)' };
  const { redisDedupeStore, redisTokenStore } = await importEntry('redis');
  const coreWebhooks = await importEntry('core', 'webhooks');
  const core = await importEntry('core');
  const { createClient } = await nodeRedis();
  const server = await startRedisServer();
  const client = createClient({ url: server.url });
  client.on('error', () => {});
  await client.connect();
  try {
    const version = String(await client.sendCommand(['INFO', 'server'])).match(/redis_version:(\S+)/)?.[1];
    const cases = [];
    for (const concurrency of [1, 50]) {
      const result = await measure({
        runs,
        calls: events,
        concurrency,
        want: 'claimed',
        // Fresh stores per pass, so every event is new to both.
        makeSides: (tag) => {
          const memory = memoryDedupe(coreWebhooks).handle;
          const redis = redisDedupe(redisDedupeStore(client, { prefix: `bench:${concurrency}:${tag}:` }));
          return [
            { name: 'memory', call: (i) => memory(`event-${i}`) },
            { name: 'redis', call: (i) => redis(`event-${i}`) },
          ];
        },
      });
      cases.push({
        name: `Dedupe, new event: claim + complete, ${concurrency === 1 ? 'one at a time' : `${concurrency} concurrent`}`,
        unit: 'µs per event',
        memorySteps: memoryDedupe(coreWebhooks).steps,
        redisSteps: 'redisDedupeStore claim (SET NX PX) + complete (EVAL compare-and-set)',
        ...result,
      });
    }

    // A warm token: every call finds it (in core's memory; in Redis by GET).
    const tokens = redisTokenStore(client, { prefix: 'bench:token:' });
    await tokens.set('client', { accessToken: 'warm-token', expiresAt: Date.now() + 3_600_000 });
    const auth = core.clientCredentialsAuth({
      tokenUrl: 'http://127.0.0.1:9/token',
      clientId: 'bench',
      clientSecret: 'bench-secret',
      fetch: async () => Response.json({ access_token: 'warm-token', expires_in: 3600 }),
    });
    await auth.getToken();
    const token = await measure({
      runs,
      calls: tokenGets,
      concurrency: 1,
      want: 'warm-token',
      makeSides: () => [
        { name: 'memory', call: () => auth.getToken() },
        { name: 'redis', call: async () => (await tokens.get('client'))?.accessToken },
      ],
    });
    cases.push({
      name: 'Token, warm: one read per call, one at a time',
      unit: 'µs per call',
      memorySteps: "core's clientCredentialsAuth().getToken() with a cached token",
      redisSteps: 'redisTokenStore get (GET + JSON.parse)',
      ...token,
    });
    return { runs, events, tokenGets, chunk: CHUNK, redisVersion: version, cases };
  } finally {
    client.destroy();
    await server.stop();
  }
}
