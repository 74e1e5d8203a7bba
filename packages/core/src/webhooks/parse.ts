import { MsgkitError } from '../errors.js';
import { UnknownEventError, WebhookError } from './errors.js';
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
  /** Largest accepted body in bytes (default 1 MiB); `NaN`, zero or negative is refused. */
  maxBodyBytes?: number;
  /** Deepest accepted nesting of JSON arrays and objects, free-form fields included (default 64); deeper bodies get a `too_deep` WebhookError. */
  maxDepth?: number;
}

/** A raw webhook body: the exact bytes or text received. */
export type RawBody = string | Uint8Array | ArrayBuffer;

/** Largest accepted webhook body by default: 1 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/** Deepest accepted JSON nesting by default: real webhook payloads stay below 10 levels. */
export const DEFAULT_MAX_DEPTH = 64;

/** A positive limit option (Infinity allowed), or its default; `NaN`, zero, negatives and non-numbers are configuration errors. */
export function limit(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value > 0)) throw new MsgkitError(`${name} must be a positive number, got ${String(value)}`);
  return value;
}

/** The bytes of a raw body, rejecting parsed objects, other types and oversized bodies. */
export function bodyBytes(rawBody: unknown, options: ParseOptions = {}): Uint8Array {
  const max = limit(options?.maxBodyBytes, 'maxBodyBytes', DEFAULT_MAX_BODY_BYTES);
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

/** One decoder for every body: without `stream`, decoding keeps no state between calls. */
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes a raw body to text, rejecting parsed objects, oversized bodies and invalid UTF-8. */
export function bodyText(rawBody: unknown, options: ParseOptions = {}): string {
  const bytes = bodyBytes(rawBody, options);
  try {
    return utf8.decode(bytes);
  } catch {
    throw new WebhookError('invalid_body', 'Webhook body is not valid UTF-8');
  }
}

const tooDeep = (max: number) => new WebhookError('too_deep', `Webhook body nests JSON more than ${max} levels deep (maxDepth)`);

/**
 * Walks a parsed array or object, `left` levels allowed from it down (of `max`): throws `too_deep` past them, and
 * `forbidden_key` for a `__proto__` key or a `constructor` key holding an object. The recursion stops at the limit.
 */
function checkTree(value: object, left: number, max: number): void {
  if (left === 0) throw tooDeep(max);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (item !== null && typeof item === 'object') checkTree(item, left - 1, max);
    }
    return;
  }
  for (const key in value) {
    const item: unknown = (value as Record<string, unknown>)[key];
    const isObject = item !== null && typeof item === 'object';
    if (key === '__proto__' || (key === 'constructor' && isObject)) {
      throw new WebhookError('forbidden_key', `Webhook body contains the forbidden key "${key}"`);
    }
    if (isObject) checkTree(item, left - 1, max);
  }
}

/**
 * Parses JSON text. `__proto__` keys, and `constructor` keys holding an object (the `constructor.prototype`
 * pollution pattern), are refused so nothing downstream (a deep merge, say) can pollute prototypes.
 * Nesting deeper than `maxDepth` (default 64) is refused with `too_deep`. `JSON.parse` itself does not
 * recurse (V8, JavaScriptCore), so any depth parses; the check then walks at most `maxDepth` levels down.
 */
export function parseJson(text: string, options: Pick<ParseOptions, 'maxDepth'> = {}): unknown {
  const maxDepth = limit(options?.maxDepth, 'maxDepth', DEFAULT_MAX_DEPTH);
  let value: unknown;
  try {
    value = JSON.parse(text);
    if (value !== null && typeof value === 'object') checkTree(value, maxDepth, maxDepth);
  } catch (error) {
    if (error instanceof WebhookError) throw error;
    // Out of stack: a runtime whose JSON.parse recurses, or `maxDepth: Infinity` and a body deeper than the stack.
    if (error instanceof RangeError) throw new WebhookError('too_deep', 'Webhook body nests JSON deeper than this runtime can walk (maxDepth)');
    throw new WebhookError('invalid_json', `Webhook body is not valid JSON: ${(error as Error).message}`);
  }
  return value;
}

function checkContentType(headers: HeadersLike | undefined): void {
  const type = getHeader(headers, 'content-type');
  if (type !== undefined && !/^\s*application\/([\w.+-]*\+)?json\s*(;|$)/i.test(type)) {
    throw new WebhookError('unsupported_media_type', `Webhook Content-Type must be JSON, got "${type}"`);
  }
}

const describe = (value: unknown) => (typeof value === 'string' ? `"${value}"` : (JSON.stringify(value) ?? String(value)));

/** Each group's events by discriminator value (the first event listing a value wins), built on first use. */
const byValue = new WeakMap<EventGroup, Map<unknown, EventGroup['events'][number]>>();

function eventsByValue(group: EventGroup): Map<unknown, EventGroup['events'][number]> {
  let map = byValue.get(group);
  if (!map) {
    map = new Map();
    for (const event of group.events) for (const value of event.values) if (!map.has(value)) map.set(value, event);
    byValue.set(group, map);
  }
  return map;
}

/** The JSON pointer of batch item `index`, or of the body itself (`undefined`): built only for an error. */
const pointerOf = (index: number | undefined) => (index === undefined ? '' : `/${index}`);

/** The event of a group that `item` (batch item `index`) is, by its discriminator; throws `UnknownEventError` for a value the spec does not list. */
function eventOf(group: EventGroup, item: unknown, index: number | undefined, body: unknown): EventGroup['events'][number] {
  if (group.discriminator === null) {
    const [only] = group.events;
    if (!only) throw new MsgkitError(`No events are defined for ${group.name}`);
    return only;
  }
  if (item === null || typeof item !== 'object' || Array.isArray(item)) {
    const pointer = pointerOf(index);
    throw new WebhookError('invalid_payload', `Webhook event at "${pointer || '/'}" must be a JSON object`, { pointer });
  }
  const property = group.discriminator;
  const value = (item as Record<string, unknown>)[property];
  const event = value === undefined || value === null ? undefined : eventsByValue(group).get(value);
  if (event) return event;
  const at = `${pointerOf(index)}/${property}`;
  if (value === undefined || value === null) throw new WebhookError('invalid_payload', `Webhook event: "${at}" is required`, { pointer: at });
  const known = group.events
    .flatMap((e) => e.values)
    .map(describe)
    .join(', ');
  throw new UnknownEventError(`Webhook "${property}" is ${describe(value)}, an event the spec does not list (it lists ${known})`, {
    body,
    type: value,
    pointer: at,
  });
}

/** Validates one event of a group (batch item `index`), returning it typed or throwing `WebhookError` naming the failing field. */
function validateEvent(group: EventGroup, item: unknown, index: number | undefined, body: unknown): unknown {
  const event = eventOf(group, item, index, body);
  if (index !== undefined && !event.batched) {
    throw new WebhookError('invalid_payload', `Event ${event.name} is not sent in batches, but the body is a JSON array`, { event: event.name });
  }
  if (!event.validate(item)) {
    const issue = event.validate.errors?.[0];
    const missing = issue?.keyword === 'required' ? `/${String(issue.params.missingProperty)}` : '';
    const at = `${pointerOf(index)}${issue?.instancePath ?? ''}${missing}`;
    const what = issue?.keyword === 'required' ? 'is required' : (issue?.message ?? 'is invalid');
    throw new WebhookError('invalid_payload', `Invalid ${event.name} webhook: "${at || '/'}" ${what}`, { pointer: at, event: event.name });
  }
  return item;
}

/**
 * Parses and validates a raw webhook body into typed events. A JSON array yields one event per item
 * (for providers that batch); an object yields one event.
 * @throws {UnknownEventError} for an event type the spec does not list (the provider added one): not malformed, acknowledge it.
 * @throws {WebhookError} for a body that is not JSON, too large, too deep, or misses or mistypes a documented field.
 */
export function parseEvents<T>(group: EventGroup, rawBody: RawBody, headers?: HeadersLike, options: ParseOptions = {}): T[] {
  checkContentType(headers);
  const value = parseJson(bodyText(rawBody, options), options);
  if (!Array.isArray(value)) return [validateEvent(group, value, undefined, value) as T];
  if (value.length === 0) throw new WebhookError('invalid_payload', 'Webhook body is an empty JSON array', { pointer: '' });
  // A batch mixing known and unknown events: the known ones are validated and carried by the UnknownEventError.
  const events: T[] = [];
  let unknown: UnknownEventError | undefined;
  for (let index = 0; index < value.length; index++) {
    try {
      events.push(validateEvent(group, value[index], index, value) as T);
    } catch (error) {
      if (!(error instanceof UnknownEventError)) throw error;
      unknown ??= error;
    }
  }
  if (unknown) throw new UnknownEventError(unknown.message, { body: value, type: unknown.type, pointer: unknown.pointer, events });
  return events;
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
