import { describe, expect, it } from 'vitest';
import { applyOverrides, parseOverride, UsageError } from '../src/index.js';

const example = { type: 'OutgoingMessageStatus', status: 'QUEUED', error: 0, data: { messages: [{ id: 'a' }, { id: 'b' }] } };

describe('--set overrides', () => {
  it.each([
    ['a text value', { given: ['status=SENT'], want: { ...example, status: 'SENT' } }],
    ['a JSON number', { given: ['error=17'], want: { ...example, error: 17 } }],
    ['a JSON string that looks like a number', { given: ['status="42"'], want: { ...example, status: '42' } }],
    ['null', { given: ['status=null'], want: { ...example, status: null } }],
    ['an empty string', { given: ['status='], want: { ...example, status: '' } }],
    ['a value containing "="', { given: ['status=a=b'], want: { ...example, status: 'a=b' } }],
    ['an array index', { given: ['data.messages[1].id=z'], want: { ...example, data: { messages: [{ id: 'a' }, { id: 'z' }] } } }],
    ['an index as a dotted step', { given: ['data.messages.0.id=y'], want: { ...example, data: { messages: [{ id: 'y' }, { id: 'b' }] } } }],
    ['a JSON object', { given: ['data={"x":[1]}'], want: { ...example, data: { x: [1] } } }],
    ['a new nested key', { given: ['extra.deep.key=1'], want: { ...example, extra: { deep: { key: 1 } } } }],
    ['several, in order', { given: ['status=SENT', 'status=DELIVERED'], want: { ...example, status: 'DELIVERED' } }],
  ])('sets %s', (_, { given, want }) => {
    expect(applyOverrides(example, given.map(parseOverride))).toEqual(want);
  });

  it('leaves the example itself unchanged', () => {
    const before = structuredClone(example);
    applyOverrides(example, [parseOverride('data.messages[0].id=changed')]);
    expect(example).toEqual(before);
  });

  it('sets an item of a batched (array) payload', () => {
    expect(applyOverrides([{ eventId: 'a' }], [parseOverride('[0].eventId=b')])).toEqual([{ eventId: 'b' }]);
  });

  it.each([
    ['no "="', { given: 'status', error: /must look like path=value/ }],
    ['an empty path', { given: '=1', error: /must look like path=value/ }],
    ['a malformed path', { given: 'data..id=1', error: /is not a path/ }],
    ['__proto__', { given: '__proto__.polluted=1', error: /"__proto__" cannot be set/ }],
    ['constructor', { given: 'a.constructor.prototype=1', error: /cannot be set/ }],
  ])('refuses %s', (_, { given, error }) => {
    expect(() => parseOverride(given)).toThrow(UsageError);
    expect(() => parseOverride(given)).toThrow(error);
  });

  it.each([
    ['a key inside a text value', { given: 'status.code=1', error: /"status" is not an object or array/ }],
    ['an index into an object', { given: 'data[0]=1', error: /"data" is not an array/ }],
    ['a key into an array', { given: 'data.messages.first=1', error: /"data\.messages" is an array; use an index/ }],
  ])('refuses %s with the path that does not fit', (_, { given, error }) => {
    expect(() => applyOverrides(example, [parseOverride(given)])).toThrow(error);
  });
});
