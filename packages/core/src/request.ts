/**
 * The request object openapi-fetch builds for each call (its `Request` option): the url, method, headers,
 * signal and the serialized body, without the WHATWG `Request` (no body stream, no signal wiring).
 * The retry loop sends it through the transport; a real `Request` is built only for user middleware,
 * a user authenticator or a user `fetch`.
 */
export class LightRequest {
  /** Absolute URL. */
  url: string;
  /** Upper-case HTTP method. */
  method: string;
  /** Request headers. */
  headers: Headers;
  /** The body as openapi-fetch serialized it (a JSON string, FormData, …), or null. */
  body: BodyInit | null;
  /** The caller's signal, when the call passed one. */
  signal: AbortSignal | undefined;
  /** Redirect mode, as fetch reads it. */
  redirect: RequestRedirect;

  constructor(input: string | URL, init: RequestInit = {}) {
    this.url = String(input);
    this.method = (init.method ?? 'GET').toUpperCase();
    this.headers = new Headers(init.headers);
    this.body = init.body ?? null;
    this.signal = init.signal ?? undefined;
    this.redirect = init.redirect ?? 'follow';
  }
}

/** The own fields of a `LightRequest`: openapi-fetch copies every other call option onto the request beside them. */
export const LIGHT_REQUEST_FIELDS: ReadonlySet<string> = new Set(['url', 'method', 'headers', 'body', 'signal', 'redirect']);

/** One attempt as a transport sends it: the body already bytes or a string, the signal the attempt's own. */
export interface OutgoingRequest {
  /** Absolute URL, credentials of query auth included. */
  url: string;
  /** Upper-case HTTP method. */
  method: string;
  /** This attempt's headers (a copy: auth sets its own). */
  headers: Headers;
  /** The serialized body, read once for the whole call. */
  body: string | Uint8Array | null;
  /** Aborts on the caller's signal or the call's deadline. */
  signal: AbortSignal;
  /** Redirect mode: follow (default), manual or error. */
  redirect: RequestRedirect;
}

/**
 * Sends one attempt and resolves its response with the whole body already read (at most `maxResponseBytes`;
 * past it `ResponseTooLargeError`), so a reset mid-body fails inside the attempt. `what` names the request
 * in errors, credentials redacted.
 */
export type Transport = (request: OutgoingRequest, maxResponseBytes: number, what: string) => Promise<Response>;

/** A real `Request` for the attempt: what a user `fetch` and a user authenticator receive. */
export function toRequest(request: OutgoingRequest): Request {
  // A Uint8Array body goes in as a Blob: Node 20's fetch detaches an ArrayBuffer on the first send, so a 307/308 could not re-send it.
  const body = request.body instanceof Uint8Array ? new Blob([request.body as Uint8Array<ArrayBuffer>]) : request.body;
  const { method, headers, signal, redirect } = request;
  return new Request(request.url, { method, headers, body, signal, redirect });
}
