import { fullFormats } from 'ajv-formats/dist/formats.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validatorRuntime } from '../src/webhooks/index.js';

/** ajv-formats' own checks: the runtime must answer exactly as they do. */
const reference = {
  dateTime: (fullFormats['date-time'] as { validate: (text: string) => boolean }).validate,
  ucs2length: (text: string) => [...text].length,
};
const runtime = {
  dateTime: (validatorRuntime.formats['date-time'] as { validate: (text: string) => boolean }).validate,
  ucs2length: validatorRuntime.ucs2length,
};

/** Date-time-like text: digits, separators, zone letters and spaces, so most draws are near misses of the format. */
const dateTimeLike = fc.oneof(
  fc.stringMatching(/^\d{4}-[01]\d-[0-3]\d[Tt ][0-2]\d:[0-6]\d:[0-6]\d(\.\d{0,4})?([Zz]|[+-][0-2]\d:?[0-6]\d|[+-][0-2]\d)?$/),
  fc.string({ unit: fc.constantFrom(...'0123456789-:.+TtZz \t'.split('')), maxLength: 32 }),
);

describe('validatorRuntime', () => {
  it.each([
    ['the spec examples', { given: ['2019-08-24T14:15:22Z', '2019-03-27T18:42:48.123+01:00'], want: true }],
    ['lowercase separators', { given: ['2019-08-24t14:15:22z'], want: true }],
    ['29 February of a leap year', { given: ['2024-02-29T00:00:00Z', '2000-02-29T00:00:00Z'], want: true }],
    ['29 February of other years', { given: ['2023-02-29T00:00:00Z', '1900-02-29T00:00:00Z'], want: false }],
    ['a leap second at the end of a UTC day', { given: ['2016-12-31T23:59:60Z', '2016-12-31T18:59:60-05:00'], want: true }],
    ['a second 60 elsewhere', { given: ['2016-12-31T12:59:60Z'], want: false }],
    ['a space separator and a zone without colon', { given: ['2019-08-24 14:15:22+0100'], want: true }],
    ['no zone', { given: ['2019-08-24T14:15:22'], want: false }],
    ['out-of-range fields', { given: ['2019-13-24T14:15:22Z', '2019-08-32T14:15:22Z', '2019-08-24T24:15:22Z', '2019-08-24T14:15:22+24:00'], want: false }],
    ['an empty fraction', { given: ['2019-08-24T14:15:22.Z'], want: false }],
    ['trailing text', { given: ['2019-08-24T14:15:22Zx', '2019-08-24T14:15:22+01:00 '], want: false }],
  ])('date-time: %s', (_, { given, want }) => {
    for (const text of given) expect([text, runtime.dateTime(text), reference.dateTime(text)]).toEqual([text, want, want]);
  });

  it('date-time answers as ajv-formats does for any date-time-like text (20,000 runs)', () => {
    fc.assert(
      fc.property(dateTimeLike, (text) => {
        expect(runtime.dateTime(text)).toBe(reference.dateTime(text));
      }),
      { numRuns: 20_000 },
    );
  });

  it('ucs2length counts code points as a string iterator does, surrogate pairs once and lone surrogates as one (10,000 runs)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.oneof(fc.constant('😀'), fc.constant('\uD800'), fc.constant('\uDC00'), fc.constant('é'), fc.constant('a')) }),
        (text) => {
          expect(runtime.ucs2length(text)).toBe(reference.ucs2length(text));
        },
      ),
      { numRuns: 10_000 },
    );
  });
});
