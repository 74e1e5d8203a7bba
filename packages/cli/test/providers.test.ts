import { describe, expect, it } from 'vitest';
import { findProvider, mockPort, providers, suggest, table, UsageError } from '../src/index.js';

describe('providers', () => {
  it('lists the five providers on ports 4010-4014', () => {
    expect(providers.map((p) => [p.name, p.port])).toEqual([
      ['olly', 4010],
      ['ocelot', 4011],
      ['messente', 4012],
      ['amio', 4013],
      ['volly', 4014],
    ]);
  });

  it.each([
    ['olyy', { want: 'olly' }],
    ['Amio', { want: 'amio' }],
    ['mesente', { want: 'messente' }],
    ['twilio', { want: undefined }],
  ])('suggests a provider for %s', (given, { want }) => {
    expect(
      suggest(
        given,
        providers.map((p) => p.name),
      ),
    ).toBe(want);
  });

  it('names the closest provider in the error for an unknown one', () => {
    expect(() => findProvider('volyl')).toThrow(UsageError);
    expect(() => findProvider('volyl')).toThrow(/Did you mean "volly"/);
  });

  it.each([
    ['no base: the fixed ports', { given: { names: ['olly', 'ocelot', 'messente', 'amio', 'volly'], base: undefined }, want: [4010, 4011, 4012, 4013, 4014] }],
    ['no base, some providers', { given: { names: ['volly', 'olly'], base: undefined }, want: [4014, 4010] }],
    ['another base', { given: { names: ['olly', 'ocelot', 'messente', 'amio', 'volly'], base: 5000 }, want: [5000, 5001, 5002, 5003, 5004] }],
    ['a base: the first listed provider gets it', { given: { names: ['volly'], base: 5000 }, want: [5000] }],
    ['a base, in listed order', { given: { names: ['amio', 'olly'], base: 5000 }, want: [5000, 5001] }],
    ['free ports', { given: { names: ['olly', 'volly'], base: 0 }, want: [0, 0] }],
  ])('maps ports for %s', (_, { given, want }) => {
    expect(given.names.map((name, i) => mockPort(findProvider(name), i, given.base))).toEqual(want);
  });

  it('pads table columns', () => {
    expect(
      table([
        ['provider', 'url'],
        ['olly', 'http://127.0.0.1:4010'],
      ]),
    ).toBe('provider  url\nolly      http://127.0.0.1:4010');
  });
});
