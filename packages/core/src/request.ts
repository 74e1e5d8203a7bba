/**
 * The request object openapi-fetch builds for each call (its `Request` option): the url, method, headers,
 * signal and the serialized body, without the WHATWG `Request` (no body stream, no signal wiring).
 * The retry loop sends it through the transport; a real `Request` is built only for user middleware,
 * a user authenticator or a user `fetch`.
 */
export class LightRequest {
  /** Absolute URL. */
  declare url: string;
  /** Upper-case HTTP method. */
  declare method: string;
  /** Request headers. */
  declare headers: Headers;
  /** The body as openapi-fetch serialized it (a JSON string, FormData, …), or null. */
  declare body: BodyInit | null;
  /** The caller's signal, when the call passed one. */
  declare signal: AbortSignal | undefined;
  /** Redirect mode, as fetch reads it. */
  declare redirect: RequestRedirect;

  constructor(input: string | URL, init: RequestInit = {}) {
    this.url = String(input);
    this.method = (init.method ?? 'GET').toUpperCase();
    // openapi-fetch passes a Headers of its own, made for this call: kept, not copied.
    this.headers = init.headers instanceof Headers ? init.headers : new Headers(init.headers);
    this.body = init.body ?? null;
    this.signal = init.signal ?? undefined;
    this.redirect = init.redirect ?? 'follow';
  }
}

/** The own fields of a `LightRequest`: openapi-fetch copies every other call option onto the request beside them. */
export const LIGHT_REQUEST_FIELDS: ReadonlySet<string> = new Set(['url', 'method', 'headers', 'body', 'signal', 'redirect']);

/** What msgkit's waits and undici's dispatcher API read from a signal: an `AbortSignal`, or the Node entry's lighter attempt signal (attempt-node.ts). */
export interface SignalLike {
  /** True once aborted. */
  readonly aborted: boolean;
  /** Why it aborted. */
  readonly reason: unknown;
  /** Calls `listener` once when it aborts. */
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  /** Removes a listener. */
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** A real `AbortSignal` that follows `signal` (itself when it is one). */
export function toAbortSignal(signal: SignalLike): AbortSignal {
  if (signal instanceof AbortSignal) return signal;
  const controller = new AbortController();
  if (signal.aborted) controller.abort(signal.reason);
  else signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true });
  return controller.signal;
}

/** One attempt as a transport sends it: the body already bytes or a string, the signal the attempt's own. */
export interface OutgoingRequest {
  /** Absolute URL, credentials of query auth included. */
  url: string;
  /** Upper-case HTTP method. */
  method: string;
  /** The call's headers: the built-in authenticators set theirs on them again at each attempt, any other gets a copy in a `Request`. */
  headers: Headers;
  /** The serialized body, read once for the whole call. */
  body: string | Uint8Array | null;
  /** Aborts on the caller's signal or the call's deadline (`toAbortSignal` turns it into an `AbortSignal`). */
  signal: SignalLike;
  /** Redirect mode: follow (default), manual or error. */
  redirect: RequestRedirect;
}

/**
 * Sends one attempt and resolves its response with the whole body already read (at most `maxResponseBytes`;
 * past it `ResponseTooLargeError`), so a reset mid-body fails inside the attempt, and rejects as soon as the
 * request's signal aborts. `what()` names the request in errors, credentials redacted (computed only when needed).
 */
export type Transport = (request: OutgoingRequest, maxResponseBytes: number, what: () => string) => Promise<Response>;

/** The attempt as fetch's `RequestInit`. */
export function requestInit(request: OutgoingRequest): RequestInit {
  // A Uint8Array body goes in as a Blob: Node 20's fetch detaches an ArrayBuffer on the first send, so a 307/308 could not re-send it.
  const body = request.body instanceof Uint8Array ? new Blob([request.body as Uint8Array<ArrayBuffer>]) : request.body;
  const { method, headers, redirect } = request;
  return { method, headers, body, signal: toAbortSignal(request.signal), redirect };
}

/** A real `Request` for the attempt: what a user `fetch` and a user authenticator receive. */
export function toRequest(request: OutgoingRequest): Request {
  return new Request(request.url, requestInit(request));
}
