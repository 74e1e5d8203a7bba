import { describe, expect, it } from 'vitest';
import { type CleanMode, clean } from '../src/validators.js';

const lenient: CleanMode = { lenient: true, discriminators: new Set(['event']) };
const strict: CleanMode = { lenient: false, discriminators: new Set(['event']) };
const inferred = { 'x-inferred': true, 'x-inferred-reason': 'why' };

describe('clean (the validator compiler transform)', () => {
  it.each([
    ['annotations and x- keys go', { mode: strict, given: { type: 'string', description: 'd', example: 'e', 'x-y': 1 }, want: { type: 'string' } }],
    [
      'discriminator mapping goes (ajv refuses it)',
      {
        mode: strict,
        given: { discriminator: { propertyName: 'event', mapping: { a: '#/A' } }, oneOf: [] },
        want: { discriminator: { propertyName: 'event' }, oneOf: [] },
      },
    ],
    ['strict keeps inferred constraints', { mode: strict, given: { type: 'string', format: 'uuid', ...inferred }, want: { type: 'string', format: 'uuid' } }],
    [
      'lenient drops inferred constraints but keeps type',
      { mode: lenient, given: { type: 'string', format: 'uuid', pattern: 'x', minLength: 1, enum: ['a'], ...inferred }, want: { type: 'string' } },
    ],
    ['lenient keeps documented constraints', { mode: lenient, given: { type: 'string', format: 'uuid' }, want: { type: 'string', format: 'uuid' } }],
    [
      'lenient drops an inferred required list',
      {
        mode: lenient,
        given: { type: 'object', required: ['a'], properties: { a: { type: 'string' } }, ...inferred },
        want: { type: 'object', properties: { a: { type: 'string' } } },
      },
    ],
    ['lenient never closes objects', { mode: lenient, given: { type: 'object', additionalProperties: false }, want: { type: 'object' } }],
    [
      'lenient reads oneOf as anyOf, without discriminator',
      { mode: lenient, given: { oneOf: [{ type: 'string' }], discriminator: { propertyName: 'event' } }, want: { anyOf: [{ type: 'string' }] } },
    ],
    [
      'lenient keeps the discriminator pin of an inferred property',
      {
        mode: lenient,
        given: { properties: { event: { const: 'sent', format: 'x', ...inferred }, other: { const: 'y', ...inferred } } },
        want: { properties: { event: { const: 'sent' }, other: {} } },
      },
    ],
    [
      'nested schemas are cleaned',
      { mode: lenient, given: { type: 'array', items: { type: 'string', maxLength: 3, ...inferred } }, want: { type: 'array', items: { type: 'string' } } },
    ],
  ])('%s', (_, { mode, given, want }) => {
    expect(clean(given, mode)).toEqual(want);
  });
});
