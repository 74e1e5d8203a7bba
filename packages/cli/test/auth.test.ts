import { describe, expect, it } from 'vitest';
import { checkCredentials, findOperation, findProvider, loadSpec } from '../src/index.js';

/** The refusal reason for a request to an operation of a provider's bundled spec, or 'accepted'. */
function check(provider: string, operationId: string, headers: Record<string, string>, query = '') {
  const doc = loadSpec(findProvider(provider));
  const [template, method] =
    Object.entries<Record<string, any>>(doc.paths)
      .flatMap(([path, item]) => Object.entries<any>(item).map(([m, op]) => [path, m, op?.operationId] as const))
      .find(([, , id]) => id === operationId) ?? [];
  const found = findOperation(doc, method ?? '', (template ?? '').replace(/\{[^}]+\}/g, 'x'));
  expect(found?.operation.operationId).toBe(operationId);
  return checkCredentials(doc, found?.operation ?? {}, { headers, query: new URLSearchParams(query) })?.reason ?? 'accepted';
}

describe('checkCredentials: the security requirements of the specs, stricter than Prism', () => {
  it.each([
    ['olly Basic <key>', { given: ['olly', 'sendMessage', { authorization: 'Basic 0b8e2f6d' }], want: 'accepted' }],
    ['olly Bearer', { given: ['olly', 'sendMessage', { authorization: 'Bearer 0b8e2f6d' }], want: /Authorization: Basic <api key>/ }],
    ['olly Basic without a key', { given: ['olly', 'sendMessage', { authorization: 'Basic' }], want: /Authorization: Basic/ }],
    ['messente Basic', { given: ['messente', 'sendOmnimessage', { authorization: `Basic ${btoa('u:p')}` }], want: 'accepted' }],
    ['messente none', { given: ['messente', 'sendOmnimessage', {}], want: /Authorization: Basic/ }],
    ['volly Key', { given: ['volly', 'listGroups', { authorization: 'Key 59b9' }], want: 'accepted' }],
    ['volly Bearer with client_id', { given: ['volly', 'listGroups', { authorization: 'Bearer t', client_id: 'c' }], want: 'accepted' }],
    ['volly Bearer alone', { given: ['volly', 'listGroups', { authorization: 'Bearer t' }], want: /Bearer <access token> with client_id/ }],
    ['volly client_id alone', { given: ['volly', 'listGroups', { client_id: 'c' }], want: /Authorization: Key <api key>/ }],
    ['volly token request', { given: ['volly', 'requestAccessToken', {}], want: 'accepted' }],
    ['amio Bearer', { given: ['amio', 'listChannels', { authorization: 'Bearer t' }], want: 'accepted' }],
    ['amio access_token', { given: ['amio', 'listChannels', {}, 'access_token=t'], want: 'accepted' }],
    ['amio Basic', { given: ['amio', 'listChannels', { authorization: 'Basic t' }], want: /Bearer <credentials>, or \?access_token=/ }],
  ] as const)('%s', (_, { given, want }) => {
    const [provider, operationId, headers, query] = given;
    const reason = check(provider, operationId, headers as Record<string, string>, query);
    if (typeof want === 'string') expect(reason).toBe(want);
    else expect(reason).toMatch(want);
  });
});
