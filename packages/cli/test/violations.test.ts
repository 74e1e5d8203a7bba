import { describe, expect, it } from 'vitest';
import { violationMessages, withMessages } from '../src/index.js';

const header = JSON.stringify([
  { location: ['request', 'body'], severity: 'Error', code: 'required', message: "Request body must have required property 'provider_number'" },
  { location: ['request', 'body', 'messages', '0', 'text'], severity: 'Error', code: 'type', message: 'Request body property messages.0.text must be string' },
]);
const messages = violationMessages(header);

describe('violationMessages', () => {
  it.each([
    [
      'two violations',
      { given: header, want: ["Request body must have required property 'provider_number'", 'Request body property messages.0.text must be string'] },
    ],
    ['the same violation twice (one per oneOf branch)', { given: header.replace(/^\[(.*)\]$/, '[$1,$1]'), want: violationMessages(header) }],
    [
      "Prism's cut-short header: every whole entry is kept",
      { given: `Too many violations! ${header.slice(0, header.lastIndexOf('{') + 30)}`, want: ["Request body must have required property 'provider_number'"] },
    ],
    ['no header', { given: undefined, want: [] }],
    ['an unreadable header', { given: 'not json', want: [] }],
    [
      'a location the message does not name',
      { given: JSON.stringify([{ location: ['request', 'query', 'max'], message: 'must be integer' }]), want: ['must be integer (query.max)'] },
    ],
  ])('%s', (_, { given, want }) => {
    expect(violationMessages(given)).toEqual(want);
  });
});

describe('withMessages puts the real problems into the provider-shaped error body', () => {
  it.each([
    ['Olly/Ocelot {message}', { given: { message: 'number is required' }, want: { message: messages.join('; ') } }],
    ['Volly: a JSON string', { given: 'Unauthorized', want: messages.join('; ') }],
    [
      'Messente: one errors[] entry per problem',
      {
        given: { errors: [{ title: 'Invalid data', detail: 'The request body is not a valid omnimessage', code: '105', source: 'payload' }] },
        want: { errors: messages.map((detail) => ({ title: 'Invalid data', detail, code: '105', source: 'payload' })) },
      },
    ],
    [
      'Amio: errors[] with field',
      {
        given: {
          status: { code: '422', message: 'Unprocessable Entity' },
          errors: [{ field: 'recipient', rejected_value: null, message: "Property 'recipient' cannot be null." }],
        },
        want: {
          status: { code: '422', message: 'Unprocessable Entity' },
          errors: [
            { field: 'provider_number', rejected_value: null, message: messages[0] },
            { field: null, rejected_value: null, message: messages[1] },
          ],
        },
      },
    ],
    ['a body without a text field', { given: { code: 7 }, want: undefined }],
  ])('%s', (_, { given, want }) => {
    expect(withMessages(given, messages)).toEqual(want);
  });
});
