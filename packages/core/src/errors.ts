import { redactHeaders } from './redact.js';

/** Base class of every error msgkit throws. */
export class MsgkitError extends Error {
  override name = 'MsgkitError';
}

/** What an `ApiError` was built from. */
export interface ApiErrorInit<TBody> {
  /** HTTP status of the response. */
  status: number;
  /** Response headers. */
  headers: Headers;
  /** The provider's error body, parsed as JSON when it is JSON, else the text. */
  body: TBody;
  /** HTTP method of the request. */
  method: string;
  /** Request URL with credentials redacted. */
  url: string;
}

const REQUEST_ID_HEADERS = ['x-request-id', 'request-id', 'x-amzn-requestid', 'x-correlation-id'];

/** The provider answered with a non-2xx status. `body` is the provider's error body typed from the spec. */
export class ApiError<TBody = unknown> extends MsgkitError {
  override name = 'ApiError';
  /** HTTP status of the response. */
  declare readonly status: number;
  /** Response headers. */
  declare readonly headers: Headers;
  /** The provider's error body (parsed JSON, or text). */
  declare readonly body: TBody;
  /** HTTP method of the request. */
  declare readonly method: string;
  /** Request URL with credentials redacted. */
  declare readonly url: string;
  /** The provider's request id, when it sends one. */
  declare readonly requestId: string | undefined;

  constructor({ status, headers, body, method, url }: ApiErrorInit<TBody>) {
    super(`${method} ${url} failed with ${status}${summarize(body)}`);
    const requestId = REQUEST_ID_HEADERS.map((name) => headers.get(name)).find((value) => value) ?? undefined;
    Object.assign(this, { status, headers, body, method, url, requestId });
  }

  /** A JSON view without credentials (response headers that carry them are redacted); subclasses' fields included. */
  toJSON() {
    return { ...this, message: this.message, headers: redactHeaders(this.headers) };
  }
}

function summarize(body: unknown): string {
  if (body === undefined || body === null || body === '') return '';
  let text: string;
  try {
    text = typeof body === 'string' ? body : JSON.stringify(body);
  } catch {
    // Nesting deeper than JSON.stringify's stack: the body stays on the error, just not in the message.
    return ': (a body too deeply nested to print)';
  }
  return `: ${text.length > 300 ? `${text.slice(0, 300)}…` : text}`;
}

/** 400: the request was malformed or failed validation. */
export class BadRequestError<TBody = unknown> extends ApiError<TBody> {
  override name = 'BadRequestError';
}
/** 401: credentials are missing or wrong. */
export class AuthenticationError<TBody = unknown> extends ApiError<TBody> {
  override name = 'AuthenticationError';
}
/** 403: the credentials may not do this. */
export class PermissionDeniedError<TBody = unknown> extends ApiError<TBody> {
  override name = 'PermissionDeniedError';
}
/** 404: no such resource. */
export class NotFoundError<TBody = unknown> extends ApiError<TBody> {
  override name = 'NotFoundError';
}
/** 422: the request was understood but is invalid in the current state. */
export class UnprocessableEntityError<TBody = unknown> extends ApiError<TBody> {
  override name = 'UnprocessableEntityError';
}

/** 429: too many requests. `retryAfterMs` is the wait the server asked for (`Retry-After`), if any. */
export class RateLimitError<TBody = unknown> extends ApiError<TBody> {
  override name = 'RateLimitError';
  /** How long to wait before retrying, from `Retry-After` (seconds or HTTP date), in milliseconds. */
  declare readonly retryAfterMs: number | undefined;
  constructor(init: ApiErrorInit<TBody>) {
    super(init);
    this.retryAfterMs = parseRetryAfter(init.headers.get('retry-after'));
  }
}
/** 5xx: the provider failed. */
export class InternalServerError<TBody = unknown> extends ApiError<TBody> {
  override name = 'InternalServerError';
}

/** The request never got a response: DNS, refused or reset connection. */
export class ConnectionError extends MsgkitError {
  override name = 'ConnectionError';
}
/** The call took longer than its `timeout` (retries and waits included). */
export class TimeoutError extends MsgkitError {
  override name = 'TimeoutError';
}
/** The caller cancelled the call through its own `signal`; `cause` is the signal's reason. */
export class AbortedError extends MsgkitError {
  override name = 'AbortedError';
}
/** A 2xx response whose body is not what the API promises (e.g. invalid JSON). */
export class InvalidResponseError extends MsgkitError {
  override name = 'InvalidResponseError';
}
/** A response body longer than the client's `maxResponseBytes`: reading stopped there, and the rest was never buffered. */
export class ResponseTooLargeError extends MsgkitError {
  override name = 'ResponseTooLargeError';
  /** HTTP status of the response. */
  declare readonly status: number;
  /** The limit that was exceeded, in bytes. */
  declare readonly maxBytes: number;
  constructor(message: string, { status, maxBytes }: { status: number; maxBytes: number }) {
    super(message);
    Object.assign(this, { status, maxBytes });
  }
}

/** RFC 9110 §10.2.3 `delay-seconds`: digits only (no sign, fraction or list). */
const DELAY_SECONDS = /^\s*\d+\s*$/;
/**
 * RFC 9110 §5.6.7 HTTP-date: IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), and the obsolete RFC 850
 * (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime (`Sun Nov  6 08:49:37 1994`) forms recipients must accept.
 */
const HTTP_DATE =
  /^\s*(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, \d\d-(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)-\d\d \d\d:\d\d:\d\d GMT|(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d\d:\d\d:\d\d \d{4})\s*$/;

/**
 * Parses `Retry-After` (delay-seconds or HTTP-date) into milliseconds from `now`. Anything else (`-5`,
 * `2, 3`, `1.5`, free text) is undefined, so the caller falls back to its backoff.
 */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  if (DELAY_SECONDS.test(value)) return Number(value) * 1000;
  if (!HTTP_DATE.test(value)) return undefined;
  // asctime carries no zone: it is GMT.
  const date = Date.parse(/GMT\s*$/.test(value) ? value : `${value.trim()} GMT`);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The `ApiError` subclass of each status that has one (any other 5xx is an `InternalServerError`). */
const BY_STATUS: Record<number, typeof ApiError> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  422: UnprocessableEntityError,
  429: RateLimitError,
};

/** The `ApiError` subclass for a status. */
export function apiErrorFor<TBody>(init: ApiErrorInit<TBody>): ApiError<TBody> {
  const { status } = init;
  return new (BY_STATUS[status] ?? (status >= 500 ? InternalServerError : ApiError))(init) as ApiError<TBody>;
}
