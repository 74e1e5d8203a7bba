// One webhook receiver of a fleet: a node:http server whose dedupe state lives in Redis. It gets every event at
// the same time as the other receivers and records each event it handles (one line in `handledFile`).
// argv: <redis url> <key prefix> <handled file>. Tells the parent its port over IPC.
import { appendFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createDeduper, toNodeHandler } from '@msgkit/core/webhooks';
import { redisDedupeStore } from '@msgkit/redis';
import { createClient } from 'redis';

const [url, prefix, handledFile] = process.argv.slice(2);
const LEASE_MS = 30_000;
const DONE_TTL_MS = 24 * 60 * 60 * 1000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const redis = createClient({ url, disableOfflineQueue: true, socket: { reconnectStrategy: 100 } });
redis.on('error', () => {}); // a dropped connection is reported by each store call (RedisStoreError → 503)
await redis.connect();
const store = redisDedupeStore(redis, { prefix, timeoutMs: 1000 });

/** The application's handler: slow enough for the other receivers' copies to arrive while it runs; `failFirst` events fail their first attempt. */
async function handler(event) {
  await sleep(20);
  if (event.failFirst && (await redis.set(`${prefix}test-attempted:${event.id}`, '1', { NX: true, PX: 60_000 })) === 'OK')
    throw new Error('first attempt fails');
  appendFileSync(handledFile, `${event.id}\n`);
}

const handle = toNodeHandler({
  parse: (raw) => JSON.parse(new TextDecoder().decode(raw)),
  dedupe: { deduper: createDeduper({ store, leaseMs: LEASE_MS, ttlMs: DONE_TTL_MS }), key: (event) => event.id },
  handler,
  onError: () => {},
});

const server = createServer(handle);
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
