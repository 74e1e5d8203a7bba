// 1. Client overhead: POST /v1/omnimessage through @msgkit/messente vs a raw fetch of the same request
// (the floor) vs the official messente_api SDK, against one local keep-alive server, side by side.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { Agent } from 'node:http';
import { createRequire, register } from 'node:module';
import { join } from 'node:path';
import { median, percentile } from './stats.mjs';
import { bundledSpec, importEntry, missing, packageDir, root } from './workspace.mjs';

const USERNAME = 'bench-user';
/** The name of the fetch-transport variant (what browsers, workers, Bun and Deno run). */
export const EDGE = '@msgkit/messente, edge entry (fetch transport)';
/** References that split the edge entry's cost over raw fetch: the deadline signal alone, and openapi-fetch alone. */
export const REFERENCES = ['reference: raw fetch + a deadline signal', 'reference: bare openapi-fetch over fetch'];
const PASSWORD = 'bench-password';

/** The request body and 201 answer of POST /v1/omnimessage, from the examples of the bundled Messente spec. */
function examples() {
  const spec = bundledSpec('messente');
  const operation = spec?.paths?.['/v1/omnimessage']?.post;
  const content = operation?.requestBody?.content?.['application/json'];
  const [name, first] = Object.entries(content?.examples ?? {})[0] ?? [];
  const request = content?.example ?? first?.value;
  const answered = operation?.responses?.['201']?.content?.['application/json'];
  const answer = answered?.example ?? Object.values(answered?.examples ?? {})[0]?.value;
  if (!request || !answer) return undefined;
  return { request, answer, name: content?.example ? 'example' : name };
}

/** Starts the keep-alive server in a child process; resolves its base URL and a stop function. */
async function startServer(answer) {
  const child = fork(join(import.meta.dirname, 'server.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  child.send({ body: JSON.stringify(answer) });
  const [message] = await once(child, 'message');
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  };
  return { url: `http://127.0.0.1:${message.port}`, stop };
}

/** The three ways of sending the same omnimessage; each resolves the parsed 201 body or throws. */
async function variants(url, request) {
  const authorization = `Basic ${Buffer.from(`${USERNAME}:${PASSWORD}`).toString('base64')}`;
  const list = [
    {
      name: 'raw fetch (floor)',
      call: async () => {
        const response = await fetch(`${url}/v1/omnimessage`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json', authorization },
          body: JSON.stringify(request),
        });
        const data = await response.json();
        if (response.status !== 201) throw new Error(`raw fetch got ${response.status}: ${JSON.stringify(data)}`);
        return data;
      },
    },
  ];

  // What the edge entry must pay on top of raw fetch, each alone: an AbortSignal that aborts at the deadline (an
  // AbortController and a timer per call, as the edge entry makes per attempt), and openapi-fetch as the typed front
  // (a light Request class, as msgkit gives it, and globalThis.fetch(url, init); no deadline, retries or auth).
  list.push({
    name: REFERENCES[0],
    call: async () => {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), 60_000);
      try {
        const response = await fetch(`${url}/v1/omnimessage`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json', authorization },
          body: JSON.stringify(request),
          signal: controller.signal,
        });
        return await response.json();
      } finally {
        clearTimeout(timer);
      }
    },
  });
  const createClient = createRequire(join(packageDir('core'), 'package.json'))('openapi-fetch').default;
  class BareRequest {
    constructor(input, init = {}) {
      this.url = String(input);
      this.method = init.method ?? 'GET';
      this.headers = init.headers;
      this.body = init.body ?? null;
    }
  }
  const bare = createClient({
    baseUrl: url,
    headers: { authorization },
    Request: BareRequest,
    fetch: (sent) => fetch(sent.url, { method: sent.method, headers: sent.headers, body: sent.body }),
  });
  list.push({ name: REFERENCES[1], call: async () => (await bare.POST('/v1/omnimessage', { body: request })).data });

  const reason = missing('messente');
  if (reason) {
    list.push({ name: '@msgkit/messente', reason });
  } else {
    const { createMessenteClient } = await importEntry('messente');
    // Node resolves @msgkit/core's "node" entry: the undici transport.
    const client = createMessenteClient({ username: USERNAME, password: PASSWORD, baseUrl: url });
    list.push({ name: '@msgkit/messente', call: async () => (await client.POST('/v1/omnimessage', { body: request })).data });
    // The edge entry itself (globalThis.fetch, native Responses), as browsers, workers, Bun and Deno resolve it: the
    // same built package imported again with `?edge`, which edge-hook.mjs resolves to @msgkit/core's "browser" entry.
    register('./edge-hook.mjs', import.meta.url);
    const { createMessenteClient: createEdgeClient } = await importEntry('messente', 'index', '?edge');
    const edge = createEdgeClient({ username: USERNAME, password: PASSWORD, baseUrl: url });
    list.push({ name: EDGE, call: async () => (await edge.POST('/v1/omnimessage', { body: request })).data });
  }

  // As the SDK's README shows: model objects built per call, HTTP basic auth, callback API; a keep-alive agent like fetch's.
  const MessenteApi = createRequire(join(root, 'package.json'))('messente_api');
  const apiClient = new MessenteApi.ApiClient();
  apiClient.basePath = `${url}/v1`;
  apiClient.authentications.basicAuth.username = USERNAME;
  apiClient.authentications.basicAuth.password = PASSWORD;
  apiClient.requestAgent = new Agent({ keepAlive: true });
  const api = new MessenteApi.OmnimessageApi(apiClient);
  list.push({
    name: 'messente_api 1.5.0 (official SDK)',
    agent: apiClient.requestAgent,
    call: () =>
      new Promise((resolve, reject) => {
        const omnimessage = MessenteApi.Omnimessage.constructFromObject({
          to: request.to,
          messages: request.messages.map((message) => MessenteApi.SMS.constructFromObject(message)),
        });
        api.sendOmnimessage(omnimessage, (error, data) => (error ? reject(error) : resolve(data)));
      }),
  });
  return list;
}

/** Sends `total` calls with `concurrency` in flight; returns the wall seconds, this process's CPU µs (the server is another process) and each call's latency in ms. */
async function drive(call, total, concurrency, expectedId) {
  const latencies = new Float64Array(total);
  let next = 0;
  async function worker() {
    for (let i = next++; i < total; i = next++) {
      const start = performance.now();
      const data = await call();
      latencies[i] = performance.now() - start;
      if (data?.omnimessage_id !== expectedId) throw new Error(`unexpected answer: ${JSON.stringify(data)}`);
    }
  }
  const start = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const { user, system } = process.cpuUsage(cpu);
  return { seconds: (performance.now() - start) / 1000, cpuUs: user + system, latencies };
}

/** One run's figures of a variant from its chunks: req/s over the time it ran, p50/p99 latency and CPU µs per call. */
function summarize(slices) {
  const latencies = Float64Array.from(slices.flatMap((slice) => [...slice.latencies]));
  const seconds = slices.reduce((sum, slice) => sum + slice.seconds, 0);
  const cpuUs = slices.reduce((sum, slice) => sum + slice.cpuUs, 0);
  return { rps: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), cpuUs: cpuUs / latencies.length };
}

/**
 * Runs the client benchmark: `runs` rounds; in each, every variant sends `requests` calls (`concurrency`
 * in flight) after a warm-up. Within a run the variants take turns over chunks of `chunk` calls, in a
 * rotated order, so a change of machine load hits them alike instead of whichever ran at that moment.
 */
export async function clientOverhead({ runs, requests, warmup, concurrency, chunk }) {
  const example = examples();
  if (!example) return { reason: 'not available yet (the Messente spec has no POST /v1/omnimessage request and 201 examples)' };
  const server = await startServer(example.answer);
  try {
    const list = await variants(server.url, example.request);
    const active = list.filter((v) => v.call);
    for (const variant of active) {
      variant.runs = [];
      await drive(variant.call, warmup, concurrency, example.answer.omnimessage_id);
    }
    const chunks = Math.ceil(requests / chunk);
    for (let run = 0; run < runs; run++) {
      const slices = active.map(() => []);
      for (let c = 0; c < chunks; c++) {
        const size = Math.min(chunk, requests - c * chunk);
        for (let k = 0; k < active.length; k++) {
          const index = (run + c + k) % active.length;
          slices[index].push(await drive(active[index].call, size, concurrency, example.answer.omnimessage_id));
        }
      }
      for (const [index, variant] of active.entries()) variant.runs.push(summarize(slices[index]));
    }
    for (const variant of active) variant.agent?.destroy();
    const floor = active[0];
    const msgkit = active.find((v) => v.name === '@msgkit/messente');
    return {
      example: example.name,
      requests,
      chunk,
      concurrency,
      runs,
      variants: list.map((variant) => {
        if (!variant.call) return { name: variant.name, reason: variant.reason };
        const perRun = (fn) => variant.runs.map(fn);
        return {
          name: variant.name,
          rps: perRun((r) => r.rps),
          p50: median(perRun((r) => r.p50)),
          p99: median(perRun((r) => r.p99)),
          medianRps: median(perRun((r) => r.rps)),
          cpuUs: perRun((r) => r.cpuUs),
          medianCpuUs: median(perRun((r) => r.cpuUs)),
          vsFloor: median(variant.runs.map((r, i) => r.rps / floor.runs[i].rps)),
          msgkitVs: msgkit && variant !== msgkit ? median(msgkit.runs.map((r, i) => r.rps / variant.runs[i].rps)) : undefined,
          msgkitVsRuns: msgkit && variant !== msgkit ? msgkit.runs.map((r, i) => r.rps / variant.runs[i].rps) : undefined,
        };
      }),
    };
  } finally {
    await server.stop();
  }
}
