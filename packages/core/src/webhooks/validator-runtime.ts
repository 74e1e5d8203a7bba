import { fullFormats } from 'ajv-formats/dist/formats.js';

/** A high surrogate: without one, every UTF-16 unit is a code point (V8 answers this at once for Latin-1 strings). */
const HIGH_SURROGATE = /[\uD800-\uDBFF]/;

/** Length of a string in Unicode code points, as JSON Schema `maxLength` counts. */
function ucs2length(text: string): number {
  if (!HIGH_SURROGATE.test(text)) return text.length;
  let length = 0;
  for (const _ of text) length++;
  return length;
}

/** Deep equality of JSON values, as JSON Schema `const` and `enum` compare. */
function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return Number.isNaN(a) && Number.isNaN(b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((key) => Object.hasOwn(b, key) && equal((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

const isDigit = (code: number) => code >= 0x30 && code <= 0x39;
/** The two-digit number at `at`, or NaN. */
const twoDigits = (text: string, at: number) =>
  isDigit(text.charCodeAt(at)) && isDigit(text.charCodeAt(at + 1)) ? (text.charCodeAt(at) - 0x30) * 10 + text.charCodeAt(at + 1) - 0x30 : Number.NaN;
const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * True for the usual RFC 3339 shape, `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` with every field in range, checked
 * character by character. False means "not this shape", never "invalid": the full format check decides then.
 */
function plainDateTime(text: string): boolean {
  if (text.length < 20 || text[4] !== '-' || text[7] !== '-' || (text[10] !== 'T' && text[10] !== 't') || text[13] !== ':' || text[16] !== ':') return false;
  const year = twoDigits(text, 0) * 100 + twoDigits(text, 2);
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  const days = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : DAYS_IN_MONTH[month];
  // Comparisons with NaN (a non-digit) are false, so every field must be digits in range.
  if (!(year >= 0 && month >= 1 && month <= 12 && day >= 1 && days !== undefined && day <= days)) return false;
  if (!(twoDigits(text, 11) <= 23 && twoDigits(text, 14) <= 59 && twoDigits(text, 17) <= 59)) return false;
  let at = 19;
  if (text[at] === '.') {
    const digits = ++at;
    while (isDigit(text.charCodeAt(at))) at++;
    if (at === digits) return false;
  }
  const zone = text[at];
  if (zone === 'Z' || zone === 'z') return at + 1 === text.length;
  return (zone === '+' || zone === '-') && at + 6 === text.length && text[at + 3] === ':' && twoDigits(text, at + 1) <= 23 && twoDigits(text, at + 4) <= 59;
}

const fullDateTime = fullFormats['date-time'] as { validate: (text: string) => boolean; compare: unknown };
/** ajv-formats' `date-time`, answered without its regular expressions for the usual shape. */
const formats = { ...fullFormats, 'date-time': { ...fullDateTime, validate: (text: string) => plainDateTime(text) || fullDateTime.validate(text) } };

/** Helpers the generated (ajv standalone) webhook validators call at run time. Not for direct use. */
export const validatorRuntime: {
  readonly ucs2length: (text: string) => number;
  readonly equal: (a: unknown, b: unknown) => boolean;
  readonly formats: Readonly<Record<string, unknown>>;
} = { ucs2length, equal, formats };
