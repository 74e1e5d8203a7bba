import type { IncomingHttpHeaders } from 'node:http';
import { STATUS_CODES } from 'node:http';
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import { Agent, type Dispatcher } from 'undici';
import { BodyBuffer, isNullBodyStatus, tooLargeError } from './body.js';
import type { OutgoingRequest, SignalLike, Transport } from './request.js';
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
async function decoded(bytes: Uint8Array, encoding: string | null, maxBytes: number, tooLarge: () => Error): Promise<Uint8Array> {
  if (encoding === null || bytes.byteLength === 0) return bytes;
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

function flatHeaders(headers: Headers): string[] {
  const flat: string[] = [];
  for (const [name, value] of headers) flat.push(name, value);
  for (const [name, value] of DEFAULT_HEADERS) if (!headers.has(name)) flat.push(name, value);
  return flat;
}

/** What one exchange resolves: the final status, the headers, and the body (undefined when it was not kept). */
interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: BodyBuffer | undefined;
}

/**
 * One request over undici's dispatcher API, with a handler of our own instead of `dispatcher.request()` (whose
 * async resource and body stream cost more than the rest of the attempt): the chunks go straight into a
 * `BodyBuffer` (over `maxBytes`, or a declared `Content-Length` over it, aborts with `tooLarge`). Rejects as
 * soon as `signal` aborts, even while the request waits for a connection. `keep(status, headers)` says whether
 * the body is wanted: when not (a redirect, no-body status, HEAD), it resolves at the headers and lets undici
 * drain the rest.
 */
function exchange(
  agent: Dispatcher,
  options: Dispatcher.DispatchOptions,
  signal: SignalLike,
  maxBytes: number,
  keep: (status: number, headers: IncomingHttpHeaders) => boolean,
  tooLarge: (status: number) => Error,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let controller: Dispatcher.DispatchController | undefined;
    let answer: Answer | undefined;
    let done = false;
    const finish = (error?: unknown) => {
      if (done) return false;
      done = true;
      signal.removeEventListener('abort', onAbort);
      if (error === undefined) resolve(answer as Answer);
      else reject(error);
      return true;
    };
    // Rejects now; undici drops the request when its turn comes (or closes the connection mid-response).
    const stop = (error: unknown) => finish(error) && controller?.abort(error as Error);
    const onAbort = () => stop(signal.reason);
    if (signal.aborted) return reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    agent.dispatch(options, {
      onRequestStart(started) {
        controller = started;
        if (done) started.abort(signal.reason as Error);
      },
      onResponseStart(_, status, headers) {
        // 1xx informational answers come before the final one.
        if (status < 200) return;
        if (!keep(status, headers)) {
          answer = { status, headers, body: undefined };
          finish();
        } else if (Number(header(headers, 'content-length')) > maxBytes) stop(tooLarge(status));
        else answer = { status, headers, body: new BodyBuffer(maxBytes) };
      },
      onResponseData(_, chunk) {
        if (answer?.body?.add(chunk) === false) stop(tooLarge(answer.status));
      },
      onResponseEnd() {
        finish();
      },
      onResponseError(_, error) {
        finish(error);
      },
    });
  });
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
    const tooLarge = (status: number) => tooLargeError(what, status, maxResponseBytes);
    const follows = (status: number, answered: IncomingHttpHeaders) =>
      status >= 300 && status < 400 && status !== 304 && answered.location !== undefined && request.redirect !== 'manual';
    // The body of a redirect followed, of a no-body status or of a HEAD is not kept.
    const keep = (status: number, answered: IncomingHttpHeaders) => !follows(status, answered) && !isNullBodyStatus(status) && method !== 'HEAD';
    for (let hop = 0; ; hop++) {
      const target = new URL(url);
      const options = { origin: target.origin, path: `${target.pathname}${target.search}`, method, headers: flatHeaders(headers), body };
      const answer = await exchange(agent, options as Dispatcher.DispatchOptions, request.signal, maxResponseBytes, keep, tooLarge);
      const { status } = answer;
      const location = follows(status, answer.headers) ? header(answer.headers, 'location') : undefined;
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
      const statusText = STATUS_CODES[status] ?? '';
      if (answer.body === undefined) return new BufferedResponse(null, status, statusText, toHeaders(answer.headers));
      const encoding = header(answer.headers, 'content-encoding') ?? null;
      const bytes = await decoded(answer.body.bytes(), encoding, maxResponseBytes, () => tooLarge(status));
      return new BufferedResponse(bytes, status, statusText, toHeaders(answer.headers));
    }
  };
}

/** The Node entry's default transport. */
export const defaultNodeTransport: Transport = undiciTransport();
