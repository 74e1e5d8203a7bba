// One webhook receiver of a fleet: a node:http server whose dedupe state lives in Redis. It gets every event at
// the same time as the other receivers and records each event it handles (one line in `handledFile`).
// argv: <redis url> <key prefix> <handled file>. Tells the parent its port over IPC.
import { appendFileSync } from 'node:fs';
import { createServer } from 'node:http';
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

function answer(res, status, body, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

// Stand-in for core's webhook adapter with the in-flight semantics of issue 13.1, until contract 3 lands in core.
// After the merge this function becomes (imports from '@msgkit/core/webhooks'):
//   const handle = toNodeHandler({
//     parse: (raw) => JSON.parse(new TextDecoder().decode(raw)),
//     dedupe: { deduper: createDeduper({ store }), key: (event) => event.id },
//     handler,
//     onError: () => {},
//   });
async function handle(req, res) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const event = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  let claim;
  try {
    claim = await store.claim(event.id, LEASE_MS);
  } catch {
    return answer(res, 503, { error: 'dedupe store unavailable; redeliver' });
  }
  if (claim.status === 'done') return answer(res, 200, { received: 1, duplicates: 1 });
  if (claim.status === 'in-flight') return answer(res, 503, { error: 'being handled elsewhere; redeliver' }, { 'retry-after': '1' });
  try {
    await handler(event);
  } catch {
    await store.release(event.id, claim.token).catch(() => {});
    return answer(res, 500, { error: 'handler failed; redeliver' });
  }
  // Handled: a failed complete only means a redelivery after the lease could be handled again (at least once).
  await store.complete(event.id, claim.token, DONE_TTL_MS).catch(() => {});
  answer(res, 200, { received: 1, duplicates: 0 });
}

const server = createServer((req, res) => {
  handle(req, res).catch(() => answer(res, 500, { error: 'receiver bug' }));
});
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
