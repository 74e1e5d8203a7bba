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
export function tooLargeError(what: string, status: number, maxBytes: number): ResponseTooLargeError {
  return new ResponseTooLargeError(`${what} answered ${status} with a body over maxResponseBytes (${maxBytes} bytes)`, { status, maxBytes });
}

/** A body as chunks: `next` resolves undefined at the end, `cancel` stops the source. */
export interface ChunkSource {
  next(): Promise<Uint8Array | undefined>;
  cancel(): Promise<unknown>;
}

/**
 * Reads a whole response body, at most `maxBytes` of it: the one place where msgkit reads a body from the
 * network (the fetch transport through `readBody`, the Node transport through its stream). Past the limit
 * (a declared `Content-Length` that says so, or the bytes as they arrive, e.g. an endless body), it cancels
 * the source and throws `ResponseTooLargeError`, having held at most `maxBytes` plus one chunk.
 */
export async function readChunks(source: ChunkSource, declared: number, maxBytes: number, tooLarge: () => Error): Promise<Uint8Array> {
  if (declared > maxBytes) {
    await source.cancel().catch(() => {});
    throw tooLarge();
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const value = await source.next();
    if (value === undefined) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await source.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** True for statuses whose responses have no body, whatever the server sends. */
export const isNullBodyStatus = (status: number) => NULL_BODY_STATUSES.has(status);

/** Reads a fetch `Response`'s whole body through `readChunks`; null for statuses without a body. */
export async function readBody(response: Response, maxBytes: number, what: string): Promise<Uint8Array | null> {
  if (NULL_BODY_STATUSES.has(response.status) || response.body === null) return null;
  const reader = response.body.getReader();
  const source: ChunkSource = {
    next: async () => {
      const { done, value } = await reader.read();
      return done ? undefined : value;
    },
    cancel: () => reader.cancel(),
  };
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  return readChunks(source, declared, maxBytes, () => tooLargeError(what, response.status, maxBytes));
}
