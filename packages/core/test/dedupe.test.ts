import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MsgkitError } from '../src/index.js';
import { createDeduper, DedupeInFlightError, type DedupeStore, DedupeStoreError, eventKey, memoryDedupeStore } from '../src/webhooks/index.js';

/** A step against the in-memory store: claim a key, complete or release the claim a named earlier claim got, or let time pass. */
type Step = ['claim', string, string?] | ['complete', string, string] | ['release', string, string] | ['wait', number];

/** Runs steps; `['claim', key, name]` remembers the token under `name` for later complete/release steps. */
async function run(options: { maxEntries?: number }, steps: Step[], { leaseMs = 1000, ttlMs = 10_000 } = {}) {
  let time = 0;
  const store = memoryDedupeStore({ now: () => time, ...options });
  const tokens = new Map<string, string>();
  const out: string[] = [];
  for (const step of steps) {
    if (step[0] === 'wait') time += step[1];
    else if (step[0] === 'claim') {
      const claim = await store.claim(step[1], leaseMs);
      out.push(`${step[1]}:${claim.status}`);
      if (claim.status === 'claimed' && step[2]) tokens.set(step[2], claim.token);
    } else if (step[0] === 'complete') await store.complete(step[1], tokens.get(step[2]) ?? 'none', ttlMs);
    else await store.release(step[1], tokens.get(step[2]) ?? 'none');
  }
  return out;
}

describe('memoryDedupeStore', () => {
  it.each<[string, { options?: { maxEntries?: number }; steps: Step[]; want: string[] }]>([
    [
      'a claimed key is in flight for others',
      {
        steps: [
          ['claim', 'a', 't1'],
          ['claim', 'a'],
        ],
        want: ['a:claimed', 'a:in-flight'],
      },
    ],
    [
      'a completed key is done until its TTL',
      {
        steps: [
          ['claim', 'a', 't1'],
          ['complete', 'a', 't1'],
          ['claim', 'a'],
          ['wait', 9999],
          ['claim', 'a'],
          ['wait', 1],
          ['claim', 'a'],
        ],
        want: ['a:claimed', 'a:done', 'a:done', 'a:claimed'],
      },
    ],
    [
      'a released key can be claimed again',
      {
        steps: [
          ['claim', 'a', 't1'],
          ['release', 'a', 't1'],
          ['claim', 'a'],
        ],
        want: ['a:claimed', 'a:claimed'],
      },
    ],
    [
      'a claim ends with its lease',
      {
        steps: [
          ['claim', 'a', 't1'],
          ['wait', 1000],
          ['claim', 'a', 't2'],
        ],
        want: ['a:claimed', 'a:claimed'],
      },
    ],
    [
      "a stale token does not release another delivery's claim",
      {
        steps: [
          ['claim', 'a', 't1'],
          ['wait', 1000],
          ['claim', 'a', 't2'],
          ['release', 'a', 't1'],
          ['claim', 'a'],
        ],
        want: ['a:claimed', 'a:claimed', 'a:in-flight'],
      },
    ],
    [
      "a stale token does not complete another delivery's claim",
      {
        steps: [
          ['claim', 'a', 't1'],
          ['wait', 1000],
          ['claim', 'a', 't2'],
          ['complete', 'a', 't1'],
          ['release', 'a', 't2'],
          ['claim', 'a'],
        ],
        want: ['a:claimed', 'a:claimed', 'a:claimed'],
      },
    ],
    [
      'the least recently seen key is evicted beyond maxEntries',
      {
        options: { maxEntries: 2 },
        steps: [
          ['claim', 'a'],
          ['claim', 'b'],
          ['claim', 'c'],
          ['claim', 'a'],
        ],
        want: ['a:claimed', 'b:claimed', 'c:claimed', 'a:claimed'],
      },
    ],
    [
      'seeing a key again makes it recent',
      {
        options: { maxEntries: 2 },
        steps: [
          ['claim', 'a'],
          ['claim', 'b'],
          ['claim', 'a'],
          ['claim', 'c'],
          ['claim', 'a'],
          ['claim', 'b'],
        ],
        want: ['a:claimed', 'b:claimed', 'a:in-flight', 'c:claimed', 'a:in-flight', 'b:claimed'],
      },
    ],
  ])('%s', async (_, { options = {}, steps, want }) => {
    expect(await run(options, steps)).toEqual(want);
  });

  it('keeps memory bounded by maxEntries, also when the same keys are seen again and again', async () => {
    const store = memoryDedupeStore({ maxEntries: 100 });
    for (let i = 0; i < 1000; i++) await store.claim(`id-${i % 150}`, 60_000);
    const again = await Promise.all(Array.from({ length: 150 }, (_, i) => store.claim(`id-${i}`, 60_000)));
    expect(again.filter((claim) => claim.status === 'in-flight').length).toBeLessThanOrEqual(100);
  });

  it('gives exactly one of many concurrent claims the key', async () => {
    const store = memoryDedupeStore();
    const claims = await Promise.all(Array.from({ length: 50 }, () => store.claim('same', 60_000)));
    expect(claims.filter((claim) => claim.status === 'claimed')).toHaveLength(1);
  });
});

/**
 * Longer than any test may run: a copy waiting for the delivery in flight (`waitMs`) then gives up only when the test
 * has already timed out, so a slow machine makes these tests slower, never changes their outcome.
 */
const BEYOND_TEST_TIMEOUT_MS = 3_600_000;

/** Resolves once every pending promise reaction has run: copies started before it are now waiting, on the handling or on the store. */
const settled = () => new Promise((resolve) => setImmediate(resolve));

/** A gate: `opened` resolves once `open` is called. */
function gate() {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

/**
 * `inner` as another process shares it: `seen(n)` resolves once claims of this process were answered `in-flight`
 * `n` times, i.e. it has looked, and polled again, while the other process held the key.
 */
function sharedStore(inner: DedupeStore) {
  let inFlight = 0;
  const waiting: [number, () => void][] = [];
  const store: DedupeStore = {
    ...inner,
    async claim(key, leaseMs) {
      const claim = await inner.claim(key, leaseMs);
      if (claim.status === 'in-flight') inFlight++;
      for (const [n, resolve] of waiting) if (inFlight >= n) resolve();
      return claim;
    },
  };
  const seen = (n: number) => new Promise<void>((resolve) => (inFlight >= n ? resolve() : waiting.push([n, resolve])));
  return { store, seen };
}

describe('createDeduper().run', () => {
  it('handles a key once: later copies are duplicates', async () => {
    const deduper = createDeduper();
    const runs: string[] = [];
    const first = await deduper.run('a', () => runs.push('a'));
    const second = await deduper.run('a', () => runs.push('again'));
    expect([first, second, runs]).toEqual([{ status: 'handled', value: 1 }, { status: 'duplicate' }, ['a']]);
  });

  it('lets the redelivery of a failed event through', async () => {
    const deduper = createDeduper();
    await expect(
      deduper.run('a', () => {
        throw new Error('handler failed');
      }),
    ).rejects.toThrow('handler failed');
    expect(await deduper.run('a', () => 'retried')).toEqual({ status: 'handled', value: 'retried' });
  });

  it('makes 50 concurrent copies wait for the one handling, and answers its success to all', async () => {
    const deduper = createDeduper({ waitMs: BEYOND_TEST_TIMEOUT_MS });
    const handling = gate();
    let runs = 0;
    let finished = false;
    const copies = Array.from({ length: 50 }, () =>
      deduper
        .run('same', async () => {
          runs++;
          await handling.opened;
          finished = true;
        })
        .then((outcome) => ({ ...outcome, finished })),
    );
    await settled();
    handling.open(); // only now that all 50 are waiting
    const outcomes = await Promise.all(copies);
    expect(runs).toBe(1);
    expect(outcomes.every((outcome) => outcome.finished)).toBe(true);
    expect(outcomes.filter((o) => o.status === 'handled')).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'duplicate')).toHaveLength(49);
  });

  it('answers a copy of a failing handling with a retryable DedupeInFlightError, never success', async () => {
    const deduper = createDeduper({ waitMs: BEYOND_TEST_TIMEOUT_MS });
    const handling = gate();
    const first = deduper.run('a', async () => {
      await handling.opened;
      throw new Error('handler failed');
    });
    const copy = deduper.run('a', () => 'must not run');
    await settled();
    handling.open(); // fails only once the copy is waiting for it
    await expect(first).rejects.toThrow('handler failed');
    const error = await copy.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DedupeInFlightError);
    expect(String(error)).toContain('failed; it will be redelivered');
    expect((error as DedupeInFlightError).retryAfterSeconds).toBeGreaterThan(0);
  });

  it('gives up waiting after waitMs with DedupeInFlightError', async () => {
    const deduper = createDeduper({ waitMs: 50 });
    let finish = () => {};
    const first = deduper.run('a', () => new Promise<void>((resolve) => (finish = resolve)));
    await expect(deduper.run('a', () => 'must not run')).rejects.toBeInstanceOf(DedupeInFlightError);
    finish();
    expect(await first).toEqual({ status: 'handled', value: undefined });
  });

  // The shared store's clock stands still, so the other process's claim cannot run out however slow the machine is.
  it('polls a store shared with another process until the other copy is done', async () => {
    const inner = memoryDedupeStore({ now: () => 0 });
    const { store, seen } = sharedStore(inner);
    const claim = await inner.claim('a', 60_000); // another process claims it
    const copy = createDeduper({ store, waitMs: BEYOND_TEST_TIMEOUT_MS }).run('a', () => 'must not run');
    await seen(2); // looked, and polled again
    if (claim.status === 'claimed') await inner.complete('a', claim.token, 60_000);
    expect(await copy).toEqual({ status: 'duplicate' });
  });

  it('handles the event itself when the other process released its claim', async () => {
    const inner = memoryDedupeStore({ now: () => 0 });
    const { store, seen } = sharedStore(inner);
    const claim = await inner.claim('a', 60_000);
    const copy = createDeduper({ store, waitMs: BEYOND_TEST_TIMEOUT_MS }).run('a', () => 'handled here');
    await seen(2);
    if (claim.status === 'claimed') await inner.release('a', claim.token);
    expect(await copy).toEqual({ status: 'handled', value: 'handled here' });
  });

  it.each([
    ['done', { settle: (store: DedupeStore, token: string) => store.complete('a', token, 60_000), want: { status: 'duplicate' } }],
    ['released', { settle: (store: DedupeStore, token: string) => store.release('a', token), want: { status: 'handled', value: 'handled here' } }],
  ])('under an in-memory store given to it, polls a claim made through the store object (another caller) until it is %s', async (_, { settle, want }) => {
    const store = memoryDedupeStore({ now: () => 0 });
    const claim = await store.claim('a', 60_000);
    const copy = createDeduper({ store, waitMs: BEYOND_TEST_TIMEOUT_MS }).run('a', () => 'handled here');
    await settled(); // the copy found the key in flight with no handling of its own to wait for: it is polling
    if (claim.status === 'claimed') await settle(store, claim.token);
    expect(await copy).toEqual(want);
  });

  it('passes the TTL and lease, and only its own token, to the store', async () => {
    const calls: string[] = [];
    const inner = memoryDedupeStore();
    const store: DedupeStore = {
      claim: async (key, leaseMs) => {
        const claim = await inner.claim(key, leaseMs);
        calls.push(`claim ${key} ${leaseMs} ${claim.status}`);
        return claim;
      },
      complete: async (key, token, ttlMs) => {
        calls.push(`complete ${key} ${token} ${ttlMs}`);
        await inner.complete(key, token, ttlMs);
      },
      release: async (key, token) => {
        calls.push(`release ${key} ${token}`);
        await inner.release(key, token);
      },
    };
    const deduper = createDeduper({ store, ttlMs: 5000, leaseMs: 700 });
    await deduper.run('x', () => {});
    await deduper.run('y', () => Promise.reject(new Error('no'))).catch(() => {});
    expect(calls).toEqual(['claim x 700 claimed', 'complete x 1 5000', 'claim y 700 claimed', 'release y 2']);
  });

  it.each([
    ['claim fails', { fail: 'claim', runs: 0 }],
    ['complete fails', { fail: 'complete', runs: 1 }],
  ])('reports a store failure when %s as DedupeStoreError (a 5xx), with the cause', async (_, { fail, runs }) => {
    const failure = new Error('redis down');
    const inner = memoryDedupeStore();
    const store: DedupeStore = { ...inner, [fail]: () => Promise.reject(failure) };
    let handled = 0;
    const error = await createDeduper({ store })
      .run('x', () => handled++)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DedupeStoreError);
    expect((error as Error).cause).toBe(failure);
    expect(handled).toBe(runs);
  });

  it.each([
    ['a boolean (the old add() shape)', { answer: true }],
    ['a claim without a token', { answer: { status: 'claimed' } }],
  ])('refuses a store that answers a claim with %s as DedupeStoreError, without handling', async (_, { answer }) => {
    const store = { ...memoryDedupeStore(), claim: async () => answer as never };
    let handled = 0;
    await expect(createDeduper({ store }).run('x', () => handled++)).rejects.toBeInstanceOf(DedupeStoreError);
    expect(handled).toBe(0);
  });

  it('never turns a failed handling into a duplicate when release fails: the redelivery waits (503), then is handled once the lease ends', async () => {
    // The store's clock moves only when the test says so: the lease ends at 100 ms of it, however long the real waits take.
    let time = 0;
    const store: DedupeStore = { ...memoryDedupeStore({ now: () => time }), release: () => Promise.reject(new Error('redis down')) };
    const deduper = createDeduper({ store, leaseMs: 100, waitMs: 20 });
    await expect(deduper.run('x', () => Promise.reject(new Error('handler failed')))).rejects.toThrow('handler failed');
    await expect(deduper.run('x', () => 'too early')).rejects.toBeInstanceOf(DedupeInFlightError);
    time = 99;
    await expect(deduper.run('x', () => 'still too early')).rejects.toBeInstanceOf(DedupeInFlightError);
    time = 100;
    expect(await deduper.run('x', () => 'redelivered')).toEqual({ status: 'handled', value: 'redelivered' });
  });

  it("keeps the handler's error when release fails: the lease then ends the claim", async () => {
    const store: DedupeStore = { ...memoryDedupeStore(), release: () => Promise.reject(new Error('redis down')) };
    await expect(createDeduper({ store }).run('x', () => Promise.reject(new Error('handler failed')))).rejects.toThrow('handler failed');
  });
});

describe('createDeduper input checks', () => {
  const store: DedupeStore = memoryDedupeStore();
  it.each([
    ['ttlMs 0', { given: { ttlMs: 0 } }],
    ['leaseMs NaN', { given: { leaseMs: Number.NaN } }],
    ['waitMs -1', { given: { waitMs: -1 } }],
    ['maxEntries 1.5', { given: { maxEntries: 1.5 } }],
    ['maxEntries with a custom store', { given: { maxEntries: 5, store } }],
    ['a store of the old add/delete shape', { given: { store: { add: async () => true, delete: async () => {} } } }],
  ])('rejects %s with MsgkitError', (_, { given }) => {
    expect(() => createDeduper(given as never)).toThrow(MsgkitError);
  });

  it.each([
    ['an empty key', { given: '' }],
    ['a number', { given: 42 }],
    ['undefined (an event without an id)', { given: undefined }],
  ])('rejects %s as a key with MsgkitError', async (_, { given }) => {
    await expect(createDeduper().run(given as never, () => {})).rejects.toBeInstanceOf(MsgkitError);
  });
});

describe('eventKey', () => {
  it.each([
    ['key order', { a: { event: 'x', data: { id: 1, text: 'hi' } }, b: { data: { text: 'hi', id: 1 }, event: 'x' }, same: true }],
    ['another value', { a: { event: 'x', data: { id: 1 } }, b: { event: 'x', data: { id: 2 } }, same: false }],
    ['array order', { a: { list: [1, 2] }, b: { list: [2, 1] }, same: false }],
  ])('is canonical over %s', async (_, { a, b, same }) => {
    const [keyA, keyB] = [await eventKey(a), await eventKey(b)];
    expect(keyA).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(keyA === keyB).toBe(same);
  });

  /** `sha256:` + the hex WebCrypto SHA-256 of `text`: the reference the key is checked against. */
  async function webCryptoKey(text: string): Promise<string> {
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
    return `sha256:${Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
  }

  it.each([
    ['an empty object', { event: {}, text: '{}' }],
    [
      'sorted keys, no spaces, undefined members left out',
      { event: { b: [1, 'two', null], a: { d: undefined, c: true } }, text: '{"a":{"c":true},"b":[1,"two",null]}' },
    ],
    ['escaped keys and text', { event: { 'k"ey': 'line\nbreak ☃ 😀' }, text: '{"k\\"ey":"line\\nbreak ☃ 😀"}' }],
    ['an event over 64 KiB (hashed by WebCrypto, not in process)', { event: { text: 'y'.repeat(70_000) }, text: `{"text":"${'y'.repeat(70_000)}"}` }],
  ])('is the SHA-256 of the canonical JSON, as WebCrypto computes it: %s', async (_, { event, text }) => {
    expect(await eventKey(event)).toBe(await webCryptoKey(text));
  });

  it('matches WebCrypto for any JSON value of any length (500 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 600 }), async (text) => {
        expect(await eventKey(text)).toBe(await webCryptoKey(JSON.stringify(text)));
      }),
      { numRuns: 500 },
    );
  });
});
