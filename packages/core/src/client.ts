import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { Authenticator } from './auth.js';
import { apiErrorFor, ConnectionError, InvalidResponseError, MsgkitError } from './errors.js';
import { redactUrl, scrub } from './redact.js';

/** Options every provider factory (`createOllyClient`, …) accepts besides its credentials. */
export interface ClientOptions {
  /** Base URL of the API; defaults to the provider's production URL. Point it at a `msgkit mock` URL for local work. */
  baseUrl?: string;
  /** fetch implementation (defaults to `globalThis.fetch`): inject one in tests or to add a proxy. */
  fetch?: (request: Request) => Promise<Response>;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
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

/** Sends a request with credentials, and once more with fresh ones after a 401 when the authenticator allows it. */
function authenticatedFetch(auth: Authenticator, send: (request: Request) => Promise<Response>) {
  return async (request: Request): Promise<Response> => {
    const spare = auth.onUnauthorized ? request.clone() : undefined;
    const response = await send(await auth.apply(request));
    if (response.status === 401 && spare && (await auth.onUnauthorized?.())) {
      return send(await auth.apply(spare));
    }
    return response;
  };
}

/** Turns network failures into `ConnectionError`, with credentials scrubbed from the message. */
function connectionErrors(auth: Authenticator, send: (request: Request) => Promise<Response>) {
  return async (request: Request): Promise<Response> => {
    try {
      return await send(request);
    } catch (cause) {
      if (cause instanceof MsgkitError) throw cause;
      const reason = cause instanceof Error ? (cause.cause instanceof Error ? cause.cause.message : cause.message) : String(cause);
      throw new ConnectionError(scrub(`${request.method} ${redactUrl(request.url)} failed: ${reason}`, auth.secrets));
    }
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

/** Throws a typed `ApiError` for non-2xx responses and `InvalidResponseError` for 2xx JSON that does not parse. */
function errorMiddleware(auth: Authenticator): Middleware {
  return {
    async onResponse({ request, response }) {
      const url = redactUrl(request.url);
      if (!response.ok) {
        const body = await readBody(response);
        const scrubbed = typeof body === 'string' ? scrub(body, auth.secrets) : body;
        throw apiErrorFor({ status: response.status, headers: response.headers, body: scrubbed, method: request.method, url });
      }
      const type = response.headers.get('content-type') ?? '';
      if (!/json/i.test(type)) return undefined;
      const text = await response.clone().text();
      if (text === '') return undefined;
      try {
        JSON.parse(text);
      } catch {
        throw new InvalidResponseError(`${request.method} ${url} answered ${response.status} with invalid JSON`);
      }
      return undefined;
    },
  };
}

/**
 * Creates an openapi-fetch client typed by a provider's generated `paths`, with authentication and
 * typed errors: non-2xx responses throw an `ApiError` subclass, so `data` is set whenever a call returns.
 */
export function createProviderClient<Paths extends {}>(options: ProviderClientOptions): ProviderClient<Paths> {
  if (!options || typeof options !== 'object') throw new MsgkitError('options are required');
  if (!options.auth || typeof options.auth.apply !== 'function') throw new MsgkitError('auth is required');
  const baseUrl = validateBaseUrl(options.baseUrl);
  const base = options.fetch ?? ((request: Request) => globalThis.fetch(request));
  const send = connectionErrors(options.auth, authenticatedFetch(options.auth, base));
  const client = createClient<Paths>({ baseUrl, fetch: send, headers: options.headers });
  client.use(errorMiddleware(options.auth));
  return client as ProviderClient<Paths>;
}
