import type { IncomingHttpHeaders } from 'node:http';
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import { Agent, type Dispatcher } from 'undici';
import { BodyBuffer, isNullBodyStatus, tooLargeError } from './body.js';
import type { OutgoingRequest, Transport } from './request.js';
import { BufferedResponse } from './response.js';

/** Redirects followed before failing, as fetch does. */
const MAX_REDIRECTS = 20;

/** Headers fetch sends unless the request sets them: the Node transport sends the same. */
const DEFAULT_HEADERS: readonly [string, string][] = [
  ['accept', '*/*'],
  ['accept-language', '*'],
  ['sec-fetch-mode', 'cors'],
  ['user-agent', 'node'],
  ['accept-encoding', 'gzip, deflate, br'],
];

/** Headers dropped when a redirect leaves the origin, as fetch does. */
const CROSS_ORIGIN_DROPPED = ['authorization', 'cookie', 'proxy-authorization'];
/** Headers dropped when a redirect turns the request into a GET without body. */
const BODY_HEADERS = ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location'];

type Decoder = (bytes: Uint8Array, options: zlib.ZlibOptions & zlib.BrotliOptions) => Promise<Uint8Array>;
const gunzip = promisify(zlib.gunzip) as Decoder;
const inflate = promisify(zlib.inflate) as Decoder;
const inflateRaw = promisify(zlib.inflateRaw) as Decoder;
const brotli = promisify(zlib.brotliDecompress) as Decoder;

/** Decodes one content coding (as fetch: lenient about a truncated end, raw deflate accepted). */
function decode(coding: string, bytes: Uint8Array, maxBytes: number): Promise<Uint8Array> | undefined {
  const limit = Number.isFinite(maxBytes) ? { maxOutputLength: maxBytes } : {};
  const flush = { finishFlush: zlib.constants.Z_SYNC_FLUSH, ...limit };
  if (coding === 'gzip' || coding === 'x-gzip') return gunzip(bytes, flush);
  // "deflate" is zlib-wrapped by the RFC, yet servers send raw deflate too: the first byte tells them apart.
  if (coding === 'deflate') return ((bytes[0] ?? 0) & 0x0f) === 0x08 ? inflate(bytes, flush) : inflateRaw(bytes, flush);
  if (coding === 'br') return brotli(bytes, { finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH, ...limit });
  return undefined;
}

/** The body decoded by its `Content-Encoding` (codings applied in order, undone in reverse), at most `maxBytes`. */
async function decoded(bytes: Uint8Array, encoding: string, maxBytes: number, tooLarge: () => Error): Promise<Uint8Array> {
  if (bytes.byteLength === 0) return bytes;
  const codings = encoding
    .toLowerCase()
    .split(',')
    .map((coding) => coding.trim())
    .filter((coding) => coding !== '' && coding !== 'identity');
  let body = bytes;
  for (const coding of codings.reverse()) {
    try {
      const next = decode(coding, body, maxBytes);
      // An unknown coding is passed on as is, as fetch does.
      if (next === undefined) return body;
      body = await next;
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge();
      throw new TypeError(`the ${coding} response body could not be decoded`, { cause: error });
    }
  }
  return body;
}

/** One header of undici's parsed headers, repeated values joined as `Headers.get` joins them. */
const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
};

function toHeaders(raw: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const name in raw) {
    const value = raw[name];
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.append(name, value);
  }
  return headers;
}

/** True when `flat` (`[name, value, …]`, names lower-cased as Headers gives them) has a header `name`. */
function has(flat: string[], name: string): boolean {
  for (let i = 0; i < flat.length; i += 2) if (flat[i] === name) return true;
  return false;
}

/** The request headers as undici takes them (`[name, value, …]`), and each default header the request does not set. */
function flatHeaders(headers: Headers): string[] {
  const flat: string[] = [];
  headers.forEach((value, name) => {
    flat.push(name, value);
  });
  for (const [name, value] of DEFAULT_HEADERS) if (!has(flat, name)) flat.push(name, value);
  return flat;
}

/** True when the answer is a redirect that `redirect` says to follow (or refuse): 3xx but 304, with a Location. */
const isRedirect = (status: number, headers: IncomingHttpHeaders, redirect: RequestRedirect) =>
  status >= 300 && status < 400 && status !== 304 && headers.location !== undefined && redirect !== 'manual';

/**
 * One request over undici's dispatcher API, with a handler of our own instead of `dispatcher.request()` (whose
 * async resource and body stream cost more than the rest of the attempt): the chunks go straight into a
 * `BodyBuffer` (past `maxBytes`, or a declared `Content-Length` past it, aborts with `ResponseTooLargeError`).
 * `send` rejects as soon as the signal aborts, even while the request waits for a connection. The body of a
 * redirect to follow, of a no-body status or of a HEAD is not kept: `send` resolves at the headers and undici
 * drains the rest.
 */
class Exchange implements Dispatcher.DispatchHandler {
  status = 0;
  statusText = '';
  headers: IncomingHttpHeaders = {};
  /** The body, when it is kept. */
  body: BodyBuffer | undefined;
  #controller: Dispatcher.DispatchController | undefined;
  #settled = false;
  #resolve!: (exchange: Exchange) => void;
  #reject!: (error: unknown) => void;
  readonly #onAbort = () => this.#stop(this.request.signal.reason);

  constructor(
    readonly request: OutgoingRequest,
    readonly method: string,
    readonly maxBytes: number,
    readonly what: () => string,
  ) {}

  /** Dispatches `options` on `agent`; resolves this exchange once its answer is in. */
  send(agent: Dispatcher, options: Dispatcher.DispatchOptions): Promise<Exchange> {
    const { signal } = this.request;
    if (signal.aborted) return Promise.reject(signal.reason);
    const done = new Promise<Exchange>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    signal.addEventListener('abort', this.#onAbort, { once: true });
    agent.dispatch(options, this);
    return done;
  }

  #finish(error?: unknown): boolean {
    if (this.#settled) return false;
    this.#settled = true;
    this.request.signal.removeEventListener('abort', this.#onAbort);
    if (error === undefined) this.#resolve(this);
    else this.#reject(error);
    return true;
  }

  /** Rejects now; undici drops the request when its turn comes, or closes the connection mid-response. */
  #stop(error: unknown): void {
    if (this.#finish(error)) this.#controller?.abort(error as Error);
  }

  #tooLarge(): Error {
    return tooLargeError(this.what, this.status, this.maxBytes);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    if (this.#settled) controller.abort(this.request.signal.reason as Error);
  }

  onResponseStart(_: Dispatcher.DispatchController, status: number, headers: IncomingHttpHeaders, statusText?: string): void {
    // 1xx informational answers come before the final one.
    if (status < 200) return;
    this.status = status;
    this.statusText = statusText ?? '';
    this.headers = headers;
    if (isRedirect(status, headers, this.request.redirect) || isNullBodyStatus(status) || this.method === 'HEAD') this.#finish();
    else if (Number(header(headers, 'content-length')) > this.maxBytes) this.#stop(this.#tooLarge());
    else this.body = new BodyBuffer(this.maxBytes);
  }

  onResponseData(_: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.body?.add(chunk) === false) this.#stop(this.#tooLarge());
  }

  onResponseEnd(): void {
    this.#finish();
  }

  onResponseError(_: Dispatcher.DispatchController, error: Error): void {
    this.#finish(error);
  }
}

let sharedAgent: Agent | undefined;

/** The agent the Node transport uses when none is given: one per process, keep-alive, created on first use. */
function defaultAgent(): Agent {
  sharedAgent ??= new Agent();
  return sharedAgent;
}

/**
 * The Node transport (the `node` entry's default): sends through undici's dispatcher API on `dispatcher`
 * (default: one shared keep-alive `Agent`), with fetch's default headers, gzip/deflate/br decoding and
 * fetch's redirect rules: follow (at most 20), manual or error; 301/302 after POST and 303 become a GET
 * without body; Authorization, Cookie and Proxy-Authorization never go to another origin; 307/308 re-send
 * the body. Pass your own undici `Agent`, `ProxyAgent` or `MockAgent` through the client's `transport` option.
 */
export function undiciTransport(dispatcher?: Dispatcher): Transport {
  return async (request: OutgoingRequest, maxResponseBytes, what) => {
    const agent = dispatcher ?? defaultAgent();
    let { url, method, headers, body } = request;
    for (let hop = 0; ; hop++) {
      const target = new URL(url);
      const options = { origin: target.origin, path: `${target.pathname}${target.search}`, method, headers: flatHeaders(headers), body };
      const answer = await new Exchange(request, method, maxResponseBytes, what).send(agent, options as Dispatcher.DispatchOptions);
      const { status } = answer;
      const location = isRedirect(status, answer.headers, request.redirect) ? header(answer.headers, 'location') : undefined;
      if (location !== undefined) {
        if (request.redirect === 'error') throw new TypeError(`${what()} answered a ${status} redirect, and redirect is "error"`);
        if (hop >= MAX_REDIRECTS) throw new TypeError(`${what()} redirected more than ${MAX_REDIRECTS} times`);
        const next = new URL(location, url);
        if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new TypeError(`${what()} redirected to a ${next.protocol} URL`);
        headers = new Headers(headers);
        if (((status === 301 || status === 302) && method === 'POST') || (status === 303 && method !== 'GET' && method !== 'HEAD')) {
          method = 'GET';
          body = null;
          for (const name of BODY_HEADERS) headers.delete(name);
        }
        if (next.origin !== target.origin) for (const name of CROSS_ORIGIN_DROPPED) headers.delete(name);
        url = next.href;
        continue;
      }
      const encoding = header(answer.headers, 'content-encoding');
      let bytes = answer.body?.bytes() ?? null;
      if (bytes !== null && encoding !== undefined)
        bytes = await decoded(bytes, encoding, maxResponseBytes, () => tooLargeError(what, status, maxResponseBytes));
      return new BufferedResponse(bytes, status, answer.statusText, toHeaders(answer.headers));
    }
  };
}

/** The Node entry's default transport. */
export const defaultNodeTransport: Transport = undiciTransport();
