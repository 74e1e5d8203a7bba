// 2. Webhook pipeline: verify + parse + validate + dedupe through the msgkit parsers and core, vs the
// floors of JSON.parse + one HMAC (WebCrypto, and node:crypto) over the same bytes, side by side.
import { createHmac, createSecretKey } from 'node:crypto';
import { median } from './stats.mjs';
import { bundledSpec, importEntry, missing } from './workspace.mjs';

const SECRET = 'bench-webhook-secret';
/** Bodies per turn: the floor and the pipeline take turns over chunks this size, so load changes hit both alike. */
const CHUNK = 50;
const encoder = new TextEncoder();

/** The request-body example of a webhook in a provider's bundled spec (`example`, or the named/first `examples` entry). */
function webhookExample(provider, webhook, exampleName) {
  const content = bundledSpec(provider)?.webhooks?.[webhook]?.post?.requestBody?.content?.['application/json'];
  return content?.example ?? content?.examples?.[exampleName]?.value ?? Object.values(content?.examples ?? {})[0]?.value;
}

/** A valid v4-shaped UUID per index, so every event has its own id. */
function uuid(index) {
  return `00000000-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;
}

/** What the pipeline needs from core and the provider package, or the reason it is not there yet. */
async function load(provider) {
  const reason = missing(provider, 'webhooks') ?? missing('core', 'webhooks');
  if (reason) return { reason };
  const core = await importEntry('core', 'webhooks');
  for (const name of ['createDeduper', 'eventKey']) {
    if (typeof core[name] !== 'function') return { reason: `not available yet (@msgkit/core/webhooks has no ${name})` };
  }
  try {
    return { hooks: await importEntry(provider, 'webhooks'), core };
  } catch (error) {
    return { reason: `not available yet (importing @msgkit/${provider}/webhooks failed: ${error.message})` };
  }
}

/** The Amio case: `count` signed `message_received` bodies, each its own event (its own `data.id`). */
async function amioCase(count) {
  const name = 'Amio message_received, signed (X-Hub-Signature, HMAC-SHA1)';
  const loaded = await load('amio');
  if (loaded.reason) return { name, reason: loaded.reason };
  const { hooks, core } = loaded;
  if (typeof hooks.signAmioWebhook !== 'function') return { name, reason: 'not available yet (@msgkit/amio/webhooks has no signAmioWebhook)' };
  const example = webhookExample('amio', 'MessageReceived', 'amioChat');
  if (example?.event !== 'message_received') return { name, reason: 'not available yet (the Amio spec has no MessageReceived example)' };
  const bodies = [];
  for (let i = 0; i < count; i++) {
    const bytes = encoder.encode(JSON.stringify({ ...example, data: { ...example.data, id: String(6456078996108099701n + BigInt(i)) } }));
    bodies.push({ bytes, headers: { 'content-type': 'application/json', ...(await hooks.signAmioWebhook(bytes, SECRET)) } });
  }
  return {
    name,
    steps: 'parseAmioWebhook (verifyHmac SHA-1 + parse + validate) + createDeduper().run(eventKey(event))',
    bodies,
    eventsPerBody: 1,
    algorithm: 'SHA-1',
    start() {
      // Keyed by the canonical event key, as packages/amio/README.md advises (Amio events carry no event id).
      const deduper = core.createDeduper({ ttlMs: 13 * 60 * 60 * 1000, maxEntries: count });
      return async (body) => {
        const event = await hooks.parseAmioWebhook(body.bytes, body.headers, { secret: SECRET });
        if (event.event !== 'message_received') throw new Error(`parsed a ${event.event} event`);
        return (await deduper.run(await core.eventKey(event), () => {})).status === 'handled' ? 1 : 0;
      };
    },
  };
}

/** The Ocelot case: `count` Campaign SMS batches of 100 events each, every event with its own `eventId`. */
async function ocelotCase(count) {
  const name = 'Ocelot Campaign SMS, batch of 100 events (unsigned)';
  const loaded = await load('ocelot');
  if (loaded.reason) return { name, reason: loaded.reason };
  const { hooks, core } = loaded;
  const example = webhookExample('ocelot', 'CampaignSms')?.[0];
  if (!example?.eventId) return { name, reason: 'not available yet (the Ocelot spec has no CampaignSms example)' };
  const bodies = [];
  for (let i = 0; i < count; i++) {
    const batch = Array.from({ length: 100 }, (_, j) => ({ ...example, eventId: uuid(i * 100 + j) }));
    bodies.push({ bytes: encoder.encode(JSON.stringify(batch)), headers: { 'content-type': 'application/json' } });
  }
  return {
    name,
    steps: 'parseOcelotWebhook (parse + validate 100 events) + createDeduper().run(eventId) per event; Ocelot signs nothing, so no verify',
    bodies,
    eventsPerBody: 100,
    algorithm: 'SHA-256',
    start() {
      const deduper = core.createDeduper({ maxEntries: count * 100 });
      return async (body) => {
        let fresh = 0;
        for (const event of await hooks.parseOcelotWebhook(body.bytes, body.headers)) {
          if ((await deduper.run(event.eventId, () => {})).status === 'handled') fresh++;
        }
        return fresh;
      };
    },
  };
}

/** `node:crypto`'s name of a WebCrypto hash. */
const NODE_HASH = { 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-512': 'sha512' };

/**
 * The two floors, each UTF-8 decode + JSON.parse + one HMAC over each body's bytes: with WebCrypto (key imported
 * once; the floor issues 9 and 14 set the targets against, and the only HMAC every runtime has), and with
 * `node:crypto`'s synchronous HMAC (key object made once; the cheapest on Node, which core's verifier uses there for
 * bodies up to 64 KiB).
 */
async function floorsFor(algorithm) {
  const webCryptoKey = await crypto.subtle.importKey('raw', encoder.encode(SECRET), { name: 'HMAC', hash: algorithm }, false, ['sign']);
  const nodeKey = createSecretKey(encoder.encode(SECRET));
  const decoder = new TextDecoder();
  const count = (value) => (Array.isArray(value) ? value.length : 1);
  return {
    webCrypto: () => async (body) => {
      const value = JSON.parse(decoder.decode(body.bytes));
      await crypto.subtle.sign('HMAC', webCryptoKey, body.bytes);
      return count(value);
    },
    node: () => async (body) => {
      const value = JSON.parse(decoder.decode(body.bytes));
      createHmac(NODE_HASH[algorithm], nodeKey).update(body.bytes).digest();
      return count(value);
    },
  };
}

/**
 * One pass of both floors and the pipeline over every body: they take turns chunk by chunk (the first to
 * go rotates). Returns events/s of each; throws unless every event came out exactly once, as new.
 */
async function pass(bench, floors) {
  const sides = [
    { handle: floors.webCrypto(), ms: 0, events: 0 },
    { handle: floors.node(), ms: 0, events: 0 },
    { handle: bench.start(), ms: 0, events: 0 },
  ];
  for (let from = 0, turn = 0; from < bench.bodies.length; from += CHUNK, turn++) {
    const chunk = bench.bodies.slice(from, from + CHUNK);
    for (const side of sides.map((_, i) => sides[(i + turn) % sides.length])) {
      const start = performance.now();
      for (const body of chunk) side.events += await side.handle(body);
      side.ms += performance.now() - start;
    }
  }
  const expected = bench.bodies.length * bench.eventsPerBody;
  for (const side of sides) if (side.events !== expected) throw new Error(`${bench.name}: ${side.events} of ${expected} events came out new`);
  const [webCrypto, node, pipeline] = sides.map((side) => expected / (side.ms / 1000));
  return { floor: webCrypto, nodeFloor: node, pipeline };
}

/** Sizes of the in-memory dedupe store measured (issue 13.4): the cost of a check must not grow with it. */
const DEDUPE_SIZES = [1_000, 100_000, 1_000_000];
/** New keys checked per size and run, every one evicting the least recently seen key. */
const DEDUPE_CHECKS = 20_000;

/**
 * The cost of `createDeduper({ maxEntries }).run(newKey, noop)` with the store full, so every check also
 * evicts: one full deduper per size, all alive at once; in each run the sizes take turns over chunks of
 * `CHUNK` × 20 checks (the first to go rotates), so load changes and garbage collection hit every size
 * alike. Microseconds per check, median of `runs` after one warm-up run, and the per-run ratio to 1k.
 */
async function dedupeCost(runs) {
  const core = await importEntry('core', 'webhooks').catch(() => undefined);
  if (typeof core?.createDeduper !== 'function' || typeof core.createDeduper().run !== 'function') {
    return { reason: 'not available yet (@msgkit/core/webhooks has no createDeduper().run)' };
  }
  const noop = () => {};
  const chunk = CHUNK * 20;
  const sizes = [];
  for (const maxEntries of DEDUPE_SIZES) {
    const deduper = core.createDeduper({ maxEntries });
    for (let i = 0; i < maxEntries; i++) await deduper.run(`fill-${i}`, noop);
    sizes.push({ maxEntries, deduper, next: 0, perRun: [], ratios: [] });
  }
  for (let run = 0; run < runs + 1; run++) {
    const ms = new Map(sizes.map((size) => [size, 0]));
    for (let from = 0, turn = run; from < DEDUPE_CHECKS; from += chunk, turn++) {
      const order = sizes.map((_, i) => sizes[(i + turn) % sizes.length]);
      for (const size of order) {
        const start = performance.now();
        for (let i = 0; i < chunk; i++) await size.deduper.run(`key-${size.next++}`, noop);
        ms.set(size, ms.get(size) + performance.now() - start);
      }
    }
    if (run === 0) continue; // warm-up
    for (const size of sizes) {
      size.perRun.push((ms.get(size) * 1000) / DEDUPE_CHECKS);
      size.ratios.push(ms.get(size) / ms.get(sizes[0]));
    }
  }
  return {
    checks: DEDUPE_CHECKS,
    sizes: sizes.map(({ maxEntries, perRun, ratios }) => ({ maxEntries, perRun, median: median(perRun), vsSmallest: median(ratios) })),
  };
}

/** Runs both cases: two warm-up passes, then `runs` measured passes; then the deduper cost by store size. */
export async function webhookPipeline({ runs, amioBodies, ocelotBatches }) {
  const results = [];
  for (const bench of [await amioCase(amioBodies), await ocelotCase(ocelotBatches)]) {
    if (bench.reason) {
      results.push({ name: bench.name, reason: bench.reason });
      continue;
    }
    const floors = await floorsFor(bench.algorithm);
    for (let warmup = 0; warmup < 2; warmup++) await pass(bench, floors);
    const passes = [];
    for (let run = 0; run < runs; run++) passes.push(await pass(bench, floors));
    results.push({
      name: bench.name,
      steps: bench.steps,
      floorSteps: `TextDecoder + JSON.parse + crypto.subtle.sign HMAC-${bench.algorithm} (key imported once)`,
      nodeFloorSteps: `TextDecoder + JSON.parse + node:crypto createHmac HMAC-${bench.algorithm} (key object made once)`,
      bodies: bench.bodies.length,
      events: bench.bodies.length * bench.eventsPerBody,
      pipeline: passes.map((p) => p.pipeline),
      floor: passes.map((p) => p.floor),
      medianPipeline: median(passes.map((p) => p.pipeline)),
      medianFloor: median(passes.map((p) => p.floor)),
      medianNodeFloor: median(passes.map((p) => p.nodeFloor)),
      slowdown: median(passes.map((p) => p.floor / p.pipeline)),
      nodeSlowdown: median(passes.map((p) => p.nodeFloor / p.pipeline)),
    });
  }
  return { runs, chunk: CHUNK, results, dedupe: await dedupeCost(runs) };
}
