import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { Dispatcher } from 'undici';
import type { Controller } from './attempt.js';
import { type Authenticator, isBuiltInAuth, sendOwnRequestsThrough } from './auth.js';
import { checkMaxResponseBytes, DEFAULT_MAX_RESPONSE_BYTES } from './body.js';
import { type ApiError, type ApiErrorInit, apiErrorFor, InvalidResponseError, MsgkitError } from './errors.js';
import { checkOptionNames } from './options.js';
import { redactUrl, scrub, scrubHeaders } from './redact.js';
import { LightRequest, type OutgoingRequest, type Transport, toRequest } from './request.js';
import { DEFAULT_MAX_RETRIES } from './retry.js';
import {
  type Clock,
  checkMaxRetries,
  checkTimeout,
  type HookErrorEvent,
  type RequestEvent,
  type ResponseEvent,
  retryingFetch,
  systemClock,
  untilAborted,
} from './send.js';
import { fetchTransport } from './transport.js';
import type { ProviderClient } from './types.js';

/** Deadline of a call when neither the client nor the call sets `timeout`: one minute. */
export const DEFAULT_TIMEOUT_MS = 60_000;

/** Options every provider factory (`createOllyClient`, …) accepts besides its credentials. */
export interface ClientOptions {
  /** Base URL of the API; defaults to the provider's production URL. Point it at a `msgkit mock` URL for local work. */
  baseUrl?: string;
  /** fetch to send every request through (a real `Request` per attempt), instead of the entry's transport: inject one in tests. */
  fetch?: (request: Request) => Promise<Response>;
  /** Node only: the undici `Agent`, `ProxyAgent`, `MockAgent` or other Dispatcher requests (the OAuth token request included) go through; not with `fetch`. */
  transport?: Dispatcher;
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
  'transport',
] as const satisfies readonly (keyof ClientOptions)[];

/** Options of `createProviderClient`: the common options plus a required base URL and an authenticator. */
export interface ProviderClientOptions extends ClientOptions {
  /** Base URL of the API. */
  baseUrl: string;
  /** How requests are authenticated. */
  auth: Authenticator;
  /** Builds the error a non-2xx answer throws (default `apiErrorFor`): a provider whose errors carry more (Amio's rate-limit headers) returns its subclass. */
  apiError?: (init: ApiErrorInit<unknown>) => ApiError;
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

/**
 * The attempt with credentials: built-in authenticators set them on the light request (the same values at every
 * attempt); any other gets a real `Request`, and is not waited for past the attempt's signal.
 */
function authorized(auth: Authenticator, builtIn: boolean, request: OutgoingRequest): OutgoingRequest | Promise<OutgoingRequest> {
  if (builtIn) return auth.apply(request as unknown as Request) as unknown as OutgoingRequest | Promise<OutgoingRequest>;
  const real = untilAborted(Promise.resolve(auth.apply(toRequest(request))), request.signal);
  return real.then(({ url, method, headers }) => ({ ...request, url, method, headers }));
}

/** Sends an attempt with credentials, and once more with fresh ones after a 401 when the authenticator allows it. */
function authenticatedAttempt(auth: Authenticator, transport: Transport): Transport {
  const builtIn = isBuiltInAuth(auth);
  return async (request, maxResponseBytes, what) => {
    const spare = auth.onUnauthorized ? { ...request, headers: new Headers(request.headers) } : undefined;
    const sent = await authorized(auth, builtIn, request);
    const response = await transport(sent, maxResponseBytes, what);
    if (response.status === 401 && spare && (await auth.onUnauthorized?.(builtIn ? (sent as unknown as Request) : toRequest(sent)))) {
      return transport(await authorized(auth, builtIn, spare), maxResponseBytes, what);
    }
    return response;
  };
}

/** The body as text with every secret scrubbed (in any encoding, JSON escapes included), then parsed as JSON when it is JSON. */
async function parseBody(response: Response, secrets: readonly string[]): Promise<unknown> {
  const text = scrub(await response.text(), secrets);
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

type ErrorFactory = (init: ApiErrorInit<unknown>) => ApiError;

/** The typed `ApiError` for a non-2xx response, with every credential scrubbed from its URL, headers and body. */
async function apiError(auth: Authenticator, make: ErrorFactory, request: { url: string; method: string }, response: Response) {
  const { secrets } = auth;
  const url = scrub(redactUrl(request.url), secrets);
  const body = await parseBody(response, secrets);
  return make({ status: response.status, headers: scrubHeaders(response.headers, secrets), body, method: request.method, url });
}

/**
 * Throws the `ApiError` as middleware, once users register their own: their `onResponse` then still sees the
 * non-2xx response first (without user middleware, the client's fetch throws it directly).
 */
function errorMiddleware(auth: Authenticator, make: ErrorFactory): Middleware {
  return {
    async onResponse({ request, response }) {
      if (!response.ok) throw await apiError(auth, make, request, response);
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
 * Wraps the calls: the SyntaxError openapi-fetch throws for a 2xx answer that is not valid JSON becomes
 * `InvalidResponseError` (cheaper than parsing every answer twice to find out first), for the method calls
 * and for `client.request(method, path, init)`; and a call runs on real `Request`s once user middleware
 * is registered (on the client, or in the call's `middleware`), with the `ApiError` thrown by middleware.
 */
function wrapCalls<C extends Client<any, any>>(client: C, auth: Authenticator, make: ErrorFactory): C {
  const errors = errorMiddleware(auth, make);
  let userMiddleware = false;
  const withRequest = (init: { middleware?: Middleware[] } | undefined) => {
    const own = init?.middleware;
    if (own === undefined && !userMiddleware) return init;
    return { ...init, Request: globalThis.Request, middleware: own && !userMiddleware ? [errors, ...own] : own };
  };
  const target = client as unknown as Record<string, (...args: unknown[]) => unknown>;
  const request = target.request as (method: string, path: string, init?: unknown) => Promise<unknown>;
  const call = (method: string, path: string, init: { middleware?: Middleware[] } | undefined) =>
    request(method, path, withRequest(init)).catch((error: unknown) => {
      throw error instanceof SyntaxError ? invalidJson(method, path, error, auth.secrets) : error;
    });
  target.request = call as (...args: unknown[]) => unknown;
  // openapi-fetch's `GET(path, init)` is `request('GET', path, init)`: each method goes through the wrapped call.
  for (const method of METHODS) target[method] = (path, init) => call(method, path as string, init as { middleware?: Middleware[] } | undefined);
  const use = target.use as (...middleware: Middleware[]) => void;
  target.use = (...middleware) => {
    if (!userMiddleware) use(errors);
    userMiddleware = true;
    use(...(middleware as Middleware[]));
  };
  return client;
}

const reportHookError = (error: unknown, event: HookErrorEvent) =>
  console.error(`msgkit: the ${event.hook} hook threw for ${event.method} ${event.url} (attempt ${event.attempt}); the call went on`, error);

/** What an entry of core gives the client: its default transport, and how a `transport` option becomes one (Node only). */
export interface TransportChoice {
  /** Makes each attempt's signal: light where undici reads it (Node), an AbortController where fetch does. */
  control: Controller;
  /** The transport when neither `fetch` nor `transport` is given. */
  default: Transport;
  /** Turns the `transport` option into a transport (refusing what is not a Dispatcher); undefined where undici is not available. */
  fromDispatcher?: (dispatcher: Dispatcher) => Transport;
}

/** The client's transport: `fetch` (exactly today's path: a real Request per attempt), `transport` (an undici Dispatcher), or the entry's default. */
function transportOf(options: ProviderClientOptions, choice: TransportChoice): Transport {
  const fetch = checkFunction(options.fetch, 'fetch');
  if (fetch !== undefined && options.transport !== undefined) throw new MsgkitError('pass either fetch or transport, not both');
  if (fetch !== undefined) return fetchTransport(fetch);
  if (options.transport === undefined) return choice.default;
  if (choice.fromDispatcher === undefined) {
    throw new MsgkitError('transport (an undici Dispatcher) works only where @msgkit/core resolves its "node" entry; elsewhere pass fetch');
  }
  return choice.fromDispatcher(options.transport);
}

/**
 * Creates an openapi-fetch client typed by a provider's generated `paths`, with authentication, retries,
 * a deadline per call, hooks and typed errors: non-2xx responses throw an `ApiError` subclass, so `data`
 * is set whenever a call returns. Per call, `{ maxRetries, timeout, idempotent, signal }` override the client.
 * Entries call it with their transport (`index.ts`: fetch; `node.ts`: undici).
 */
export function createProviderClientWith<Paths extends {}>(options: ProviderClientOptions, choice: TransportChoice): ProviderClient<Paths> {
  if (!options || typeof options !== 'object') throw new MsgkitError('options are required');
  checkOptionNames(options, [...CLIENT_OPTION_NAMES, 'auth', 'apiError'], 'createProviderClient');
  const { auth } = options;
  if (!auth || typeof auth.apply !== 'function') throw new MsgkitError('auth is required');
  const baseUrl = checkUrl(options.baseUrl, 'baseUrl').replace(/\/+$/, '');
  const make = checkFunction(options.apiError, 'apiError') ?? apiErrorFor;
  const transport = transportOf(options, choice);
  // The OAuth token request goes through the same Dispatcher (a proxy, mTLS, a MockAgent) as the calls.
  if (options.transport !== undefined) sendOwnRequestsThrough(auth, transport);
  const send = retryingFetch({
    attempt: authenticatedAttempt(auth, transport),
    secrets: auth.secrets,
    maxRetries: checkMaxRetries(options.maxRetries ?? DEFAULT_MAX_RETRIES),
    timeout: checkTimeout(options.timeout ?? DEFAULT_TIMEOUT_MS),
    onRequest: checkFunction(options.onRequest, 'onRequest'),
    onResponse: checkFunction(options.onResponse, 'onResponse'),
    onHookError: checkFunction(options.onHookError, 'onHookError') ?? reportHookError,
    maxResponseBytes: checkMaxResponseBytes(options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES),
    clock: clockOf(options.clock),
    control: choice.control,
  });
  // Without user middleware the request is a LightRequest and non-2xx answers throw here; with it, errorMiddleware throws.
  const fetch = async (request: Request | LightRequest): Promise<Response> => {
    const response = await send(request);
    if (!response.ok && request instanceof LightRequest) throw await apiError(auth, make, request, response);
    return response;
  };
  const client = createClient<Paths>({
    baseUrl,
    fetch: fetch as (request: Request) => Promise<Response>,
    headers: options.headers,
    Request: LightRequest as unknown as typeof Request,
  });
  return wrapCalls(client, auth, make) as unknown as ProviderClient<Paths>;
}
