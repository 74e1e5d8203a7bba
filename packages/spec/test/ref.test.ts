import { describe, expect, it } from 'vitest';
import { deref, resolveRef } from '../src/ref.js';

const doc = {
  components: {
    schemas: { A: { type: 'string' }, B: { $ref: '#/components/schemas/A' }, 'a/b~c': { type: 'integer' } },
  },
};

describe('resolveRef', () => {
  it.each([
    ['a component', { given: '#/components/schemas/A', want: { type: 'string' } }],
    ['escaped ~1 and ~0', { given: '#/components/schemas/a~1b~0c', want: { type: 'integer' } }],
    ['one step only', { given: '#/components/schemas/B', want: { $ref: '#/components/schemas/A' } }],
  ])('%s', (_, { given, want }) => {
    expect(resolveRef(doc, given)).toEqual(want);
  });

  it.each([
    ['an external ref', { given: 'other.yaml#/A', want: /Only internal \$refs/ }],
    ['a missing node', { given: '#/components/schemas/Nope', want: /Unresolvable \$ref #\/components\/schemas\/Nope/ }],
  ])('refuses %s', (_, { given, want }) => {
    expect(() => resolveRef(doc, given)).toThrow(want);
  });
});

describe('deref', () => {
  it.each([
    ['a chain of refs', { given: { $ref: '#/components/schemas/B' }, want: { type: 'string' } }],
    ['a plain node', { given: { type: 'object' }, want: { type: 'object' } }],
    ['undefined', { given: undefined, want: undefined }],
  ])('%s', (_, { given, want }) => {
    expect(deref(doc, given)).toEqual(want);
  });
});
