// A private redis-server for tests and benchmarks: Debian's `redis-server` on 127.0.0.1, a free port,
// persistence off (`--save '' --appendonly no`). Used by packages/redis/test and scripts/bench/redis.mjs.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** Where `redis-server` is: on PATH, else Debian's /usr/bin; undefined when it is not installed. */
export const REDIS_SERVER = [...(process.env.PATH ?? '').split(delimiter), '/usr/bin'].map((dir) => join(dir, 'redis-server')).find((file) => existsSync(file));

/** How to get it. */
export const INSTALL_REDIS = 'apt-get update && apt-get install -y redis-server';

/** @returns {Promise<number>} */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** @param {import('node:child_process').ChildProcess} child */
function exited(child) {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve(undefined)));
}

/**
 * @typedef {object} RedisServer A running private server.
 * @property {string} url `redis://127.0.0.1:<port>`
 * @property {number} port
 * @property {() => Promise<void>} kill Kills the server at once (SIGKILL), as a crash would.
 * @property {() => Promise<void>} stop Stops the server (SIGTERM) and waits for it to exit; a no-op once it exited.
 */

/** @returns {Promise<RedisServer | undefined>} the server, or undefined when another process took the port first */
async function startOnce() {
  if (!REDIS_SERVER) throw new Error(`redis-server is missing: ${INSTALL_REDIS}`);
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', tmpdir(), '--logfile', ''];
  const child = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const ready = await new Promise((resolve) => {
    child.stdout.on('data', (chunk) => {
      log += chunk;
      if (log.includes('Ready to accept connections')) resolve(true);
    });
    child.stderr.on('data', (chunk) => {
      log += chunk;
    });
    child.once('exit', () => resolve(false));
    child.once('error', () => resolve(false));
  });
  if (!ready) {
    if (/Address already in use/.test(log)) return undefined;
    throw new Error(`redis-server did not start:\n${log}`);
  }
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

/**
 * Starts a private redis-server on a free port of 127.0.0.1; resolves once it accepts connections.
 * @returns {Promise<RedisServer>}
 */
export async function startRedisServer() {
  // Another process can take the port between freePort() and redis-server's bind: then try another one.
  for (let attempt = 0; attempt < 5; attempt++) {
    const server = await startOnce();
    if (server) return server;
  }
  throw new Error('redis-server found no free port in 5 attempts');
}
