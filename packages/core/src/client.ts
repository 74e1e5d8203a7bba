import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { Authenticator } from './auth.js';
import { checkMaxResponseBytes, DEFAULT_MAX_RESPONSE_BYTES } from './body.js';
import { apiErrorFor, InvalidResponseError, MsgkitError } from './errors.js';
import { checkOptionNames } from './options.js';
import { redactUrl, scrub, scrubDeep, scrubHeaders } from './redact.js';
import { DEFAULT_MAX_RETRIES } from './retry.js';
import { type Clock, checkMaxRetries, checkTimeout, type HookErrorEvent, type RequestEvent, type ResponseEvent, retryingFetch, systemClock } from './send.js';
import type { ProviderClient } from './types.js';

/** Deadline of a call when neither the client nor the call sets `timeout`: one minute. */
export const DEFAULT_TIMEOUT_MS = 60_000;

/** Options every provider factory (`createOllyClient`, …) accepts besides its credentials. */
export interface ClientOptions {
  /** Base URL of the API; defaults to the provider's production URL. Point it at a `msgkit mock` URL for local work. */
  baseUrl?: string;
  /** fetch implementation (defaults to `globalThis.fetch`): inject one in tests or to add a proxy. */
  fetch?: (request: Request) => Promise<Response>;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  /**
   * Retries after network errors, 408, 409, 429 and 5xx (default 2; 0 turns retries off). POST and PATCH are
   * retried only when they never reached the server or got a 429: see the retry policy in the core README.
   * Override per call: `client.POST(path, { body, maxRetries: 0 })`.
   */
  maxRetries?: number;
  /** Deadline of a whole call in milliseconds, retries and waits included (default 60 000); per call: `{ timeout }`. */
  timeout?: number;
  /** Called before every attempt with the method, the redacted URL and the attempt number. */
  onRequest?: (event: RequestEvent) => void;
  /** Called after every attempt with its status (or error), duration and the delay before the next attempt. */
  onResponse?: (event: ResponseEvent) => void;
  /** Gets what `onRequest` or `onResponse` threw (default `console.error`); a hook error never changes the call's outcome. */
  onHookError?: (error: unknown, event: HookErrorEvent) => void;
  /** Largest response body read, in bytes (default 8 MiB); past it the call fails with `ResponseTooLargeError`. */
  maxResponseBytes?: number;
  /** Time, sleep and jitter of the retry loop: replace them in tests. */
  clock?: Partial<Clock>;
}

/** The keys of `ClientOptions`, for the run-time check of option names (a type test keeps the two equal). */
export const CLIENT_OPTION_NAMES = [
  'baseUrl',
  'fetch',
  'headers',
  'maxRetries',
  'timeout',
  'onRequest',
  'onResponse',
  'onHookError',
  'maxResponseBytes',
  'clock',
] as const satisfies readonly (keyof ClientOptions)[];

/** Options of `createProviderClient`: the common options plus a required base URL and an authenticator. */
export interface ProviderClientOptions extends ClientOptions {
  /** Base URL of the API. */
  baseUrl: string;
  /** How requests are authenticated. */
  auth: Authenticator;
}

/** Refuses a URL that is not absolute or that carries `user:pass@`, without echoing the credentials. */
export function checkUrl(url: unknown, name: string): string {
  if (typeof url !== 'string' || url === '') throw new MsgkitError(`${name} is required`);
  if (!URL.canParse(url)) throw new MsgkitError(`${name} must be an absolute URL, got "${redactUrl(url)}"`);
  const { username, password } = new URL(url);
  if (username !== '' || password !== '') {
    throw new MsgkitError(`${name} must not carry credentials (user:pass@), got "${redactUrl(url)}": pass them through the auth options`);
  }
  return url;
}

function checkFunction<T>(value: T | undefined, name: string): T | undefined {
  if (value !== undefined && typeof value !== 'function') throw new MsgkitError(`${name} must be a function`);
  return value;
}

function clockOf(clock: Partial<Clock> = {}): Clock {
  return {
    now: checkFunction(clock.now, 'clock.now') ?? systemClock.now,
    sleep: checkFunction(clock.sleep, 'clock.sleep') ?? systemClock.sleep,
    random: checkFunction(clock.random, 'clock.random') ?? systemClock.random,
  };
}

/** Sends a request with credentials, and once more with fresh ones after a 401 when the authenticator allows it. */
function authenticatedFetch(auth: Authenticator, send: (request: Request) => Promise<Response>) {
  return async (request: Request): Promise<Response> => {
    const spare = auth.onUnauthorized ? request.clone() : undefined;
    const sent = await auth.apply(request);
    const response = await send(sent);
    if (response.status === 401 && spare && (await auth.onUnauthorized?.(sent))) {
      return send(await auth.apply(spare));
    }
    return response;
  };
}

async function parseBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Throws a typed `ApiError` for non-2xx responses, with every credential scrubbed from its URL, headers and body. */
function errorMiddleware(auth: Authenticator): Middleware {
  return {
    async onResponse({ request, response }) {
      if (!response.ok) {
        const { secrets } = auth;
        const url = scrub(redactUrl(request.url), secrets);
        const body = scrubDeep(await parseBody(response), secrets);
        throw apiErrorFor({ status: response.status, headers: scrubHeaders(response.headers, secrets), body, method: request.method, url });
      }
      return undefined;
    },
  };
}

const METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE'] as const;

/** The InvalidResponseError for the SyntaxError of JSON.parse, without V8's quote of the body (which may hold a credential). */
function invalidJson(method: string, path: string, error: SyntaxError, secrets: readonly string[]): InvalidResponseError {
  const reason = scrub(error.message.replace(/,?\s*".*$/s, ''), secrets);
  return new InvalidResponseError(`${method.toUpperCase()} ${path} answered with a body that is not valid JSON (${reason})`);
}

/**
 * Turns the SyntaxError openapi-fetch throws for a 2xx answer that is not valid JSON into
 * `InvalidResponseError` (cheaper than parsing every answer twice to find out first), for the method
 * calls and for `client.request(method, path, init)`.
 */
function withInvalidJsonErrors<C extends Client<any, any>>(client: C, secrets: readonly string[]): C {
  const rethrow = (method: string, path: string) => (error: unknown) => {
    throw error instanceof SyntaxError ? invalidJson(method, path, error, secrets) : error;
  };
  const target = client as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const method of METHODS) {
    const call = target[method] as (path: string, init?: unknown) => Promise<unknown>;
    target[method] = (path, init) => call(path as string, init).catch(rethrow(method, path as string));
  }
  const request = target.request as (method: string, path: string, init?: unknown) => Promise<unknown>;
  target.request = (method, path, init) => request(method as string, path as string, init).catch(rethrow(method as string, path as string));
  return client;
}

const reportHookError = (error: unknown, event: HookErrorEvent) =>
  console.error(`msgkit: the ${event.hook} hook threw for ${event.method} ${event.url} (attempt ${event.attempt}); the call went on`, error);

/**
 * Creates an openapi-fetch client typed by a provider's generated `paths`, with authentication, retries,
 * a deadline per call, hooks and typed errors: non-2xx responses throw an `ApiError` subclass, so `data`
 * is set whenever a call returns. Per call, `{ maxRetries, timeout, idempotent, signal }` override the client.
 */
export function createProviderClient<Paths extends {}>(options: ProviderClientOptions): ProviderClient<Paths> {
  if (!options || typeof options !== 'object') throw new MsgkitError('options are required');
  checkOptionNames(options, [...CLIENT_OPTION_NAMES, 'auth'], 'createProviderClient');
  if (!options.auth || typeof options.auth.apply !== 'function') throw new MsgkitError('auth is required');
  const baseUrl = checkUrl(options.baseUrl, 'baseUrl').replace(/\/+$/, '');
  const base = checkFunction(options.fetch, 'fetch') ?? ((request: Request) => globalThis.fetch(request));
  const send = retryingFetch({
    attempt: authenticatedFetch(options.auth, base),
    secrets: options.auth.secrets,
    maxRetries: checkMaxRetries(options.maxRetries ?? DEFAULT_MAX_RETRIES),
    timeout: checkTimeout(options.timeout ?? DEFAULT_TIMEOUT_MS),
    onRequest: checkFunction(options.onRequest, 'onRequest'),
    onResponse: checkFunction(options.onResponse, 'onResponse'),
    onHookError: checkFunction(options.onHookError, 'onHookError') ?? reportHookError,
    maxResponseBytes: checkMaxResponseBytes(options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES),
    clock: clockOf(options.clock),
  });
  const client = createClient<Paths>({ baseUrl, fetch: send, headers: options.headers });
  client.use(errorMiddleware(options.auth));
  return withInvalidJsonErrors(client, options.auth.secrets) as unknown as ProviderClient<Paths>;
}
