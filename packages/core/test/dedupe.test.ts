import { describe, expect, it } from 'vitest';
import { MsgkitError } from '../src/index.js';
import { createDeduper, type DeduperOptions, type DedupeStore } from '../src/webhooks/index.js';

/** A step of a dedupe scenario: check a key, forget it, or let time pass. */
type Step = ['check', string] | ['forget', string] | ['wait', number];

async function run(options: DeduperOptions, steps: Step[]) {
  let time = 0;
  const deduper = createDeduper({ now: () => time, ...options });
  const out: string[] = [];
  for (const [action, value] of steps) {
    if (action === 'wait') time += value;
    else if (action === 'forget') await deduper.forget(value);
    else out.push(`${value}:${await deduper.check(value)}`);
  }
  return out;
}

describe('createDeduper (in-memory LRU + TTL)', () => {
  it.each<[string, { options: DeduperOptions; steps: Step[]; want: string[] }]>([
    [
      'a redelivery is a duplicate',
      {
        options: {},
        steps: [
          ['check', 'a'],
          ['check', 'a'],
          ['check', 'b'],
        ],
        want: ['a:new', 'a:duplicate', 'b:new'],
      },
    ],
    [
      'ids are remembered for 24 h by default',
      {
        options: {},
        steps: [
          ['check', 'a'],
          ['wait', 86_399_999],
          ['check', 'a'],
        ],
        want: ['a:new', 'a:duplicate'],
      },
    ],
    [
      'an id is new again after its TTL',
      {
        options: { ttlMs: 1000 },
        steps: [
          ['check', 'a'],
          ['wait', 1000],
          ['check', 'a'],
        ],
        want: ['a:new', 'a:new'],
      },
    ],
    [
      'a forgotten id is new again',
      {
        options: {},
        steps: [
          ['check', 'a'],
          ['forget', 'a'],
          ['check', 'a'],
        ],
        want: ['a:new', 'a:new'],
      },
    ],
    [
      'the least recently seen id is evicted beyond maxEntries',
      {
        options: { maxEntries: 2 },
        steps: [
          ['check', 'a'],
          ['check', 'b'],
          ['check', 'c'],
          ['check', 'a'],
        ],
        want: ['a:new', 'b:new', 'c:new', 'a:new'],
      },
    ],
    [
      'seeing an id again makes it recent',
      {
        options: { maxEntries: 2 },
        steps: [
          ['check', 'a'],
          ['check', 'b'],
          ['check', 'a'],
          ['check', 'c'],
          ['check', 'a'],
          ['check', 'b'],
        ],
        want: ['a:new', 'b:new', 'a:duplicate', 'c:new', 'a:duplicate', 'b:new'],
      },
    ],
  ])('%s', async (_, { options, steps, want }) => {
    expect(await run(options, steps)).toEqual(want);
  });

  it('keeps memory bounded by maxEntries', async () => {
    const deduper = createDeduper({ maxEntries: 100 });
    for (let i = 0; i < 1000; i++) await deduper.check(`id-${i}`);
    const remembered = await Promise.all(Array.from({ length: 1000 }, (_, i) => deduper.check(`id-${i}`)));
    expect(remembered.filter((r) => r === 'duplicate').length).toBeLessThanOrEqual(100);
  });

  it('reports exactly one of many concurrent deliveries as new', async () => {
    const deduper = createDeduper();
    const results = await Promise.all(Array.from({ length: 50 }, () => deduper.check('same')));
    expect(results.filter((r) => r === 'new')).toHaveLength(1);
  });
});

describe('createDeduper with a custom store', () => {
  it('uses the store and passes the TTL', async () => {
    const calls: string[] = [];
    const seen = new Set<string>();
    const store: DedupeStore = {
      async add(key, ttlMs) {
        calls.push(`add ${key} ${ttlMs}`);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      },
      async delete(key) {
        calls.push(`delete ${key}`);
        seen.delete(key);
      },
    };
    const deduper = createDeduper({ store, ttlMs: 5000 });
    expect([await deduper.check('x'), await deduper.check('x')]).toEqual(['new', 'duplicate']);
    await deduper.forget('x');
    expect(calls).toEqual(['add x 5000', 'add x 5000', 'delete x']);
  });

  it('passes store failures through', async () => {
    const failure = new Error('redis down');
    const deduper = createDeduper({ store: { add: () => Promise.reject(failure), delete: async () => {} } });
    await expect(deduper.check('x')).rejects.toBe(failure);
  });
});

describe('createDeduper input checks', () => {
  it.each([
    ['ttlMs 0', { given: { ttlMs: 0 } }],
    ['maxEntries 1.5', { given: { maxEntries: 1.5 } }],
    ['maxEntries with a custom store', { given: { maxEntries: 5, store: { add: async (): Promise<boolean> => true, delete: async (): Promise<void> => {} } } }],
    ['a store without delete', { given: { store: { add: async (): Promise<boolean> => true } } }],
  ])('rejects %s with MsgkitError', (_, { given }) => {
    expect(() => createDeduper(given as never)).toThrow(MsgkitError);
  });

  it.each([
    ['an empty key', { given: '' }],
    ['a number', { given: 42 }],
    ['undefined (an event without an id)', { given: undefined }],
  ])('rejects %s as a key with MsgkitError', async (_, { given }) => {
    await expect(createDeduper().check(given as never)).rejects.toBeInstanceOf(MsgkitError);
  });
});
