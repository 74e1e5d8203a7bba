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

/**
 * Reads a whole response body, at most `maxBytes` of it: the one place where msgkit reads a body from the
 * network. Past the limit (a `Content-Length` that says so, or the bytes as they arrive, e.g. an endless
 * body), it cancels the body and throws `ResponseTooLargeError`, having held at most `maxBytes` plus one chunk.
 * `what` names the request in the error (`POST https://…`, credentials already redacted).
 */
export async function readBody(response: Response, maxBytes: number, what: string): Promise<Uint8Array | null> {
  if (NULL_BODY_STATUSES.has(response.status) || response.body === null) return null;
  const tooLarge = () =>
    new ResponseTooLargeError(`${what} answered ${response.status} with a body over maxResponseBytes (${maxBytes} bytes)`, {
      status: response.status,
      maxBytes,
    });
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    await response.body.cancel().catch(() => {});
    throw tooLarge();
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
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
