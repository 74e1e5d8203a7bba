import { describe, expect, it } from 'vitest';
import { callbacksOf, operationsOf, webhooksOf } from '../src/walk.js';

const op = (operationId: string, extra: object = {}) => ({ operationId, ...extra });
const doc = {
  paths: {
    '/a': { parameters: [], summary: 'not an operation', get: op('getA'), post: op('sendA', { callbacks: { status: { $ref: '#/components/callbacks/S' } } }) },
    '/b': { $ref: '#/components/pathItems/B' },
  },
  webhooks: { hello: { post: op('hello') }, viaRef: { $ref: '#/components/pathItems/W' } },
  components: {
    pathItems: { B: { delete: op('deleteB') }, W: { post: op('viaRef') } },
    callbacks: { S: { '{$request.body#/url}': { post: op('statusA') } } },
  },
};

describe('the spec walker', () => {
  it('visits every operation under paths, through $ref path items, skipping non-method keys', () => {
    expect(operationsOf(doc).map(({ path, method, operation }) => [path, method, operation.operationId])).toEqual([
      ['/a', 'get', 'getA'],
      ['/a', 'post', 'sendA'],
      ['/b', 'delete', 'deleteB'],
    ]);
  });

  it('visits every webhook, through $ref path items', () => {
    expect(webhooksOf(doc).map(({ name, method, operation }) => [name, method, operation.operationId])).toEqual([
      ['hello', 'post', 'hello'],
      ['viaRef', 'post', 'viaRef'],
    ]);
  });

  it('visits every callback with its parent, name and URL expression, through $ref callbacks', () => {
    expect(callbacksOf(doc).map((c) => [c.parent.operationId, c.parentPath, c.parentMethod, c.name, c.expression, c.method, c.operation.operationId])).toEqual([
      ['sendA', '/a', 'post', 'status', '{$request.body#/url}', 'post', 'statusA'],
    ]);
  });
});
