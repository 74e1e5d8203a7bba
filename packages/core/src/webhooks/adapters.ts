import { MsgkitError } from '../errors.js';
import { DedupeInFlightError, type Deduper } from './dedupe.js';
import { UnknownEventError, WebhookError } from './errors.js';
import type { HeadersLike } from './headers.js';
import { bodyBytes, DEFAULT_MAX_BODY_BYTES, limit } from './parse.js';
import { SignatureError } from './signature.js';

/** Options of `toFetchHandler` and `toNodeHandler`. */
export interface WebhookHandlerOptions<E> {
  /** Parses and validates the raw body into one event or a batch, e.g. `parseOllyWebhook`; throws `WebhookError` (or `UnknownEventError`). */
  parse: (rawBody: Uint8Array, headers: HeadersLike) => E | readonly E[] | Promise<E | readonly E[]>;
  /** Checks the signature before parsing, e.g. with `verifyHmac`; throws `SignatureError` to reject the delivery. */
  verify?: (rawBody: Uint8Array, headers: HeadersLike) => void | Promise<void>;
  /** Handles each event once: `key` returns its canonical key (Olly `guid`, Ocelot `eventId`, or `eventKey(event)`), never a raw header. */
  dedupe?: { deduper: Deduper; key: (event: E) => string | Promise<string> };
  /** Your code, called once per new event in body order; the provider gets its 2xx only after every call resolved. */
  handler: (event: E, context: { headers: HeadersLike }) => unknown;
  /** Largest accepted body in bytes (default 1 MiB). */
  maxBodyBytes?: number;
  /** Longest time to read the body, in milliseconds (default 10 s); a slower sender gets 408. */
  bodyTimeoutMs?: number;
  /** Told why a delivery got a 5xx (a handler, parser bug or store failure); defaults to `console.error`. */
  onError?: (error: unknown) => void;
  /** Told about each verified delivery of an event type the spec does not list (acknowledged with 2xx, not handled); defaults to `console.warn`. */
  onUnknownEvent?: (error: UnknownEventError) => void;
}

/** Longest time to read a webhook body by default: 10 s (a provider sends a few kB at once). */
export const DEFAULT_BODY_TIMEOUT_MS = 10_000;

/** What an adapter answers: status, JSON body and extra headers. */
interface Answer {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
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

/** Checked options with their defaults. */
interface Limits {
  max: number;
  timeoutMs: number;
}

function checkOptions<E>(options: WebhookHandlerOptions<E>): Limits {
  if (!options || typeof options !== 'object') throw new MsgkitError('webhook handler options are required');
  if (typeof options.parse !== 'function') throw new MsgkitError('parse must be a function, e.g. parseOllyWebhook');
  if (typeof options.handler !== 'function') throw new MsgkitError('handler must be a function');
  if (options.verify !== undefined && typeof options.verify !== 'function') throw new MsgkitError('verify must be a function');
  if (options.dedupe !== undefined && (typeof options.dedupe?.deduper?.run !== 'function' || typeof options.dedupe.key !== 'function')) {
    throw new MsgkitError('dedupe needs { deduper: createDeduper(), key: (event) => canonical event key }');
  }
  for (const name of ['onError', 'onUnknownEvent'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'function') throw new MsgkitError(`${name} must be a function`);
  }
  return {
    max: limit(options.maxBodyBytes, 'maxBodyBytes', DEFAULT_MAX_BODY_BYTES),
    timeoutMs: limit(options.bodyTimeoutMs, 'bodyTimeoutMs', DEFAULT_BODY_TIMEOUT_MS),
  };
}

const tooLarge = (max: number) => new WebhookError('body_too_large', `Webhook body is more than the ${max}-byte limit (maxBodyBytes)`);

/** 408 for a body that took too long, 400 for every other refused delivery. */
function rejected(error: WebhookError | SignatureError): Answer {
  const pointer = error instanceof WebhookError ? error.pointer : undefined;
  return {
    status: error instanceof WebhookError && error.code === 'body_timeout' ? 408 : 400,
    body: { error: { type: error.name, code: error.code, message: error.message, ...(pointer === undefined ? {} : { pointer }) } },
  };
}

/** Calls a user reporter; a failing reporter (thrown or rejected) must not change the answer. */
function report<T>(reporter: (value: T) => unknown, value: T): void {
  try {
    const result = reporter(value);
    if (result instanceof Promise) result.catch(() => {});
  } catch {
    // Ignored on purpose: the answer is already decided.
  }
}

/** 503 + Retry-After for a copy of an event in flight elsewhere, 500 for every other failure: both make the provider redeliver. */
function failed(error: unknown, onError: (error: unknown) => void): Answer {
  report(onError, error);
  if (error instanceof DedupeInFlightError) {
    return {
      status: 503,
      headers: { 'retry-after': String(error.retryAfterSeconds) },
      body: { error: { type: error.name, message: 'Another delivery of this event is in flight; retry later' } },
    };
  }
  return { status: 500, body: { error: { type: 'HandlerError', message: 'The webhook could not be handled; it will be redelivered' } } };
}

/** A refused delivery (4xx) or any other failure (5xx), from an error thrown anywhere before the handler. */
function refusedOrFailed(error: unknown, onError: (error: unknown) => void): Answer {
  if (error instanceof WebhookError || error instanceof SignatureError) return rejected(error);
  return failed(error, onError);
}

const reportToConsole = (error: unknown) => console.error('msgkit webhook handler failed:', error);
const warnUnknown = (error: UnknownEventError) => console.warn(`msgkit webhook: acknowledged an unknown event: ${error.message}`);

/** Verifies, parses, dedupes and handles one delivery; never throws. */
async function handleDelivery<E>(options: WebhookHandlerOptions<E>, rawBody: Uint8Array, headers: HeadersLike): Promise<Answer> {
  const onError = options.onError ?? reportToConsole;
  let events: readonly E[];
  let unknown = 0;
  try {
    await options.verify?.(rawBody, headers);
    try {
      const parsed = await options.parse(rawBody, headers);
      events = Array.isArray(parsed) ? (parsed as readonly E[]) : [parsed as E];
    } catch (error) {
      if (!(error instanceof UnknownEventError)) throw error;
      // Verified and well-formed, only new to us: acknowledge it, and still handle the known events of its batch.
      report(options.onUnknownEvent ?? warnUnknown, error);
      events = error.events as readonly E[];
      unknown = Array.isArray(error.body) ? error.body.length - events.length : 1;
    }
  } catch (error) {
    return refusedOrFailed(error, onError);
  }
  let duplicates = 0;
  for (const event of events) {
    try {
      if (options.dedupe) {
        const key = await options.dedupe.key(event);
        const outcome = await options.dedupe.deduper.run(key, () => options.handler(event, { headers }));
        if (outcome.status === 'duplicate') duplicates++;
      } else await options.handler(event, { headers });
    } catch (error) {
      // Events before this one stay handled (and deduped); this one and the rest come again with the redelivery.
      return failed(error, onError);
    }
  }
  return { status: 200, body: { received: events.length, duplicates, ...(unknown ? { unknown } : {}) } };
}

/** A promise that rejects with `body_timeout` after `ms`, and its cancel function. */
function deadline(ms: number): { expired: Promise<never>; cancel: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new WebhookError('body_timeout', `Webhook body was not received within ${ms} ms (bodyTimeoutMs)`)), ms);
  });
  expired.catch(() => {});
  return { expired, cancel: () => clearTimeout(timer) };
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

/** Reads a web `ReadableStream` (not every runtime makes it async-iterable), cancelling it past `max` bytes or `timeoutMs`. */
async function readWebStream(stream: ReadableStream<Uint8Array>, { max, timeoutMs }: Limits): Promise<Uint8Array> {
  const body = collector(max);
  const reader = stream.getReader();
  const timeout = deadline(timeoutMs);
  try {
    for (let next = await Promise.race([reader.read(), timeout.expired]); !next.done; next = await Promise.race([reader.read(), timeout.expired])) {
      body.add(next.value);
    }
  } catch (error) {
    reader.cancel().catch(() => {});
    throw error;
  } finally {
    timeout.cancel();
  }
  return body.bytes();
}

/**
 * Reads a Node request stream, within `timeoutMs`. Past `max` it stops without destroying the stream (as `for await` would), so
 * the 400 answer can still be sent; Node discards the rest.
 */
async function readNodeStream(chunks: AsyncIterable<unknown>, { max, timeoutMs }: Limits): Promise<Uint8Array> {
  const body = collector(max);
  const iterator = chunks[Symbol.asyncIterator]();
  const timeout = deadline(timeoutMs);
  try {
    for (let next = await Promise.race([iterator.next(), timeout.expired]); !next.done; next = await Promise.race([iterator.next(), timeout.expired])) {
      body.add(next.value);
    }
  } finally {
    timeout.cancel();
  }
  return body.bytes();
}

function declaredTooLarge(contentLength: string | undefined, max: number): boolean {
  return contentLength !== undefined && /^\d+$/.test(contentLength.trim()) && Number(contentLength) > max;
}

const notAllowed: Answer = {
  status: 405,
  headers: { allow: 'POST' },
  body: { error: { type: 'MethodNotAllowed', message: 'Webhooks are delivered with POST' } },
};

/**
 * A `(request: Request) => Promise<Response>` webhook endpoint for fetch runtimes (Cloudflare Workers, Deno,
 * Bun, Next.js route handlers): verifies, parses, dedupes, calls `handler`, and answers 200 only after it
 * succeeded (also for an unknown event type, which goes to `onUnknownEvent` instead); 400 with a JSON error for a
 * bad signature or body, 408 for a body slower than `bodyTimeoutMs`; 500 when the handler or the dedupe store fails,
 * 503 + Retry-After while another copy of the event is in flight (the provider retries both).
 */
export function toFetchHandler<E>(options: WebhookHandlerOptions<E>): (request: Request) => Promise<Response> {
  const limits = checkOptions(options);
  return async (request) => {
    let answer: Answer;
    if (request.method !== 'POST') answer = notAllowed;
    else {
      try {
        if (declaredTooLarge(request.headers.get('content-length') ?? undefined, limits.max)) throw tooLarge(limits.max);
        const bytes = request.body ? await readWebStream(request.body, limits) : new Uint8Array();
        answer = await handleDelivery(options, bytes, request.headers);
      } catch (error) {
        answer = refusedOrFailed(error, options.onError ?? reportToConsole);
      }
    }
    return Response.json(answer.body, { status: answer.status, headers: answer.headers ?? {} });
  };
}

/**
 * A `(req, res) => Promise<void>` webhook endpoint for `node:http` and Express. Reads the raw body itself, or
 * takes it from `express.raw({ type: '*\/*' })`; an already parsed `req.body` (`express.json()`) is refused with
 * 400, since signatures need the exact bytes. Answers like `toFetchHandler`, and never rejects.
 */
export function toNodeHandler<E>(options: WebhookHandlerOptions<E>): (req: NodeRequestLike, res: NodeResponseLike) => Promise<void> {
  const limits = checkOptions(options);
  return async (req, res) => {
    let answer: Answer;
    if (req.method !== 'POST') answer = notAllowed;
    else {
      try {
        const length = req.headers['content-length'];
        if (declaredTooLarge(typeof length === 'string' ? length : undefined, limits.max)) throw tooLarge(limits.max);
        const bytes = req.body === undefined ? await readNodeStream(req, limits) : bodyBytes(req.body, { maxBodyBytes: limits.max });
        answer = await handleDelivery(options, bytes, req.headers);
      } catch (error) {
        answer = refusedOrFailed(error, options.onError ?? reportToConsole);
      }
    }
    res.statusCode = answer.status;
    res.setHeader('content-type', 'application/json');
    for (const [name, value] of Object.entries(answer.headers ?? {})) res.setHeader(name, value);
    // The rest of an oversized or too slow body was not read: close the connection rather than reuse it.
    const code = (answer.body.error as { code?: string } | undefined)?.code;
    if (code === 'body_too_large' || code === 'body_timeout') res.setHeader('connection', 'close');
    res.end(JSON.stringify(answer.body));
  };
}
