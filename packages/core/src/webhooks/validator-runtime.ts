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

/** Helpers the generated (ajv standalone) webhook validators call at run time. Not for direct use. */
export const validatorRuntime: {
  readonly ucs2length: (text: string) => number;
  readonly equal: (a: unknown, b: unknown) => boolean;
  readonly formats: Readonly<Record<string, unknown>>;
} = { ucs2length, equal, formats: fullFormats };
