import { MsgkitError } from '@msgkit/core/errors';
import { RedisStoreError } from './errors.js';

/**
 * What the stores need of a Redis client: node-redis's `sendCommand`, e.g. the result of
 * `await createClient({ url }).connect()`. Only raw commands are sent, so every client version behaves alike.
 */
export interface RedisClientLike {
  /** Sends one raw command; the signal drops it while it still waits to be written (node-redis v4 reads `signal`, v5 and later `abortSignal`). */
  sendCommand(args: string[], options?: { abortSignal?: AbortSignal; signal?: AbortSignal }): Promise<unknown>;
}

/** Options shared by both stores. */
export interface RedisStoreOptions {
  /** Prefix of every key this store writes (default `'msgkit:dedupe:'` or `'msgkit:token:'`). */
  prefix?: string;
  /** How long one Redis command may take before the call rejects with `RedisStoreError` (default 2000 ms). */
  timeoutMs?: number;
}

/** How long a Redis command may take by default: far above a healthy Redis, well below a webhook provider's timeout. */
export const DEFAULT_REDIS_TIMEOUT_MS = 2000;

/** Compare-and-delete: deletes KEYS[1] only while it holds ARGV[1]. */
export const DELETE_IF_HELD = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

/** Checks a positive integer number of milliseconds. */
export function milliseconds(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1)
    throw new MsgkitError(`${name} must be a positive integer number of milliseconds, got ${JSON.stringify(value)}`);
  return value;
}

/** Checks a key or token argument. */
export function nonEmpty(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') throw new MsgkitError(`${name} must be a non-empty string, got ${JSON.stringify(value)}`);
  return value;
}

/** A random token (a claim's or a lock's fencing token). */
export function randomToken(): string {
  return globalThis.crypto.randomUUID();
}

/** A string reply as a string (clients mapped to return Buffers included), or null. */
export function text(reply: unknown): string | null {
  if (reply === null || reply === undefined) return null;
  if (typeof reply === 'string') return reply;
  if (reply instanceof Uint8Array) return new TextDecoder().decode(reply);
  throw new RedisStoreError(`Redis store: Redis answered with an unexpected ${typeof reply} where a string was expected`);
}

/** The command runner of a store: checks the client and options once, then sends commands with a deadline. */
export function commandRunner(client: RedisClientLike, options: RedisStoreOptions, defaultPrefix: string) {
  if (typeof client?.sendCommand !== 'function')
    throw new MsgkitError('A connected node-redis client is required: const redis = await createClient({ url }).connect()');
  if (options === null || typeof options !== 'object') throw new MsgkitError('Redis store options must be an object');
  const prefix = options.prefix ?? defaultPrefix;
  if (typeof prefix !== 'string') throw new MsgkitError(`prefix must be a string, got ${JSON.stringify(prefix)}`);
  const timeoutMs = options.timeoutMs === undefined ? DEFAULT_REDIS_TIMEOUT_MS : milliseconds(options.timeoutMs, 'timeoutMs');

  /** Sends one command; rejects with `RedisStoreError` (naming `what`) on a client error or after `timeoutMs`. */
  async function run(what: string, args: string[]): Promise<unknown> {
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new RedisStoreError(`Redis store: ${what} got no answer from Redis within ${timeoutMs} ms`));
        // Drops the command if it still waits in the client's offline queue, so it does not run late.
        abort.abort();
      }, timeoutMs);
    });
    try {
      return await Promise.race([client.sendCommand(args, { abortSignal: abort.signal, signal: abort.signal }), deadline]);
    } catch (error) {
      if (error instanceof RedisStoreError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new RedisStoreError(`Redis store: ${what} failed: ${reason}`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  return { prefix, run };
}
