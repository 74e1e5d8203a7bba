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
  readonly status: number;
  /** Response headers. */
  readonly headers: Headers;
  /** The provider's error body (parsed JSON, or text). */
  readonly body: TBody;
  /** HTTP method of the request. */
  readonly method: string;
  /** Request URL with credentials redacted. */
  readonly url: string;
  /** The provider's request id, when it sends one. */
  readonly requestId: string | undefined;

  constructor(init: ApiErrorInit<TBody>) {
    super(`${init.method} ${init.url} failed with ${init.status}${summarize(init.body)}`);
    this.status = init.status;
    this.headers = init.headers;
    this.body = init.body;
    this.method = init.method;
    this.url = init.url;
    this.requestId = REQUEST_ID_HEADERS.map((h) => init.headers.get(h)).find((v) => v) ?? undefined;
  }

  /** A JSON view without credentials (response headers that carry them are redacted). */
  toJSON() {
    return {
      name: this.name,
      message: this.message,
      status: this.status,
      method: this.method,
      url: this.url,
      requestId: this.requestId,
      headers: redactHeaders(this.headers),
      body: this.body,
    };
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

/** Rate-limit headers of a 429 response, parsed. */
export interface RateLimitInfo {
  /** Requests allowed in the window (`X-RateLimit-Limit`). */
  limit: number | undefined;
  /** Requests left in the window (`X-RateLimit-Remaining`). */
  remaining: number | undefined;
  /** When the window resets (`X-RateLimit-Reset`, epoch seconds). */
  resetAt: Date | undefined;
  /** How long to wait before retrying, from `Retry-After` (seconds or HTTP date), in milliseconds. */
  retryAfterMs: number | undefined;
}

/** 429: too many requests. `rateLimit` holds the parsed rate-limit headers. */
export class RateLimitError<TBody = unknown> extends ApiError<TBody> {
  override name = 'RateLimitError';
  /** The parsed rate-limit headers. */
  readonly rateLimit: RateLimitInfo;
  constructor(init: ApiErrorInit<TBody>) {
    super(init);
    this.rateLimit = parseRateLimit(init.headers);
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
  readonly status: number;
  /** The limit that was exceeded, in bytes. */
  readonly maxBytes: number;
  constructor(message: string, init: { status: number; maxBytes: number }) {
    super(message);
    this.status = init.status;
    this.maxBytes = init.maxBytes;
  }
}

const toNumber = (value: string | null) => (value === null || value.trim() === '' || Number.isNaN(Number(value)) ? undefined : Number(value));

/** RFC 9110 §10.2.3 `delay-seconds`: digits only (no sign, fraction or list). */
const DELAY_SECONDS = /^\s*\d+\s*$/;
/** RFC 9110 §5.6.7 HTTP-date: IMF-fixdate, and the obsolete RFC 850 and asctime forms recipients must accept. */
const HTTP_DATE = [
  /^\s*(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT\s*$/,
  /^\s*(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), \d{2}-(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)-\d{2} \d{2}:\d{2}:\d{2} GMT\s*$/,
  /^\s*(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d{2}:\d{2}:\d{2} \d{4}\s*$/,
];

/**
 * Parses `Retry-After` (delay-seconds or HTTP-date) into milliseconds from `now`. Anything else (`-5`,
 * `2, 3`, `1.5`, free text) is undefined, so the caller falls back to its backoff.
 */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  if (DELAY_SECONDS.test(value)) return Number(value) * 1000;
  if (!HTTP_DATE.some((form) => form.test(value))) return undefined;
  // asctime carries no zone: it is GMT.
  const date = Date.parse(/GMT\s*$/.test(value) ? value : `${value.trim()} GMT`);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Parses the `X-RateLimit-*` and `Retry-After` headers. */
export function parseRateLimit(headers: Headers): RateLimitInfo {
  const reset = toNumber(headers.get('x-ratelimit-reset'));
  return {
    limit: toNumber(headers.get('x-ratelimit-limit')),
    remaining: toNumber(headers.get('x-ratelimit-remaining')),
    resetAt: reset === undefined ? undefined : new Date(reset * 1000),
    retryAfterMs: parseRetryAfter(headers.get('retry-after')),
  };
}

/** The `ApiError` subclass for a status. */
export function apiErrorFor<TBody>(init: ApiErrorInit<TBody>): ApiError<TBody> {
  const { status } = init;
  if (status === 400) return new BadRequestError(init);
  if (status === 401) return new AuthenticationError(init);
  if (status === 403) return new PermissionDeniedError(init);
  if (status === 404) return new NotFoundError(init);
  if (status === 422) return new UnprocessableEntityError(init);
  if (status === 429) return new RateLimitError(init);
  if (status >= 500) return new InternalServerError(init);
  return new ApiError(init);
}
