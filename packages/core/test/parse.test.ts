import { describe, expect, it } from 'vitest';
import { MsgkitError } from '../src/index.js';
import { type EventGroup, parseEvent, parseEvents, parseJson, UnknownEventError, type ValidateFunction, WebhookError } from '../src/webhooks/index.js';

/** A hand-written validator standing in for a generated one: requires a string `id`. */
const requireId: ValidateFunction = Object.assign(
  (data: unknown) => {
    const ok = typeof (data as { id?: unknown }).id === 'string';
    requireId.errors = ok ? null : [{ instancePath: '', keyword: 'required', params: { missingProperty: 'id' } }];
    return ok;
  },
  { errors: null },
);

const group: EventGroup = {
  name: 'webhooks',
  discriminator: 'kind',
  events: [
    { name: 'Single', values: ['single'], batched: false, validate: requireId },
    { name: 'Batched', values: ['batched', 'batched.v2'], batched: true, validate: requireId },
  ],
};

describe('parseEvents', () => {
  it.each([
    ['a string body', { given: '{"kind":"single","id":"a"}', want: [{ kind: 'single', id: 'a' }] }],
    ['a Uint8Array body', { given: new TextEncoder().encode('{"kind":"single","id":"a"}'), want: [{ kind: 'single', id: 'a' }] }],
    ['an ArrayBuffer body', { given: new TextEncoder().encode('{"kind":"single","id":"a"}').buffer, want: [{ kind: 'single', id: 'a' }] }],
    ['a string-valued constructor key', { given: '{"kind":"single","id":"a","constructor":"x"}', want: [{ kind: 'single', id: 'a', constructor: 'x' }] }],
    ['an alternative discriminator value', { given: '{"kind":"batched.v2","id":"b"}', want: [{ kind: 'batched.v2', id: 'b' }] }],
    [
      'a batch',
      {
        given: '[{"kind":"batched","id":"1"},{"kind":"batched","id":"2"}]',
        want: [
          { kind: 'batched', id: '1' },
          { kind: 'batched', id: '2' },
        ],
      },
    ],
  ])('accepts %s', (_, { given, want }) => {
    expect(parseEvents(group, given)).toEqual(want);
  });

  it.each([
    ['a parsed object', { given: { kind: 'single', id: 'a' }, code: 'parsed_body', pointer: undefined }],
    ['a number', { given: 42, code: 'invalid_body', pointer: undefined }],
    ['invalid JSON', { given: '{"kind":', code: 'invalid_json', pointer: undefined }],
    ['invalid UTF-8', { given: new Uint8Array([0x7b, 0xff, 0x7d]), code: 'invalid_body', pointer: undefined }],
    ['a missing discriminator', { given: '{"id":"a"}', code: 'invalid_payload', pointer: '/kind' }],
    ['a null discriminator', { given: '{"kind":null,"id":"a"}', code: 'invalid_payload', pointer: '/kind' }],
    ['nesting deeper than 64 levels', { given: `{"kind":"single","id":"a","x":${'['.repeat(64)}${']'.repeat(64)}}`, code: 'too_deep', pointer: undefined }],
    [
      'a discriminator nested 100k levels deep',
      { given: `${'['.repeat(100_000)}{"kind":"single","id":"a"}${']'.repeat(100_000)}`, code: 'too_deep', pointer: undefined },
    ],
    ['a missing required field', { given: '{"kind":"single"}', code: 'invalid_payload', pointer: '/id' }],
    ['a missing field in a batch item', { given: '[{"kind":"batched","id":"1"},{"kind":"batched"}]', code: 'invalid_payload', pointer: '/1/id' }],
    ['an unbatched event in an array', { given: '[{"kind":"single","id":"1"}]', code: 'invalid_payload', pointer: undefined }],
    ['an empty array', { given: '[]', code: 'invalid_payload', pointer: '' }],
    ['a __proto__ key', { given: '{"kind":"single","id":"a","__proto__":{"polluted":true}}', code: 'forbidden_key', pointer: undefined }],
    [
      'a __proto__ key written with a \\u escape',
      { given: '{"kind":"single","id":"a","__pro\\u0074o__":{"polluted":true}}', code: 'forbidden_key', pointer: undefined },
    ],
    [
      'a constructor.prototype object',
      { given: '{"kind":"single","id":"a","x":{"constructor":{"prototype":{"polluted":true}}}}', code: 'forbidden_key', pointer: undefined },
    ],
    [
      'a __proto__ key holding a number, deep in a batch item',
      { given: '[{"kind":"batched","id":"1"},{"kind":"batched","id":"2","x":[{"y":{"__proto__":1}}]}]', code: 'forbidden_key', pointer: undefined },
    ],
    ['a constructor key holding an array', { given: '{"kind":"single","id":"a","constructor":[]}', code: 'forbidden_key', pointer: undefined }],
    ['a typed array other than Uint8Array', { given: new Uint16Array([0x7b, 0x7d]), code: 'invalid_body', pointer: undefined }],
  ])('rejects %s with WebhookError', (_, { given, code, pointer }) => {
    const error = (() => {
      try {
        parseEvents(group, given as never);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(WebhookError);
    expect(error).toMatchObject({ code, pointer });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ['an event', { given: '{"kind":"brand.new","id":"a","extra":1}', type: 'brand.new', pointer: '/kind', events: [] }],
    ['a number where a string is documented', { given: '{"kind":7,"id":"a"}', type: 7, pointer: '/kind', events: [] }],
    [
      'a batch mixing known and unknown events',
      { given: '[{"kind":"batched","id":"1"},{"kind":"brand.new"}]', type: 'brand.new', pointer: '/1/kind', events: [{ kind: 'batched', id: '1' }] },
    ],
  ])('rejects an unlisted event type in %s with UnknownEventError, carrying the body and type', (_, { given, type, pointer, events }) => {
    const error = (() => {
      try {
        parseEvents(group, given);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(UnknownEventError);
    expect(error).toBeInstanceOf(WebhookError);
    expect(error).toMatchObject({ name: 'UnknownEventError', code: 'unknown_event', body: JSON.parse(given), type, pointer, events });
  });

  it('still refuses a broken known event in a batch that also holds unknown ones', () => {
    expect(() => parseEvents(group, '[{"kind":"brand.new"},{"kind":"batched"}]')).toThrow(
      expect.objectContaining({ code: 'invalid_payload', pointer: '/1/id' }),
    );
  });

  it.each([
    ['maxDepth 3 refuses 4 levels', { given: '{"kind":"single","id":"a","x":[[{}]]}', maxDepth: 3, ok: false }],
    ['maxDepth 4 accepts 4 levels', { given: '{"kind":"single","id":"a","x":[[{}]]}', maxDepth: 4, ok: true }],
    ['brackets inside strings do not count', { given: `{"kind":"single","id":"${'[{'.repeat(50)}\\"["}`, maxDepth: 2, ok: true }],
    ['brackets inside keys do not count', { given: `{"kind":"single","id":"a","${'[{'.repeat(50)}":1}`, maxDepth: 1, ok: true }],
    ['maxDepth 1 refuses an event object holding an object', { given: '{"kind":"single","id":"a","x":{}}', maxDepth: 1, ok: false }],
    ['every item of an array is checked, not only the first', { given: '{"kind":"single","id":"a","x":[[],[[[]]]]}', maxDepth: 3, ok: false }],
    [
      'maxDepth Infinity accepts 1,000 levels',
      { given: `{"kind":"single","id":"a","x":${'['.repeat(1000)}${']'.repeat(1000)}}`, maxDepth: Number.POSITIVE_INFINITY, ok: true },
    ],
    [
      'maxDepth Infinity still refuses, typed, a body deeper than the runtime can walk',
      { given: `{"kind":"single","id":"a","x":${'['.repeat(500_000)}${']'.repeat(500_000)}}`, maxDepth: Number.POSITIVE_INFINITY, ok: false },
    ],
  ])('depth limit: %s', (_, { given, maxDepth, ok }) => {
    const run = () => parseEvents(group, given, undefined, { maxDepth });
    if (ok) expect(run()).toHaveLength(1);
    else expect(run).toThrow(expect.objectContaining({ code: 'too_deep' }));
  });

  it.each([
    ['maxBodyBytes NaN', { given: { maxBodyBytes: Number.NaN } }],
    ['maxBodyBytes 0', { given: { maxBodyBytes: 0 } }],
    ['maxBodyBytes as a string', { given: { maxBodyBytes: '100' as never } }],
    ['maxDepth NaN', { given: { maxDepth: Number.NaN } }],
  ])('refuses the configuration %s with MsgkitError, not as no limit', (_, { given }) => {
    expect(() => parseEvents(group, '{"kind":"single","id":"a"}', undefined, given)).toThrow(MsgkitError);
    expect(() => parseEvents(group, '{"kind":"single","id":"a"}', undefined, given)).not.toThrow(WebhookError);
  });

  it('parseJson applies the depth limit too', () => {
    expect(() => parseJson(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)).toThrow(expect.objectContaining({ code: 'too_deep' }));
  });

  it('rejects bodies over maxBodyBytes', () => {
    expect(() => parseEvents(group, `{"kind":"single","id":"${'x'.repeat(100)}"}`, undefined, { maxBodyBytes: 50 })).toThrow(
      expect.objectContaining({ code: 'body_too_large' }),
    );
  });

  it.each([
    ['text/plain', { given: { 'content-type': 'text/plain' }, ok: false }],
    ['application/json; charset=utf-8', { given: { 'Content-Type': 'application/json; charset=utf-8' }, ok: true }],
    ['application/vnd.x+json', { given: new Headers({ 'content-type': 'application/vnd.x+json' }), ok: true }],
    ['no content type', { given: {}, ok: true }],
  ])('content type %s', (_, { given, ok }) => {
    const run = () => parseEvents(group, '{"kind":"single","id":"a"}', given);
    if (ok) expect(run()).toHaveLength(1);
    else expect(run).toThrow(expect.objectContaining({ code: 'unsupported_media_type' }));
  });
});

describe('parseEvent', () => {
  it('returns the single event', () => {
    expect(parseEvent(group, '{"kind":"single","id":"a"}')).toEqual({ kind: 'single', id: 'a' });
  });
  it('refuses a batch of several events', () => {
    expect(() => parseEvent(group, '[{"kind":"batched","id":"1"},{"kind":"batched","id":"2"}]')).toThrow(WebhookError);
  });
});
