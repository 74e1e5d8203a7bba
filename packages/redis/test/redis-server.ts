// A private redis-server per test file: Debian's `redis-server` on 127.0.0.1, a free port, persistence off.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { createClient } from 'redis';

/** Where `redis-server` is: on PATH, else Debian's /usr/bin; undefined when missing. */
export const REDIS_SERVER = [...(process.env.PATH ?? '').split(delimiter), '/usr/bin'].map((dir) => join(dir, 'redis-server')).find((file) => existsSync(file));

/** Locally the Redis tests skip without redis-server (with a banner); under CI they run and fail, since .ci/run installs it. */
export const skipRedis = REDIS_SERVER === undefined && process.env.CI !== 'true';
if (skipRedis) {
  console.warn(
    `\n${'!'.repeat(78)}\n  SKIPPING the @msgkit/redis tests: redis-server is missing.\n  Install it with: apt-get update && apt-get install -y redis-server\n${'!'.repeat(78)}\n`,
  );
}

/** A running private server. */
export interface RedisServer {
  url: string;
  port: number;
  /** Kills the server at once (SIGKILL), as a crash would. */
  kill(): Promise<void>;
  /** Stops the server (SIGTERM) and waits for it to exit; a no-op once it exited. */
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Starts redis-server on a free port; resolves once it accepts connections. */
async function startOnce(): Promise<RedisServer | undefined> {
  if (!REDIS_SERVER) throw new Error('redis-server is missing: apt-get update && apt-get install -y redis-server');
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', tmpdir(), '--logfile', ''];
  const child = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const ready = await new Promise<boolean>((resolve) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      log += chunk;
      if (log.includes('Ready to accept connections')) resolve(true);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      log += chunk;
    });
    child.once('exit', () => resolve(false));
    child.once('error', () => resolve(false));
  });
  if (!ready) {
    // Another process took the port between freePort() and the bind: try another one.
    if (/Address already in use/.test(log)) return undefined;
    throw new Error(`redis-server did not start:\n${log}`);
  }
  child.stdout?.resume();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async kill() {
      child.kill('SIGKILL');
      await exited(child);
    },
    async stop() {
      child.kill('SIGTERM');
      await exited(child);
    },
  };
}

/** Starts a private redis-server (persistence off) on a free port of 127.0.0.1. */
export async function startRedisServer(): Promise<RedisServer> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const server = await startOnce();
    if (server) return server;
  }
  throw new Error('redis-server found no free port in 5 attempts');
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
