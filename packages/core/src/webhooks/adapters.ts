import { MsgkitError } from '../errors.js';
import type { Deduper } from './dedupe.js';
import { WebhookError } from './errors.js';
import type { HeadersLike } from './headers.js';
import { bodyBytes, DEFAULT_MAX_BODY_BYTES } from './parse.js';
import { SignatureError } from './signature.js';

/** Options of `toFetchHandler` and `toNodeHandler`. */
export interface WebhookHandlerOptions<E> {
  /** Parses and validates the raw body into one event or a batch, e.g. `parseOllyWebhook`; throws `WebhookError`. */
  parse: (rawBody: Uint8Array, headers: HeadersLike) => E | readonly E[] | Promise<E | readonly E[]>;
  /** Checks the signature before parsing, e.g. with `verifyHmac`; throws `SignatureError` to reject the delivery. */
  verify?: (rawBody: Uint8Array, headers: HeadersLike) => void | Promise<void>;
  /** Skips redelivered events: `key` returns the provider's event id (Olly `guid`, Ocelot `eventId`, …). */
  dedupe?: { deduper: Deduper; key: (event: E) => string };
  /** Your code, called once per new event in body order; the provider gets its 2xx only after every call resolved. */
  handler: (event: E, context: { headers: HeadersLike }) => unknown;
  /** Largest accepted body in bytes (default 1 MiB). */
  maxBodyBytes?: number;
  /** Told why a delivery got a 500 (a handler, parser bug or store failure); defaults to `console.error`. */
  onError?: (error: unknown) => void;
}

/** What an adapter answers: status and JSON body. */
interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/** The request shape of `node:http` (`IncomingMessage`) and Express; `body` is set by a body parser such as `express.raw()`. */
export interface NodeRequestLike extends AsyncIterable<unknown> {
  method?: string;
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
}

/** The response shape of `node:http` (`ServerResponse`) and Express. */
export interface NodeResponseLike {
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  end(body?: string): unknown;
}

function checkOptions<E>(options: WebhookHandlerOptions<E>): number {
  if (!options || typeof options !== 'object') throw new MsgkitError('webhook handler options are required');
  if (typeof options.parse !== 'function') throw new MsgkitError('parse must be a function, e.g. parseOllyWebhook');
  if (typeof options.handler !== 'function') throw new MsgkitError('handler must be a function');
  if (options.verify !== undefined && typeof options.verify !== 'function') throw new MsgkitError('verify must be a function');
  if (options.dedupe !== undefined && (typeof options.dedupe?.deduper?.check !== 'function' || typeof options.dedupe.key !== 'function')) {
    throw new MsgkitError('dedupe needs { deduper: createDeduper(), key: (event) => event id }');
  }
  const max = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (typeof max !== 'number' || !(max > 0)) throw new MsgkitError('maxBodyBytes must be a positive number');
  return max;
}

const tooLarge = (max: number) => new WebhookError('body_too_large', `Webhook body is more than the ${max}-byte limit (maxBodyBytes)`);

function rejected(error: WebhookError | SignatureError): Answer {
  const pointer = error instanceof WebhookError ? error.pointer : undefined;
  return { status: 400, body: { error: { type: error.name, code: error.code, message: error.message, ...(pointer === undefined ? {} : { pointer }) } } };
}

function failed(error: unknown, onError: (error: unknown) => void): Answer {
  try {
    onError(error);
  } catch {
    // A failing error reporter must not turn the 500 into a crash.
  }
  return { status: 500, body: { error: { type: 'HandlerError', message: 'The webhook could not be handled; it will be redelivered' } } };
}

const reportToConsole = (error: unknown) => console.error('msgkit webhook handler failed:', error);

/** Verifies, parses, dedupes and handles one delivery; never throws. */
async function handleDelivery<E>(options: WebhookHandlerOptions<E>, rawBody: Uint8Array, headers: HeadersLike): Promise<Answer> {
  const onError = options.onError ?? reportToConsole;
  let events: readonly E[];
  try {
    await options.verify?.(rawBody, headers);
    const parsed = await options.parse(rawBody, headers);
    events = Array.isArray(parsed) ? (parsed as readonly E[]) : [parsed as E];
  } catch (error) {
    if (error instanceof WebhookError || error instanceof SignatureError) return rejected(error);
    return failed(error, onError);
  }
  let duplicates = 0;
  for (const event of events) {
    let key: string | undefined;
    try {
      if (options.dedupe) {
        key = options.dedupe.key(event);
        if ((await options.dedupe.deduper.check(key)) === 'duplicate') {
          duplicates++;
          continue;
        }
      }
      await options.handler(event, { headers });
    } catch (error) {
      // Forget the event so the provider's redelivery is handled; events before it stay handled.
      if (options.dedupe && key !== undefined) await options.dedupe.deduper.forget(key).catch(onError);
      return failed(error, onError);
    }
  }
  return { status: 200, body: { received: events.length, duplicates } };
}

/** Collects body chunks, failing with `body_too_large` past `max` bytes. */
function collector(max: number) {
  const parts: Uint8Array[] = [];
  let size = 0;
  return {
    add(chunk: unknown) {
      const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk instanceof Uint8Array ? chunk : undefined;
      if (!bytes) throw new WebhookError('invalid_body', 'Webhook body stream yielded something other than bytes');
      size += bytes.byteLength;
      if (size > max) throw tooLarge(max);
      parts.push(bytes);
    },
    bytes() {
      const out = new Uint8Array(size);
      let offset = 0;
      for (const part of parts) {
        out.set(part, offset);
        offset += part.byteLength;
      }
      return out;
    },
  };
}

/** Reads a web `ReadableStream` (not every runtime makes it async-iterable), cancelling it past `max`. */
async function readWebStream(stream: ReadableStream<Uint8Array>, max: number): Promise<Uint8Array> {
  const body = collector(max);
  const reader = stream.getReader();
  try {
    for (let next = await reader.read(); !next.done; next = await reader.read()) body.add(next.value);
  } catch (error) {
    await reader.cancel().catch(() => {});
    throw error;
  }
  return body.bytes();
}

/**
 * Reads a Node request stream. Past `max` it stops without destroying the stream (as `for await` would), so
 * the 400 answer can still be sent; Node discards the rest.
 */
async function readNodeStream(chunks: AsyncIterable<unknown>, max: number): Promise<Uint8Array> {
  const body = collector(max);
  const iterator = chunks[Symbol.asyncIterator]();
  for (let next = await iterator.next(); !next.done; next = await iterator.next()) body.add(next.value);
  return body.bytes();
}

function declaredTooLarge(contentLength: string | undefined, max: number): boolean {
  return contentLength !== undefined && /^\d+$/.test(contentLength.trim()) && Number(contentLength) > max;
}

const notAllowed: Answer = { status: 405, body: { error: { type: 'MethodNotAllowed', message: 'Webhooks are delivered with POST' } } };

/**
 * A `(request: Request) => Promise<Response>` webhook endpoint for fetch runtimes (Cloudflare Workers, Deno,
 * Bun, Next.js route handlers): verifies, parses, dedupes, calls `handler`, and answers 200 only after it
 * succeeded; 400 with a JSON error for a bad signature or body; 500 when the handler fails (the provider retries).
 */
export function toFetchHandler<E>(options: WebhookHandlerOptions<E>): (request: Request) => Promise<Response> {
  const max = checkOptions(options);
  return async (request) => {
    let answer: Answer;
    if (request.method !== 'POST') answer = notAllowed;
    else {
      try {
        if (declaredTooLarge(request.headers.get('content-length') ?? undefined, max)) throw tooLarge(max);
        const bytes = request.body ? await readWebStream(request.body, max) : new Uint8Array();
        answer = await handleDelivery(options, bytes, request.headers);
      } catch (error) {
        answer = error instanceof WebhookError ? rejected(error) : rejected(new WebhookError('invalid_body', 'The webhook body could not be read'));
      }
    }
    const headers: Record<string, string> = answer.status === 405 ? { allow: 'POST' } : {};
    return Response.json(answer.body, { status: answer.status, headers });
  };
}

/**
 * A `(req, res) => Promise<void>` webhook endpoint for `node:http` and Express. Reads the raw body itself, or
 * takes it from `express.raw({ type: '*\/*' })`; an already parsed `req.body` (`express.json()`) is refused with
 * 400, since signatures need the exact bytes. Answers like `toFetchHandler`, and never rejects.
 */
export function toNodeHandler<E>(options: WebhookHandlerOptions<E>): (req: NodeRequestLike, res: NodeResponseLike) => Promise<void> {
  const max = checkOptions(options);
  return async (req, res) => {
    let answer: Answer;
    if (req.method !== 'POST') answer = notAllowed;
    else {
      try {
        const length = req.headers['content-length'];
        if (declaredTooLarge(typeof length === 'string' ? length : undefined, max)) throw tooLarge(max);
        const bytes = req.body === undefined ? await readNodeStream(req, max) : bodyBytes(req.body, { maxBodyBytes: max });
        answer = await handleDelivery(options, bytes, req.headers);
      } catch (error) {
        answer = error instanceof WebhookError ? rejected(error) : rejected(new WebhookError('invalid_body', 'The webhook body could not be read'));
      }
    }
    res.statusCode = answer.status;
    res.setHeader('content-type', 'application/json');
    if (answer.status === 405) res.setHeader('allow', 'POST');
    // The rest of an oversized body was not read: close the connection rather than reuse it.
    if ((answer.body.error as { code?: string } | undefined)?.code === 'body_too_large') res.setHeader('connection', 'close');
    res.end(JSON.stringify(answer.body));
  };
}
