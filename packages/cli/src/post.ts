import { performance } from 'node:perf_hooks';
import pkg from '../package.json' with { type: 'json' };

/** What an endpoint answered to one POSTed event. */
export interface PostResult {
  /** HTTP status, or undefined when the endpoint could not be reached. */
  status: number | undefined;
  /** Milliseconds from sending to the end of the answer. */
  ms: number;
  /** The answer's body (at most 500 characters), or why the request failed. */
  detail: string;
}

/** Default time an endpoint has to answer, like a provider's delivery timeout. */
export const POST_TIMEOUT_MS = 10_000;

/** True when `url` names this machine: 127.0.0.0/8, `localhost` or `[::1]`. */
export function isLoopback(url: string): boolean {
  const host = URL.canParse(url) ? new URL(url).hostname : '';
  return host === 'localhost' || host === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/** Options of `postEvent`. */
export interface PostOptions {
  /** Time the endpoint has to answer, in milliseconds (default `POST_TIMEOUT_MS`). */
  timeoutMs?: number;
  /** Refuse URLs that are not on this machine (the mock's own deliveries: their URLs come from request bodies). */
  loopbackOnly?: boolean;
}

/** POSTs one event body as JSON with the given extra headers, and reports the status and latency. Never throws. */
export async function postEvent(url: string, body: string, headers: Record<string, string>, options: PostOptions = {}): Promise<PostResult> {
  const started = performance.now();
  if (options.loopbackOnly && !isLoopback(url)) {
    return { status: undefined, ms: 0, detail: 'not sent: the mock delivers only to 127.0.0.1, localhost and [::1]' };
  }
  const timeoutMs = options.timeoutMs ?? POST_TIMEOUT_MS;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'User-Agent': `msgkit-cli/${pkg.version}`, ...headers },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    return { status: response.status, ms: performance.now() - started, detail: text.slice(0, 500) };
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : error instanceof Error ? error.message : String(error);
    return { status: undefined, ms: performance.now() - started, detail: cause };
  }
}

/** `200 12 ms` or `no answer (ECONNREFUSED) 3 ms`, for the terminal. */
export function describeResult(result: PostResult): string {
  const ms = `${Math.round(result.ms)} ms`;
  if (result.status === undefined) return `no answer (${result.detail}) ${ms}`;
  const ok = result.status >= 200 && result.status < 300;
  return `${result.status} ${ms}${ok || result.detail === '' ? '' : `  ${result.detail.replace(/\s+/g, ' ').slice(0, 200)}`}`;
}

/** True for a 2xx answer. */
export const accepted = (result: PostResult) => result.status !== undefined && result.status >= 200 && result.status < 300;
