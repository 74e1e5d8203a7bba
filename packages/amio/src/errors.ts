import { type ApiError, type ApiErrorInit, apiErrorFor, RateLimitError } from '@msgkit/core';

/** Amio's rate-limit headers, parsed (https://docs.amio.io/reference#rate-limiting). */
export interface AmioRateLimit {
  /** Requests allowed per hour (`X-RateLimit-Limit`). */
  limit: number | undefined;
  /** Requests left in the current hour (`X-RateLimit-Remaining`). */
  remaining: number | undefined;
  /** When the limit resets (`X-RateLimit-Reset`, UTC epoch seconds). */
  resetAt: Date | undefined;
}

/** A header's number, or undefined when it is missing or not a number. */
const numberOf = (value: string | null) => (value === null || value.trim() === '' || Number.isNaN(Number(value)) ? undefined : Number(value));

/** Parses Amio's `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset` headers. */
export function parseAmioRateLimit(headers: Headers): AmioRateLimit {
  const reset = numberOf(headers.get('x-ratelimit-reset'));
  return {
    limit: numberOf(headers.get('x-ratelimit-limit')),
    remaining: numberOf(headers.get('x-ratelimit-remaining')),
    resetAt: reset === undefined ? undefined : new Date(reset * 1000),
  };
}

/** Amio's 429: a `RateLimitError` (with `retryAfterMs`) whose `rateLimit` holds Amio's parsed `X-RateLimit-*` headers. */
export class AmioRateLimitError<TBody = unknown> extends RateLimitError<TBody> {
  override name = 'AmioRateLimitError';
  /** The parsed `X-RateLimit-*` headers: `resetAt` is when the hourly limit resets. */
  readonly rateLimit: AmioRateLimit;
  constructor(init: ApiErrorInit<TBody>) {
    super(init);
    this.rateLimit = parseAmioRateLimit(init.headers);
  }
}

/** The error of a non-2xx Amio answer: `AmioRateLimitError` for a 429, else core's `ApiError` subclass. */
export const amioApiError = (init: ApiErrorInit<unknown>): ApiError => (init.status === 429 ? new AmioRateLimitError(init) : apiErrorFor(init));
