import { STATUS_CODES } from 'node:http';
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import { Agent, type Dispatcher } from 'undici';
import { type ChunkSource, isNullBodyStatus, readChunks, tooLargeError } from './body.js';
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

function toHeaders(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
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

function chunksOf(body: Dispatcher.ResponseData['body']): ChunkSource {
  const iterator = body[Symbol.asyncIterator]();
  return {
    next: async () => {
      const { done, value } = await iterator.next();
      return done ? undefined : (value as Uint8Array);
    },
    cancel: async () => body.destroy(),
  };
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
      const response = await agent.request({
        origin: target.origin,
        path: `${target.pathname}${target.search}`,
        method: method as Dispatcher.HttpMethod,
        headers: flatHeaders(headers),
        body: body ?? undefined,
        signal: request.signal,
      });
      const status = response.statusCode;
      const responseHeaders = toHeaders(response.headers);
      const location = responseHeaders.get('location');
      if (status >= 300 && status < 400 && status !== 304 && location !== null && request.redirect !== 'manual') {
        await response.body.dump().catch(() => {});
        if (request.redirect === 'error') throw new TypeError(`${what} answered a ${status} redirect, and redirect is "error"`);
        if (hop >= MAX_REDIRECTS) throw new TypeError(`${what} redirected more than ${MAX_REDIRECTS} times`);
        const next = new URL(location, url);
        if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new TypeError(`${what} redirected to a ${next.protocol} URL`);
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
      const tooLarge = () => tooLargeError(what, status, maxResponseBytes);
      if (isNullBodyStatus(status) || method === 'HEAD') {
        await response.body.dump().catch(() => {});
        return new BufferedResponse(null, { status, statusText: STATUS_CODES[status] ?? '', headers: responseHeaders });
      }
      const declared = Number(responseHeaders.get('content-length') ?? Number.NaN);
      const raw = await readChunks(chunksOf(response.body), declared, maxResponseBytes, tooLarge);
      const bytes = await decoded(raw, responseHeaders.get('content-encoding'), maxResponseBytes, tooLarge);
      return new BufferedResponse(bytes, { status, statusText: STATUS_CODES[status] ?? '', headers: responseHeaders });
    }
  };
}

/** The Node entry's default transport. */
export const defaultNodeTransport: Transport = undiciTransport();
