import { parseRetryAfter } from './errors.js';

/** Retries after the first attempt, unless the client or the call says otherwise. */
export const DEFAULT_MAX_RETRIES = 2;
/** First backoff ceiling: attempt n waits a random time up to `min(8 s, 0.5 s × 2^(n-1))` (full jitter). */
export const INITIAL_RETRY_DELAY_MS = 500;
/** Largest backoff ceiling. */
export const MAX_RETRY_DELAY_MS = 8_000;
/** A `Retry-After` or `X-RateLimit-Reset` longer than this is not waited for: the error is thrown instead. */
export const MAX_SERVER_DELAY_MS = 60_000;

/** Methods that RFC 9110 defines as idempotent: sending them twice has the effect of sending them once. */
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

/** Error codes of failures before any byte reached the server (Node/undici, Bun). */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_NONAME',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'ConnectionRefused',
  'FailedToOpenSocket',
]);

/** True for methods that may be re-sent after any failure. */
export function isIdempotent(method: string): boolean {
  return IDEMPOTENT_METHODS.has(method.toUpperCase());
}

/** True for the statuses worth another attempt: 408, 409, 429 and 5xx. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/**
 * True when a fetch failure provably happened before the request reached the server: the connection was
 * refused, DNS failed, or no route or connection could be made. Anything else (a reset, a timeout after
 * connecting, an unknown runtime error) may have been received and acted on.
 */
export function neverReachedServer(error: unknown, depth = 0): boolean {
  if (depth > 4 || error === null || typeof error !== 'object') return false;
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string' && NOT_SENT_CODES.has(code)) return true;
  // Happy eyeballs: every address refused.
  if (Array.isArray(errors) && errors.length > 0 && errors.every((e) => neverReachedServer(e, depth + 1))) return true;
  return neverReachedServer(cause, depth + 1);
}

/** The backoff before retry number `retry` (1-based): full jitter over an exponentially growing ceiling. */
export function backoffMs(retry: number, random: () => number): number {
  const ceiling = Math.min(MAX_RETRY_DELAY_MS, INITIAL_RETRY_DELAY_MS * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}

/**
 * How long the server asked us to wait, in milliseconds: `Retry-After` (seconds or HTTP date), else on a
 * 429 `X-RateLimit-Reset` (epoch seconds, as Amio sends; values below 10^9 are read as seconds from now).
 */
export function serverDelayMs(response: Response, now: number): number | undefined {
  const retryAfter = parseRetryAfter(response.headers.get('retry-after'), now);
  if (retryAfter !== undefined) return retryAfter;
  if (response.status !== 429) return undefined;
  const reset = response.headers.get('x-ratelimit-reset');
  if (reset === null || !/^\s*\d+(\.\d+)?\s*$/.test(reset)) return undefined;
  const value = Number(reset);
  const ms = value < 1e9 ? value * 1000 : value * 1000 - now;
  return ms > 0 ? Math.ceil(ms) : undefined;
}
