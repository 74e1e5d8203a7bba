import type { Controller } from './attempt.js';
import { AbortedError, ConnectionError, MsgkitError, TimeoutError } from './errors.js';
import { closest } from './options.js';
import { redactUrl, scrub } from './redact.js';
import { LIGHT_REQUEST_FIELDS, LightRequest, type OutgoingRequest, type SignalLike, type Transport } from './request.js';
import { backoffMs, isIdempotent, isRetryableStatus, MAX_SERVER_DELAY_MS, neverReachedServer, serverDelayMs } from './retry.js';

/** What `onRequest` receives before every attempt. Nothing in it carries credentials. */
export interface RequestEvent {
  /** HTTP method. */
  method: string;
  /** Request URL with credential-bearing query parameters redacted. */
  url: string;
  /** 1 for the first attempt, 2 for the first retry, … */
  attempt: number;
}

/** What `onResponse` receives after every attempt, whether it got a response or failed. */
export interface ResponseEvent extends RequestEvent {
  /** HTTP status, or undefined when no response arrived. */
  status: number | undefined;
  /** Time from the start of the attempt to its full response body (or its failure), in milliseconds. */
  durationMs: number;
  /** Why the attempt failed without a response (`ConnectionError`, `TimeoutError`, …). */
  error: MsgkitError | undefined;
  /** Wait before the next attempt, or undefined when this attempt is the last. */
  retryDelayMs: number | undefined;
}

/** Which hook threw, and for which attempt: what `onHookError` receives besides the error. */
export interface HookErrorEvent extends RequestEvent {
  /** The hook that threw. */
  hook: 'onRequest' | 'onResponse';
}

/** Time and randomness of the retry loop; replace them in tests. */
export interface Clock {
  /** Current time in milliseconds. */
  now(): number;
  /** Resolves after `ms` milliseconds; rejects with `signal.reason` when `signal` aborts first. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  /** A number in [0, 1): the jitter of the backoff. */
  random(): number;
}

/** Per-call overrides: pass them in the call's options, e.g. `client.POST(path, { body, maxRetries: 0 })`. */
export interface CallOptions {
  /** Retries of this call (overrides the client's `maxRetries`). */
  maxRetries?: number;
  /** Deadline of this call in milliseconds (overrides the client's `timeout`). */
  timeout?: number;
  /** Treat this call as idempotent (safe to re-send after any failure), e.g. a POST that only reads. */
  idempotent?: boolean;
  /** Cancels the call; it then rejects with `AbortedError`. */
  signal?: AbortSignal;
}

/** What the retry loop needs: one attempt (auth included), the client's settings, hooks and clock. */
export interface RetryConfig {
  /** One attempt: auth applied, sent through the transport, the body read (under `maxResponseBytes`); rejects as soon as the request's signal aborts. */
  attempt: Transport;
  secrets: readonly string[];
  maxRetries: number;
  timeout: number;
  onRequest: ((event: RequestEvent) => void) | undefined;
  onResponse: ((event: ResponseEvent) => void) | undefined;
  onHookError: (error: unknown, event: HookErrorEvent) => void;
  maxResponseBytes: number;
  clock: Clock;
  /** Makes each attempt's signal (the entry's: light on Node, an AbortController on the edge). */
  control: Controller;
}

/** Waits at least `ms` by `Date.now()` (timers may fire a millisecond early), unless `signal` aborts first. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  const until = Date.now() + ms;
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const wait = () => {
      const left = until - Date.now();
      if (left <= 0) {
        signal.removeEventListener('abort', onAbort);
        resolve();
      } else timer = setTimeout(wait, left);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    wait();
  });
}

/** A signal that never aborts: what `clock.sleep` gets when the caller passed none (made on first use: workerd forbids it at load). */
let never: AbortSignal | undefined;
const neverAborts = (): AbortSignal => {
  never ??= new AbortController().signal;
  return never;
};

/** The real clock. */
export const systemClock: Clock = { now: () => Date.now(), sleep, random: () => Math.random() };

/** Validates `maxRetries`: a non-negative integer. */
export function checkMaxRetries(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new MsgkitError(`maxRetries must be a non-negative integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Validates `timeout`: a positive number of milliseconds (`Infinity` for none). */
export function checkTimeout(value: unknown): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) {
    throw new MsgkitError(`timeout must be a positive number of milliseconds, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Settles like `promise`, or rejects with `signal.reason` as soon as `signal` aborts (even when `promise` never settles). */
export function untilAborted<T>(promise: Promise<T>, signal: SignalLike): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Runs a hook; what it throws goes to `onHookError` and never changes the call's outcome (the request may already be out). */
function runHook<E extends RequestEvent>(hook: ((event: E) => void) | undefined, event: E, name: HookErrorEvent['hook'], config: RetryConfig): void {
  if (hook === undefined) return;
  try {
    hook(event);
  } catch (error) {
    try {
      config.onHookError(error, { hook: name, method: event.method, url: event.url, attempt: event.attempt });
    } catch {
      // A failing error reporter has nowhere left to report to; the call's outcome stands.
    }
  }
}

/** The keys of `CallOptions` that openapi-fetch leaves on the request (the signal is the request's own). */
const CALL_OPTION_NAMES = ['maxRetries', 'timeout', 'idempotent'] as const satisfies readonly (keyof CallOptions)[];

function callSettings(request: Request | LightRequest, config: RetryConfig) {
  const own = request as unknown as Record<string, unknown>;
  // openapi-fetch leaves every key it does not know on the request: one that is a typo of ours would be ignored.
  for (const key of Object.keys(own)) {
    if (LIGHT_REQUEST_FIELDS.has(key) && request instanceof LightRequest) continue;
    const guess = (CALL_OPTION_NAMES as readonly string[]).includes(key) ? undefined : closest(key, CALL_OPTION_NAMES);
    if (guess !== undefined) throw new MsgkitError(`unknown call option "${key}" (did you mean ${guess}?)`);
  }
  return {
    maxRetries: own.maxRetries === undefined ? config.maxRetries : checkMaxRetries(own.maxRetries),
    timeout: own.timeout === undefined ? config.timeout : checkTimeout(own.timeout),
    idempotent: typeof own.idempotent === 'boolean' ? own.idempotent : isIdempotent(request.method),
  };
}

/** The call as every attempt re-sends it: the body read once (bytes or a string), the headers before auth. */
type Prepared = Omit<OutgoingRequest, 'signal'>;

/** Reads the call's body once: a string stays as is, anything else (FormData, a stream, …) becomes bytes. */
function prepare(request: Request | LightRequest): Prepared | Promise<Prepared> {
  const { url, method, redirect } = request;
  if (request instanceof LightRequest && (request.body === null || typeof request.body === 'string' || request.body instanceof Uint8Array)) {
    return { url, method, redirect, headers: request.headers, body: request.body };
  }
  // A real Request (user middleware), or a body only fetch knows how to serialize: let a Request do it, Content-Type included.
  const real = request instanceof LightRequest ? new Request(url, { method, headers: request.headers, body: request.body }) : request;
  if (real.body === null) return { url, method, redirect, headers: real.headers, body: null };
  return real.arrayBuffer().then((bytes) => ({ url, method, redirect, headers: real.headers, body: new Uint8Array(bytes) }));
}

/**
 * Wraps one attempt into the full call: the call's deadline and the caller's signal, retries by the policy
 * in the README (network errors, 408, 409, 429, 5xx; non-idempotent requests only when they never reached the
 * server or on 429), `Retry-After`/`X-RateLimit-Reset`, hooks. The redacted URL is computed only when an
 * error or a hook needs it.
 */
export function retryingFetch(config: RetryConfig): (request: Request | LightRequest) => Promise<Response> {
  const { clock, secrets } = config;
  return async (request) => {
    const { maxRetries, timeout, idempotent } = callSettings(request, config);
    const method = request.method;
    let redacted: string | undefined;
    const url = () => (redacted ??= scrub(redactUrl(request.url), secrets));
    const what = () => `${method} ${url()}`;
    const caller = request.signal;
    const deadline = clock.now() + timeout;
    const aborted = () => new AbortedError(`${what()} was cancelled by the caller`, { cause: caller?.reason });
    const timedOut = () => new TimeoutError(`${what()} timed out after ${timeout} ms`);
    const preparing = prepare(request);
    const prepared = preparing instanceof Promise ? await preparing : preparing;

    for (let attempt = 1; ; attempt++) {
      if (caller?.aborted) throw aborted();
      if (clock.now() >= deadline) throw timedOut();
      if (config.onRequest) runHook(config.onRequest, { method, url: url(), attempt }, 'onRequest', config);
      const started = clock.now();
      const control = config.control(caller, deadline - started);
      let response: Response | undefined;
      let error: MsgkitError | undefined;
      let resend = false;
      try {
        const answer = await config.attempt({ ...prepared, signal: control.signal }, config.maxResponseBytes, what);
        // An attempt that ends as its signal aborts still counts as aborted, as it would have had it lost the race.
        if (control.signal.aborted) throw control.signal.reason;
        response = answer;
      } catch (cause) {
        error = control.timedOut() ? timedOut() : caller?.aborted ? aborted() : cause instanceof MsgkitError ? cause : connectionError(what(), cause, secrets);
        // A failed connection is worth another attempt when the request is idempotent or provably never reached the server.
        resend = error instanceof ConnectionError && (idempotent || (error !== cause && neverReachedServer(cause)));
      } finally {
        control.dispose();
      }

      let delay =
        attempt > maxRetries ? undefined : response ? answerDelay(response, idempotent, attempt, clock) : resend ? backoffMs(attempt, clock.random) : undefined;
      if (delay !== undefined && clock.now() + delay >= deadline) delay = undefined;
      if (config.onResponse) {
        const event = { method, url: url(), attempt, status: response?.status, durationMs: clock.now() - started, error, retryDelayMs: delay };
        runHook(config.onResponse, event, 'onResponse', config);
      }
      if (delay === undefined) {
        if (error) throw error;
        return response as Response;
      }
      try {
        await clock.sleep(delay, caller ?? neverAborts());
      } catch {
        throw aborted();
      }
    }
  };
}

function connectionError(what: string, cause: unknown, secrets: readonly string[]): ConnectionError {
  const reason = cause instanceof Error ? (cause.cause instanceof Error ? cause.cause.message : cause.message) : String(cause);
  return new ConnectionError(scrub(`${what} failed: ${reason}`, secrets));
}

/** The wait before re-sending after an answer, or undefined when the answer is final (the call's deadline is checked by the caller). */
function answerDelay(response: Response, idempotent: boolean, attempt: number, clock: Clock): number | undefined {
  const { status } = response;
  // A non-idempotent request that got an answer reached the server: only a 429 proves it was not acted on.
  if (response.ok || !isRetryableStatus(status) || (!idempotent && status !== 429)) return undefined;
  const asked = serverDelayMs(response, clock.now());
  return asked === undefined ? backoffMs(attempt, clock.random) : asked > MAX_SERVER_DELAY_MS ? undefined : asked;
}
