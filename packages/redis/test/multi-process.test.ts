// Several processes sharing state through Redis: 4 webhook receivers that each get every event at the same time,
// and 4 workers that need one OAuth token. Each process is a child_process.fork of a script in ./children.
import { type ChildProcess, fork } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connect, type RedisServer, skipRedis, startRedisServer, ttls } from './redis-server.js';

const PROCESSES = 4;
/** Forking 4 Node processes takes seconds on a loaded 2-core machine. */
const SLOW = 180_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Forks `script` and resolves with the child and its first IPC message. */
async function start(script: string, args: string[]): Promise<{ child: ChildProcess; hello: any }> {
  const child = fork(new URL(`./children/${script}`, import.meta.url), args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const hello = await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before it was ready`)));
  });
  return { child, hello };
}

async function stopAll(children: ChildProcess[]) {
  await Promise.all(
    children.map((child) =>
      child.exitCode !== null || child.signalCode !== null ? undefined : new Promise((resolve) => child.once('exit', resolve).kill('SIGTERM')),
    ),
  );
}

/** A local HTTP server on a free port of 127.0.0.1. */
async function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('no address');
  return { server, url: `http://127.0.0.1:${address.port}` };
}

describe.skipIf(skipRedis)('4 webhook receivers sharing redisDedupeStore', () => {
  let redisServer: RedisServer;
  let dir: string;
  let receivers: { child: ChildProcess; port: number; handledFile: string }[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'msgkit-receivers-'));
  });
  afterEach(async () => {
    await stopAll(receivers.map((r) => r.child));
    receivers = [];
    await redisServer?.stop();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function startFleet(name: string) {
    redisServer = await startRedisServer();
    receivers = await Promise.all(
      Array.from({ length: PROCESSES }, async (_, i) => {
        const handledFile = join(dir, `${name}-${i}.log`);
        const { child, hello } = await start('receiver.mjs', [redisServer.url, 'webhooks:', handledFile]);
        return { child, port: hello.port as number, handledFile };
      }),
    );
  }

  const handled = () =>
    receivers
      .filter((r) => existsSync(r.handledFile))
      .flatMap((r) => readFileSync(r.handledFile, 'utf8').split('\n').filter(Boolean))
      .sort();

  /** POSTs `event` to one receiver; with `redeliver`, again after every non-2xx (as the provider does), else once. */
  async function deliver(port: number, event: object, answers: number[], redeliver: boolean) {
    for (let attempt = 0; attempt < 400; attempt++) {
      const response = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: JSON.stringify(event) }).catch(() => undefined);
      const status = response?.status ?? 0;
      await response?.arrayBuffer();
      answers.push(status);
      if (!redeliver || response?.ok) return status;
      await sleep(10); // the provider's redelivery delay (Retry-After), shortened for the test
    }
    throw new Error('no 2xx after 400 deliveries');
  }

  it('every event, delivered to all 4 at once (and redelivered after any non-2xx), is handled exactly once', { timeout: SLOW }, async () => {
    await startFleet('exactly-once');
    const events = Array.from({ length: 40 }, (_, i) => ({ id: `event-${i}`, failFirst: i % 7 === 0 }));
    const answers: number[] = [];
    await Promise.all(events.flatMap((event) => receivers.map((r) => deliver(r.port, event, answers, true))));

    expect(handled()).toEqual(events.map((e) => e.id).sort());
    // Copies found in flight wait for that handling (or get a retryable 503), failing first attempts get 500 (released,
    // handled on redelivery), and in the end every delivery gets one 2xx; nothing else is answered.
    expect(answers.filter((s) => s !== 200 && s !== 500 && s !== 503)).toEqual([]);
    expect(answers.filter((s) => s === 500).length).toBeGreaterThanOrEqual(events.filter((e) => e.failFirst).length);
    expect(answers.filter((s) => s === 200)).toHaveLength(events.length * PROCESSES);
    // Every dedupe key is `done`, with a TTL.
    const redis = await connect(redisServer.url);
    try {
      const keys = await ttls(redis, 'webhooks:event-*');
      expect(keys.size).toBe(events.length);
      for (const [key, ttl] of keys) {
        expect(await redis.get(key)).toBe('done');
        expect(ttl).toBeGreaterThan(0);
      }
    } finally {
      await redis.quit();
    }
  });

  it('when Redis is killed mid-run, no receiver answers 2xx for an event it did not handle; after the kill all answer 5xx', { timeout: SLOW }, async () => {
    await startFleet('killed');
    const events = Array.from({ length: 60 }, (_, i) => ({ id: `event-${i}` }));
    const before = events.slice(0, 20);
    const during = events.slice(20, 40);
    const after = events.slice(40);
    const answers: { id: string; status: number }[] = [];
    const send = (list: typeof events, redeliver: boolean) =>
      Promise.all(
        list.flatMap((event) =>
          receivers.map(async (r) => {
            const statuses: number[] = [];
            await deliver(r.port, event, statuses, redeliver);
            for (const status of statuses) answers.push({ id: event.id, status });
          }),
        ),
      );

    await send(before, true);
    const run = send(during, false);
    await sleep(15);
    await redisServer.kill();
    await run;
    const afterKill = answers.length;
    await send(after, false);

    const acknowledged = new Set(answers.filter((a) => a.status === 200).map((a) => a.id));
    const handledIds = handled();
    for (const id of acknowledged) expect(handledIds, `${id} got a 2xx`).toContain(id);
    expect(new Set(handledIds).size, 'nothing handled twice').toBe(handledIds.length);
    for (const event of before) expect(acknowledged).toContain(event.id);
    const lateAnswers = answers.slice(afterKill).map((a) => a.status);
    expect(lateAnswers).toHaveLength(after.length * PROCESSES);
    for (const status of lateAnswers) expect(status, 'a retryable 5xx').toSatisfy((s: number) => s >= 500 && s <= 599);
  });
});

describe.skipIf(skipRedis)('4 workers sharing redisTokenStore', () => {
  const CALLS_PER_WORKER = 25;
  let redisServer: RedisServer;
  let workers: ChildProcess[] = [];
  let servers: Server[] = [];

  afterEach(async () => {
    await stopAll(workers);
    workers = [];
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    servers = [];
    await redisServer?.stop();
  });

  /** A token endpoint (slow, counting its requests) and an API that answers 200 only to a token it issued. */
  async function startServers() {
    const issued: string[] = [];
    const secrets: string[] = [];
    const token = await listen(async (req, res) => {
      let body = '';
      for await (const chunk of req) body += chunk;
      secrets.push(JSON.parse(body).client_secret);
      issued.push(`token-${issued.length + 1}`);
      const accessToken = issued.at(-1);
      await sleep(150);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: accessToken, token_type: 'bearer', expires_in: 600 }));
    });
    const api = await listen((req, res) => {
      const ok = issued.some((t) => req.headers.authorization === `Bearer ${t}`);
      res.writeHead(ok ? 200 : 401).end();
    });
    servers.push(token.server, api.server);
    return { issued, secrets, tokenUrl: `${token.url}/oauth/token`, apiUrl: `${api.url}/v1/leads` };
  }

  async function run(tokenUrl: string, apiUrl: string, beforeGo: () => Promise<void> = async () => {}) {
    const started = await Promise.all(
      Array.from({ length: PROCESSES }, () => start('token-worker.mjs', [redisServer.url, 'tokens:', tokenUrl, apiUrl, String(CALLS_PER_WORKER)])),
    );
    workers = started.map((s) => s.child);
    await beforeGo();
    const reports = workers.map(
      (child) => new Promise<{ statuses: (number | string)[]; warnings: string[] }>((resolve) => child.once('message', resolve as never)),
    );
    for (const child of workers) child.send('go');
    return Promise.all(reports);
  }

  it('100 concurrent calls across 4 processes make exactly one token request, and every call carries that token', { timeout: SLOW }, async () => {
    redisServer = await startRedisServer();
    const { issued, tokenUrl, apiUrl } = await startServers();
    const reports = await run(tokenUrl, apiUrl);
    expect(issued).toEqual(['token-1']);
    expect(reports.flatMap((r) => r.statuses)).toEqual(Array(PROCESSES * CALLS_PER_WORKER).fill(200));
    expect(reports.flatMap((r) => r.warnings)).toEqual([]);
    const redis = await connect(redisServer.url);
    try {
      const keys = await ttls(redis, 'tokens:*');
      // One token under the store's key (derived from the token URL and client id, never the secret); the lock is released.
      expect([...keys.keys()]).toEqual([expect.stringMatching(/^tokens:value:/)]);
      expect([...keys.keys()][0]).not.toContain('worker-secret');
      // The token's own lifetime (expires_in 600 s), less the time this loaded machine took since it was issued.
      expect([...keys.values()][0]).toBeGreaterThan(500_000);
      expect([...keys.values()][0]).toBeLessThanOrEqual(600_000);
    } finally {
      await redis.quit();
    }
  });

  it('with Redis down, every call still succeeds through a direct token request, reported to the warning hook without the secret', {
    timeout: SLOW,
  }, async () => {
    redisServer = await startRedisServer();
    const { issued, secrets, tokenUrl, apiUrl } = await startServers();
    const reports = await run(tokenUrl, apiUrl, () => redisServer.kill());
    expect(reports.flatMap((r) => r.statuses)).toEqual(Array(PROCESSES * CALLS_PER_WORKER).fill(200));
    expect(issued.length).toBeGreaterThan(0);
    expect(new Set(secrets)).toEqual(new Set(['worker-secret-Zq9']));
    for (const report of reports) {
      expect(report.warnings.length).toBeGreaterThan(0);
      for (const warning of report.warnings) {
        // Failed at once (the client saw the socket close) or timed out (it had not noticed yet).
        expect(warning).toMatch(
          /^MsgkitError: tokenStore\.(get|lock|set) failed \(RedisStoreError: Redis store: (get|lock|set) of tokens:.* (failed: |got no answer from Redis within 1000 ms)/,
        );
        expect(warning).not.toContain('worker-secret');
      }
    }
  });
});
