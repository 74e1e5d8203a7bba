import { Ajv } from 'ajv';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { parseRetryAfter } from '../src/errors.js';
import { scrub } from '../src/redact.js';
import {
  type EventGroup,
  getHeader,
  type HeadersLike,
  parseEvents,
  SignatureError,
  signHmac,
  type ValidateFunction,
  verifyHmac,
  WebhookError,
} from '../src/webhooks/index.js';

const NUM_RUNS = 10_000;
// Thousands of generated cases each: generous, since CI runs the whole pipeline on two cores at once.
vi.setConfig({ testTimeout: 240_000 });

/** A group with real (ajv-compiled) validators, as `generate` builds them. */
const ajv = new Ajv({ allErrors: false });
const group: EventGroup = {
  name: 'webhooks',
  discriminator: 'type',
  events: [
    {
      name: 'Status',
      values: ['status'],
      batched: true,
      validate: ajv.compile({
        type: 'object',
        required: ['type', 'id', 'status'],
        properties: { type: { const: 'status' }, id: { type: 'string', minLength: 1 }, status: { enum: ['SENT', 'FAILED'] }, at: { type: 'integer' } },
      }) as ValidateFunction,
    },
    {
      name: 'Message',
      values: ['message'],
      batched: false,
      validate: ajv.compile({
        type: 'object',
        required: ['type', 'text'],
        properties: { type: { const: 'message' }, text: { type: 'string', maxLength: 50 }, meta: { type: 'object', additionalProperties: { type: 'string' } } },
      }) as ValidateFunction,
    },
  ],
};

/** Event-shaped JSON (mostly close to valid), so that runs reach the validators rather than stop at JSON.parse. */
const eventLike = fc.record(
  {
    type: fc.oneof({ arbitrary: fc.constantFrom('status', 'message'), weight: 4 }, fc.constantFrom('__proto__', 'constructor'), fc.jsonValue()),
    id: fc.oneof({ arbitrary: fc.string(), weight: 4 }, fc.jsonValue()),
    status: fc.oneof({ arbitrary: fc.constantFrom('SENT', 'FAILED'), weight: 4 }, fc.jsonValue()),
    text: fc.oneof({ arbitrary: fc.string({ maxLength: 60 }), weight: 4 }, fc.jsonValue()),
    at: fc.oneof({ arbitrary: fc.integer(), weight: 4 }, fc.jsonValue()),
    meta: fc.oneof({ arbitrary: fc.dictionary(fc.string(), fc.string()), weight: 4 }, fc.jsonValue()),
    __proto__: fc.jsonValue(),
    constructor: fc.jsonValue(),
  },
  { requiredKeys: [] },
);
const closeToValid = eventLike.map(({ __proto__: _, constructor: __, ...event }) => event);

/** Raw bodies of every kind: text, bytes, JSON (events, batches, anything), and values that are not bodies at all. */
const rawBodies = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.uint8Array(),
  fc.json(),
  { arbitrary: closeToValid.map((event) => JSON.stringify(event)), weight: 3 },
  { arbitrary: fc.array(closeToValid, { maxLength: 5 }).map((events) => JSON.stringify(events)), weight: 3 },
  eventLike.map((event) => JSON.stringify(event)),
  eventLike.map((event) => `{"__proto__":${JSON.stringify(event)}}`),
  fc.anything(),
);

/** Header sets as Node or a plain object gives them: none, a JSON content type, or random ones. */
const headerSets: fc.Arbitrary<HeadersLike> = fc.oneof(
  fc.constant({}),
  fc.constantFrom(
    { 'content-type': 'application/json' },
    { 'Content-Type': ['application/json; charset=utf-8'] },
    new Headers({ 'content-type': 'application/vnd.x+json' }),
  ),
  fc.dictionary(
    fc.oneof(fc.string(), fc.constantFrom('content-type', 'Content-Type', 'x-hub-signature', 'X-Hub-Signature')),
    fc.oneof(fc.string(), fc.array(fc.string()), fc.constant(undefined), fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain')),
  ),
);

/** Signature-like strings: free text, `sha1=`/`sha256=` with hex of any length, base64. */
const signatures = fc.oneof(
  fc.string(),
  fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF') }).map((hex) => `sha1=${hex}`),
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 40, maxLength: 40 }).map((hex) => `sha1=${hex}`),
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef') }).map((hex) => `sha256=${hex}`),
  fc.uint8Array({ minLength: 20, maxLength: 20 }).map((bytes) => `sha1=${btoa(String.fromCharCode(...bytes))}`),
  fc.constantFrom('', ' ', 'sha1=', 'v1,', '=', 'sha1=='),
);

/** Runs `body` and returns what it threw (undefined when it did not throw). */
async function thrown(body: () => unknown): Promise<unknown> {
  try {
    await body();
    return undefined;
  } catch (error) {
    return error;
  }
}

describe('properties (fast-check)', () => {
  it(`the parser throws nothing but WebhookError for random bodies and headers (${NUM_RUNS} runs)`, () => {
    fc.assert(
      fc.property(rawBodies, headerSets, (body, headers) => {
        try {
          const events = parseEvents(group, body as never, headers);
          expect(events.length).toBeGreaterThan(0);
        } catch (error) {
          if (!(error instanceof WebhookError)) throw error;
        }
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('a body nested to any depth gives events or a too_deep WebhookError, never a RangeError (200 runs)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200_000 }), fc.constantFrom('[', '{"a":'), fc.boolean(), (depth, open, inEvent) => {
        const close = open === '[' ? ']' : '}';
        const nested = `${open.repeat(depth)}1${close.repeat(depth)}`;
        const body = inEvent ? `{"type":"message","text":"x","meta":${nested}}` : nested;
        try {
          parseEvents(group, body, undefined, { maxBodyBytes: 10_000_000 });
        } catch (error) {
          if (!(error instanceof WebhookError)) throw error;
          if (depth > 64) expect(error.code).toBe('too_deep');
        }
      }),
      { numRuns: 200 },
    );
  });

  it(`the verifier throws nothing but SignatureError or WebhookError for random bodies, headers and timestamps (${NUM_RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(
        rawBodies,
        headerSets,
        signatures,
        fc.option(fc.oneof(fc.string(), fc.integer(), fc.double(), fc.constant(null)), { nil: undefined }),
        async (body, headers, signature, timestamp) => {
          for (const given of [getHeader(headers, 'x-hub-signature'), signature]) {
            const options = { rawBody: body as never, signature: given, secret: 'WebhookSecret', algorithm: 'SHA-1', prefix: 'sha1=' } as const;
            const error = await thrown(() => verifyHmac(timestamp === undefined ? options : { ...options, timestamp }));
            if (!(error instanceof SignatureError || error instanceof WebhookError)) throw error ?? new Error('a random signature verified');
          }
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it(`any single-byte change of a signed body fails verification (${NUM_RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 1, maxLength: 512 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        fc.constantFrom('SHA-1', 'SHA-256', 'SHA-512'),
        fc.constantFrom('hex', 'base64'),
        async (body, at, delta, algorithm, encoding) => {
          const options = { secret: 'k3y', algorithm, encoding } as const;
          const signature = await signHmac({ ...options, rawBody: body });
          await verifyHmac({ ...options, rawBody: body, signature });
          const changed = Uint8Array.from(body);
          const index = at % changed.length;
          changed[index] = ((changed[index] ?? 0) + delta) % 256;
          const error = await thrown(() => verifyHmac({ ...options, rawBody: changed, signature }));
          expect(error).toBeInstanceOf(SignatureError);
          expect((error as SignatureError).code).toBe('signature_mismatch');
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });
});

describe('properties of the client side (fast-check)', () => {
  /** The encodings a server may echo a secret in. */
  const encodings = [
    (secret: string) => secret,
    (secret: string) => encodeURIComponent(secret),
    (secret: string) => encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()),
    (secret: string) => new URLSearchParams({ s: secret }).toString().slice(2),
    (secret: string) => JSON.stringify(secret).slice(1, -1),
  ];

  it('scrub leaves no encoding of any secret in any text (300 runs)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ minLength: 4, maxLength: 24, unit: 'grapheme' }), { minLength: 1, maxLength: 3 }),
        fc.string(),
        fc.string(),
        fc.nat(encodings.length - 1),
        (secrets, before, after, which) => {
          const encode = encodings[which] as (secret: string) => string;
          const text = `${before}${secrets.map(encode).join(' ')}${after}`;
          const scrubbed = scrub(text, secrets);
          for (const secret of secrets) expect(scrubbed).not.toContain(encode(secret));
        },
      ),
      { numRuns: 300 },
    );
  }, 60_000);

  it('parseRetryAfter gives undefined or a whole, non-negative number of milliseconds for any header (10000 runs)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.integer().map(String),
          fc.date({ noInvalidDate: true }).map((date) => date.toUTCString()),
        ),
        (value) => {
          const ms = parseRetryAfter(value, 1_700_000_000_000);
          if (ms !== undefined) expect(Number.isFinite(ms) && ms >= 0).toBe(true);
          if (/^-/.test(value.trim())) expect(ms).toBeUndefined();
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });
});
