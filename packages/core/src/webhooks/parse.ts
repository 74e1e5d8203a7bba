import { WebhookError } from './errors.js';
import { getHeader, type HeadersLike } from './headers.js';

/** One error of a generated validator (the ajv error shape). */
export interface ValidationIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** A generated validator: returns true when `data` matches, else sets `errors`. */
export interface ValidateFunction {
  (data: unknown): boolean;
  errors?: ValidationIssue[] | null;
}

/** The events delivered to one URL, as `generate` compiles them from a spec. */
export interface EventGroup {
  /** `webhooks`, or `<operationId>.<callbackName>` for a callback. */
  readonly name: string;
  /** Property whose value tells the events apart, or null when the group has one event. */
  readonly discriminator: string | null;
  readonly events: ReadonlyArray<{
    /** Event name in the spec. */
    readonly name: string;
    /** Values of the discriminator property that select this event. */
    readonly values: readonly unknown[];
    /** True when the provider sends this event in JSON arrays. */
    readonly batched: boolean;
    /** Compiled validator of one event. */
    readonly validate: ValidateFunction;
  }>;
}

/** Options of the webhook parsers. */
export interface ParseOptions {
  /** Largest accepted body in bytes (default 1 MiB). */
  maxBodyBytes?: number;
}

/** A raw webhook body: the exact bytes or text received. */
export type RawBody = string | Uint8Array | ArrayBuffer;

/** Largest accepted webhook body by default: 1 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** The bytes of a raw body, rejecting parsed objects, other types and oversized bodies. */
export function bodyBytes(rawBody: unknown, options: ParseOptions = {}): Uint8Array {
  const max = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  let bytes: Uint8Array;
  if (typeof rawBody === 'string') {
    bytes = new TextEncoder().encode(rawBody);
  } else if (rawBody instanceof Uint8Array) {
    bytes = rawBody;
  } else if (rawBody instanceof ArrayBuffer) {
    bytes = new Uint8Array(rawBody);
  } else if (ArrayBuffer.isView(rawBody)) {
    throw new WebhookError('invalid_body', `Webhook body must be a string, Buffer, Uint8Array or ArrayBuffer, got a ${rawBody.constructor.name}`);
  } else if (rawBody !== null && typeof rawBody === 'object') {
    throw new WebhookError(
      'parsed_body',
      'Webhook body must be the raw request body (string, Buffer or Uint8Array), not a parsed object: signatures are computed over the exact bytes. In Express use express.raw({ type: "*/*" }); with fetch use await request.text().',
    );
  } else {
    throw new WebhookError('invalid_body', `Webhook body must be a string, Buffer or Uint8Array, got ${rawBody === null ? 'null' : typeof rawBody}`);
  }
  if (bytes.byteLength > max) {
    throw new WebhookError('body_too_large', `Webhook body is ${bytes.byteLength} bytes, more than the ${max}-byte limit (maxBodyBytes)`);
  }
  return bytes;
}

/** Decodes a raw body to text, rejecting parsed objects, oversized bodies and invalid UTF-8. */
export function bodyText(rawBody: unknown, options: ParseOptions = {}): string {
  const bytes = bodyBytes(rawBody, options);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new WebhookError('invalid_body', 'Webhook body is not valid UTF-8');
  }
}

/**
 * Parses JSON text. `__proto__` keys, and `constructor` keys holding an object (the `constructor.prototype`
 * pollution pattern), are refused so nothing downstream (a deep merge, say) can pollute prototypes.
 */
export function parseJson(text: string): unknown {
  let forbidden: string | undefined;
  let value: unknown;
  // The reviver is only needed when a forbidden key may be present (also written with \u escapes).
  const suspicious = text.includes('__proto__') || text.includes('constructor') || text.includes('\\u');
  try {
    value = suspicious
      ? JSON.parse(text, (key, v) => {
          if (key === '__proto__' || (key === 'constructor' && v !== null && typeof v === 'object')) forbidden ??= key;
          return v;
        })
      : JSON.parse(text);
  } catch (error) {
    throw new WebhookError('invalid_json', `Webhook body is not valid JSON: ${(error as Error).message}`);
  }
  if (forbidden) throw new WebhookError('forbidden_key', `Webhook body contains the forbidden key "${forbidden}"`);
  return value;
}

function checkContentType(headers: HeadersLike | undefined): void {
  const type = getHeader(headers, 'content-type');
  if (type !== undefined && !/^\s*application\/([\w.+-]*\+)?json\s*(;|$)/i.test(type)) {
    throw new WebhookError('unsupported_media_type', `Webhook Content-Type must be JSON, got "${type}"`);
  }
}

const describe = (value: unknown) => (typeof value === 'string' ? `"${value}"` : (JSON.stringify(value) ?? String(value)));

/** Validates one event of a group, returning it typed or throwing `WebhookError` naming the failing field. */
function validateEvent(group: EventGroup, item: unknown, pointer: string, inBatch: boolean): unknown {
  let event = group.events[0];
  if (group.discriminator !== null) {
    const property = group.discriminator;
    const value = item !== null && typeof item === 'object' && !Array.isArray(item) ? (item as Record<string, unknown>)[property] : undefined;
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      throw new WebhookError('invalid_payload', `Webhook event at "${pointer || '/'}" must be a JSON object`, { pointer });
    }
    event = group.events.find((candidate) => candidate.values.includes(value));
    if (!event) {
      const known = group.events
        .flatMap((e) => e.values)
        .map(describe)
        .join(', ');
      const got = value === undefined ? `is missing` : `is ${describe(value)}`;
      throw new WebhookError('unknown_event', `Webhook "${property}" ${got}; expected one of ${known}`, { pointer: `${pointer}/${property}` });
    }
  }
  if (!event) throw new WebhookError('unknown_event', `No events are defined for ${group.name}`);
  if (inBatch && !event.batched) {
    throw new WebhookError('invalid_payload', `Event ${event.name} is not sent in batches, but the body is a JSON array`, { event: event.name });
  }
  if (!event.validate(item)) {
    const issue = event.validate.errors?.[0];
    const missing = issue?.keyword === 'required' ? `/${String(issue.params.missingProperty)}` : '';
    const at = `${pointer}${issue?.instancePath ?? ''}${missing}`;
    const what = issue?.keyword === 'required' ? 'is required' : (issue?.message ?? 'is invalid');
    throw new WebhookError('invalid_payload', `Invalid ${event.name} webhook: "${at || '/'}" ${what}`, { pointer: at, event: event.name });
  }
  return item;
}

/**
 * Parses and validates a raw webhook body into typed events. A JSON array yields one event per item
 * (for providers that batch); an object yields one event.
 */
export function parseEvents<T>(group: EventGroup, rawBody: RawBody, headers?: HeadersLike, options: ParseOptions = {}): T[] {
  checkContentType(headers);
  const value = parseJson(bodyText(rawBody, options));
  if (Array.isArray(value)) {
    if (value.length === 0) throw new WebhookError('invalid_payload', 'Webhook body is an empty JSON array', { pointer: '' });
    return value.map((item, index) => validateEvent(group, item, `/${index}`, true) as T);
  }
  return [validateEvent(group, value, '', false) as T];
}

/** Parses a body that carries exactly one event; a JSON array is rejected. */
export function parseEvent<T>(group: EventGroup, rawBody: RawBody, headers?: HeadersLike, options: ParseOptions = {}): T {
  const events = parseEvents<T>(group, rawBody, headers, options);
  const [event] = events;
  if (events.length !== 1 || event === undefined) {
    throw new WebhookError('invalid_payload', `Expected one ${group.name} event, got a batch of ${events.length}`);
  }
  return event;
}
