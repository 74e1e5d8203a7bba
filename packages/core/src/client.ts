import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { Authenticator } from './auth.js';
import { apiErrorFor, InvalidResponseError, MsgkitError } from './errors.js';
import { redactUrl, scrubDeep } from './redact.js';
import { DEFAULT_MAX_RETRIES } from './retry.js';
import { type Clock, checkMaxRetries, checkTimeout, type RequestEvent, type ResponseEvent, retryingFetch, systemClock } from './send.js';

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
  /** Time, sleep and jitter of the retry loop: replace them in tests. */
  clock?: Partial<Clock>;
}

/** Options of `createProviderClient`: the common options plus a required base URL and an authenticator. */
export interface ProviderClientOptions extends ClientOptions {
  /** Base URL of the API. */
  baseUrl: string;
  /** How requests are authenticated. */
  auth: Authenticator;
}

/** What a provider client is: an openapi-fetch client typed by the provider's generated `paths`. */
export type ProviderClient<Paths extends {}> = Client<Paths, `${string}/${string}`>;

function validateBaseUrl(baseUrl: unknown): string {
  if (typeof baseUrl !== 'string' || baseUrl === '') throw new MsgkitError('baseUrl is required');
  try {
    new URL(baseUrl);
  } catch {
    throw new MsgkitError(`baseUrl must be an absolute URL, got "${redactUrl(baseUrl)}"`);
  }
  return baseUrl.replace(/\/+$/, '');
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

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Throws a typed `ApiError` for non-2xx responses. */
function errorMiddleware(auth: Authenticator): Middleware {
  return {
    async onResponse({ request, response }) {
      if (!response.ok) {
        const url = redactUrl(request.url);
        const body = await readBody(response);
        const scrubbed = scrubDeep(body, auth.secrets);
        throw apiErrorFor({ status: response.status, headers: response.headers, body: scrubbed, method: request.method, url });
      }
      return undefined;
    },
  };
}

const METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE'] as const;

/**
 * Turns the SyntaxError openapi-fetch throws for a 2xx answer that is not valid JSON into
 * `InvalidResponseError` (cheaper than parsing every answer twice to find out first).
 */
function withInvalidJsonErrors<C extends Client<any, any>>(client: C): C {
  for (const method of METHODS) {
    const call = client[method] as (path: string, init?: unknown) => Promise<unknown>;
    (client as Record<string, unknown>)[method] = (path: string, init?: unknown) =>
      call(path, init).catch((error: unknown) => {
        if (error instanceof SyntaxError) throw new InvalidResponseError(`${method} ${path} answered with invalid JSON: ${error.message}`);
        throw error;
      });
  }
  return client;
}

/**
 * Creates an openapi-fetch client typed by a provider's generated `paths`, with authentication, retries,
 * a deadline per call, hooks and typed errors: non-2xx responses throw an `ApiError` subclass, so `data`
 * is set whenever a call returns. Per call, `{ maxRetries, timeout, idempotent, signal }` override the client.
 */
export function createProviderClient<Paths extends {}>(options: ProviderClientOptions): ProviderClient<Paths> {
  if (!options || typeof options !== 'object') throw new MsgkitError('options are required');
  if (!options.auth || typeof options.auth.apply !== 'function') throw new MsgkitError('auth is required');
  const baseUrl = validateBaseUrl(options.baseUrl);
  const base = checkFunction(options.fetch, 'fetch') ?? ((request: Request) => globalThis.fetch(request));
  const send = retryingFetch({
    attempt: authenticatedFetch(options.auth, base),
    secrets: options.auth.secrets,
    maxRetries: checkMaxRetries(options.maxRetries ?? DEFAULT_MAX_RETRIES),
    timeout: checkTimeout(options.timeout ?? DEFAULT_TIMEOUT_MS),
    onRequest: checkFunction(options.onRequest, 'onRequest'),
    onResponse: checkFunction(options.onResponse, 'onResponse'),
    clock: clockOf(options.clock),
  });
  const client = createClient<Paths>({ baseUrl, fetch: send, headers: options.headers });
  client.use(errorMiddleware(options.auth));
  return withInvalidJsonErrors(client) as ProviderClient<Paths>;
}
