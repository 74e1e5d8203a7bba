import { MsgkitError, ResponseTooLargeError } from './errors.js';

/** Largest response body a client reads when `maxResponseBytes` is not set: 8 MiB. */
export const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

/** Statuses whose responses have no body, whatever the server sends. */
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/** Validates `maxResponseBytes`: a positive integer (`Infinity` for no limit). */
export function checkMaxResponseBytes(value: unknown): number {
  if (typeof value !== 'number' || !(Number.isInteger(value) || value === Number.POSITIVE_INFINITY) || value < 1) {
    throw new MsgkitError(`maxResponseBytes must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** The error for a body over `maxBytes`: `what` names the request (`POST https://…`, credentials already redacted). */
export function tooLargeError(what: string | (() => string), status: number, maxBytes: number): ResponseTooLargeError {
  return new ResponseTooLargeError(`${typeof what === 'string' ? what : what()} answered ${status} with a body over maxResponseBytes (${maxBytes} bytes)`, {
    status,
    maxBytes,
  });
}

/** A body's chunks, at most `maxBytes` of them: `add` refuses (and keeps nothing more) past the limit. */
export class BodyBuffer {
  readonly #chunks: Uint8Array[] = [];
  readonly #maxBytes: number;
  #size = 0;

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  /** Keeps `chunk`; false when the body is then over `maxBytes`. */
  add(chunk: Uint8Array): boolean {
    this.#size += chunk.byteLength;
    if (this.#size > this.#maxBytes) return false;
    this.#chunks.push(chunk);
    return true;
  }

  /** The whole body, one chunk as is or the chunks joined. */
  bytes(): Uint8Array {
    const chunks = this.#chunks;
    if (chunks.length === 1) return chunks[0] as Uint8Array;
    const bytes = new Uint8Array(this.#size);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return bytes;
  }
}

/** True for statuses whose responses have no body, whatever the server sends. */
export const isNullBodyStatus = (status: number) => NULL_BODY_STATUSES.has(status);

/**
 * Reads a fetch `Response`'s whole body, at most `maxBytes` of it (null for statuses without a body): the one
 * place where msgkit reads a body stream. Past the limit (a declared `Content-Length` that says so, or the bytes
 * as they arrive, e.g. an endless body), it cancels the stream and throws `ResponseTooLargeError`, having held at
 * most `maxBytes`. The Node transport fills a `BodyBuffer` as undici pushes the chunks.
 */
export async function readBody(response: Response, maxBytes: number, what: string | (() => string)): Promise<Uint8Array | null> {
  if (NULL_BODY_STATUSES.has(response.status) || response.body === null) return null;
  const reader = response.body.getReader();
  const body = new BodyBuffer(maxBytes);
  let fits = !(Number(response.headers.get('content-length')) > maxBytes);
  while (fits) {
    const chunk = await reader.read();
    if (chunk.done) return body.bytes();
    fits = body.add(chunk.value);
  }
  await reader.cancel().catch(() => {});
  throw tooLargeError(what, response.status, maxBytes);
}
