import { describe, expect, it } from 'vitest';
import { fillPlaceholders, freshLike, hasSpec, isPlaceholder, loadSpec, providers } from '../src/index.js';

const strings = (node: unknown): string[] => (typeof node === 'string' ? [node] : node && typeof node === 'object' ? Object.values(node).flatMap(strings) : []);

describe('isPlaceholder', () => {
  it.each([
    ['{{MESSAGE_ID}}', true],
    ['...', true],
    ['string', true],
    ['Lorem Ipsum is simply dummy text of the printing industry', true],
    ['<your api key>', true],
    ['6456078996108088196', false],
    ['Hello world!', false],
    ['<p>This is the group signature.</p>', false],
  ])('%j → %s', (given, want) => {
    expect(isPlaceholder(given)).toBe(want);
  });
});

describe('freshLike keeps the shape and changes the value', () => {
  it.each([
    ['a UUID', { given: '3e28ec48-d620-4191-a96e-d91ba8ecc949', want: /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/ }],
    ['digits', { given: '6456078996108088196', want: /^[1-9]\d{18}$/ }],
    ['hex', { given: 'f0fafb1637c34e51b603575be7afa551', want: /^[0-9a-f]{32}$/ }],
    ['a timestamp', { given: '2016-10-06T13:42:48Z', want: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/ }],
    ['a placeholder', { given: '{{MESSAGE_ID}}', want: /^[0-9a-f-]{36}$/ }],
  ])('%s', (_, { given, want }) => {
    const fresh = freshLike(given);
    expect(fresh).toMatch(want);
    expect(fresh).not.toBe(given);
  });
});

/** Every response example of a spec, by `operationId status name`. */
function responseExamples(doc: Record<string, any>): [string, unknown, unknown][] {
  const deref = (node: any): any =>
    node?.$ref
      ? deref(
          node.$ref
            .slice(2)
            .split('/')
            .reduce((n: any, k: string) => n?.[k], doc),
        )
      : node;
  return Object.values<any>(doc.paths ?? {}).flatMap((item) =>
    Object.values<any>(item).flatMap((op) =>
      Object.entries<any>(op?.responses ?? {}).flatMap(([status, response]) => {
        const media = deref(response)?.content?.['application/json'];
        const named =
          media?.example !== undefined
            ? { default: media.example }
            : Object.fromEntries(Object.entries<any>(media?.examples ?? {}).map(([n, e]) => [n, deref(e).value]));
        return Object.entries(named).map(([name, value]): [string, unknown, unknown] => [`${op.operationId} ${status} ${name}`, media?.schema, value]);
      }),
    ),
  );
}

describe.each(providers.filter(hasSpec).map((p) => [p.name, loadSpec(p)] as const))('%s answers as the mock serves them', (_, doc) => {
  it.each(responseExamples(doc))('%s has no placeholder left', (_, schema, example) => {
    const served = fillPlaceholders(doc, schema, example);
    expect(strings(served).filter(isPlaceholder)).toEqual([]);
    // Real values stay as the docs wrote them.
    expect(strings(served).length).toBe(strings(example).length);
  });
});
