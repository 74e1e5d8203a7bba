import { randomBytes, randomUUID } from 'node:crypto';
import { deref } from '@msgkit/spec';

type Doc = Record<string, any>;
type Schema = Record<string, any>;

/** Placeholder text from docs and generators: `{{MESSAGE_ID}}`, `...`, `string`, lorem ipsum, `<your key>`. */
const PLACEHOLDER = /^\s*(?:\{\{[^}]*\}\}|\.\.\.|…|string|<[^<>]+>|YOUR_[A-Z_]+)\s*$|lorem ipsum|dolor sit amet/i;

/** True when a string value is a placeholder nobody would send or receive. */
export function isPlaceholder(value: unknown): boolean {
  return typeof value === 'string' && PLACEHOLDER.test(value);
}

const isObject = (value: unknown): value is Record<string, any> => value !== null && typeof value === 'object' && !Array.isArray(value);
const digits = (n: number) => Array.from(randomBytes(n), (b) => String(b % 10)).join('');
const hex = (n: number) =>
  randomBytes(Math.ceil(n / 2))
    .toString('hex')
    .slice(0, n);

/** A schema with its `$ref`s, `allOf` parts and (for property lookup) `oneOf`/`anyOf` branches merged. */
function flatten(doc: Doc, node: unknown, depth = 0): Schema {
  const schema = deref(doc, node) ?? {};
  if (!isObject(schema) || depth > 8) return {};
  const parts = [...(schema.allOf ?? []), ...(schema.oneOf ?? []), ...(schema.anyOf ?? [])].map((part: unknown) => flatten(doc, part, depth + 1));
  if (parts.length === 0) return schema;
  const merged: Schema = { ...schema, properties: { ...schema.properties } };
  for (const part of parts) {
    for (const [name, value] of Object.entries(part)) if (merged[name] === undefined) merged[name] = value;
    for (const [name, value] of Object.entries(part.properties ?? {})) merged.properties[name] ??= value;
  }
  return merged;
}

let lastTime = 0;

/** Now as an ISO timestamp, later than any this process made before (so two fresh events never share one). */
function freshTime(): string {
  lastTime = Math.max(Date.now(), lastTime + 1);
  return new Date(lastTime).toISOString();
}

/**
 * A value of the same shape as `like`, fresh: a new UUID for a UUID, the current time for a
 * timestamp, as many random digits for digits, hex for hex, else a random suffix.
 */
export function freshLike(like: unknown): unknown {
  if (typeof like === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(like)) return freshTime();
  if (typeof like === 'number') return Number(digits(String(Math.trunc(like)).length || 6).replace(/^0/, '1'));
  const text = String(like ?? '');
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text) || isPlaceholder(text) || text === '') return randomUUID();
  if (/^\d+$/.test(text)) return digits(text.length).replace(/^0/, '1');
  if (/^[0-9a-f]+$/i.test(text)) return hex(text.length);
  return `${text.replace(/[-_]?[0-9a-z]{6}$/i, '')}-${hex(6)}`;
}

/** A realistic string for a schema and property name; ids look like `sampleId`, an id of the same document. */
function realisticString(schema: Schema, key: string, sampleId?: string): string {
  if (schema.const !== undefined) return String(schema.const);
  if (Array.isArray(schema.enum) && schema.enum.length) return String(schema.enum[0]);
  const example = schema.example ?? schema.examples?.[0];
  if (typeof example === 'string' && !isPlaceholder(example)) return example;
  switch (schema.format) {
    case 'uuid':
      return randomUUID();
    case 'date-time':
      return new Date().toISOString();
    case 'date':
      return new Date().toISOString().slice(0, 10);
    case 'email':
      return 'ada.lovelace@example.com';
    case 'uri':
    case 'url':
      return `https://example.com/${key.toLowerCase() || 'resource'}`;
    case 'ipv4':
      return '192.0.2.10';
  }
  if (/^\^?\[0-9\]|^\^?\\d/.test(String(schema.pattern ?? ''))) return digits(19).replace(/^0/, '1');
  const name = key.toLowerCase();
  if (/phone|number$|^to$|^from$|msisdn/.test(name)) return '+15555550123';
  if (/e-?mail/.test(name)) return 'ada.lovelace@example.com';
  if (/url|uri|link|redirect/.test(name)) return `https://example.com/${name}`;
  if (ID_KEY.test(key)) return sampleId ? String(freshLike(sampleId)) : hex(24);
  if (/payload|ref/.test(name)) return `${name.toUpperCase()}_${hex(8).toUpperCase()}`;
  if (/message|text|content|body|reply/.test(name)) return 'Your appointment is confirmed for 10:00 tomorrow. Reply STOP to opt out.';
  if (/label|name|title|subject/.test(name)) return 'Customer support';
  if (/description|note|comment/.test(name)) return 'Main customer support line';
  return `${name || 'value'}-${hex(8)}`;
}

const ID_KEY = /(?:^|_)id$|[a-z]Id$/;

/** The first real (non-placeholder) string under an id-like key in `value`: ids the document invents look like it. */
function findSampleId(value: unknown): string | undefined {
  if (Array.isArray(value)) return value.map(findSampleId).find(Boolean);
  if (!isObject(value)) return undefined;
  for (const [key, item] of Object.entries(value)) {
    if (ID_KEY.test(key) && typeof item === 'string' && item && !isPlaceholder(item)) return item;
  }
  return Object.values(value).map(findSampleId).find(Boolean);
}

/** Options of `fillPlaceholders`. */
export interface FillOptions {
  /** Also replace generated strings (Prism `--dynamic` answers are random words): every string the schema does not pin by const, enum, format or pattern. */
  generated?: boolean;
  /** An id of the same document new ids are shaped like (default: the first real id in `value`). */
  sampleId?: string;
}

/**
 * A copy of `value` in which every placeholder string (see `isPlaceholder`) is replaced with a
 * realistic value chosen by its schema (const, enum, example, format, pattern) and property name.
 */
export function fillPlaceholders(doc: Doc, schema: unknown, value: unknown, options: FillOptions = {}, key = ''): unknown {
  if (!('sampleId' in options)) return fillPlaceholders(doc, schema, value, { ...options, sampleId: options.generated ? undefined : findSampleId(value) }, key);
  const flat = flatten(doc, schema);
  if (typeof value === 'string') {
    const generated = options.generated && flat.const === undefined && !flat.enum && !flat.format && !flat.pattern;
    return isPlaceholder(value) || generated ? realisticString(flat, key, options.sampleId) : value;
  }
  if (Array.isArray(value)) return value.map((item) => fillPlaceholders(doc, flat.items, item, options, key));
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([name, item]) => [
      name,
      fillPlaceholders(doc, flat.properties?.[name] ?? (isObject(flat.additionalProperties) ? flat.additionalProperties : undefined), item, options, name),
    ]),
  );
}
