// The one walker over a bundled spec's operations, webhooks and callbacks.
import { type Doc, deref } from './ref.js';

/** The HTTP methods a path item can hold, in the order the walker visits them. */
export const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** One of `METHODS`. */
export type Method = (typeof METHODS)[number];

/** True for a path item key that is an HTTP method (not `parameters`, `summary`, …). */
export const isMethod = (key: string): key is Method => (METHODS as readonly string[]).includes(key);

/** An operation under `paths`. */
export interface PathOperation {
  /** The `paths` key. */
  path: string;
  /** Lower-case HTTP method. */
  method: Method;
  /** The operation object. */
  operation: any;
}

/** An operation of a top-level webhook. */
export interface WebhookOperation {
  /** The `webhooks` key. */
  name: string;
  /** Lower-case HTTP method (POST for every msgkit spec). */
  method: Method;
  /** The operation object. */
  operation: any;
}

/** An operation of a callback of an operation under `paths`. */
export interface CallbackOperation {
  /** The operation that registers the callback. */
  parent: any;
  /** The `paths` key of that operation. */
  parentPath: string;
  /** The HTTP method of that operation. */
  parentMethod: Method;
  /** The callback's key under the parent's `callbacks`. */
  name: string;
  /** The callback's URL expression (`{$request.body#/dlr_url}`). */
  expression: string;
  /** Lower-case HTTP method of the delivery. */
  method: Method;
  /** The delivery's operation object. */
  operation: any;
}

/** The operations of a (possibly `$ref`) path item, by method. */
function itemOperations(doc: Doc, rawItem: unknown): { method: Method; operation: any }[] {
  const item = deref(doc, rawItem) ?? {};
  return METHODS.filter((method) => item[method]).map((method) => ({ method, operation: item[method] }));
}

/** Every operation of `paths`, with its method and path. */
export function operationsOf(doc: Doc): PathOperation[] {
  return Object.entries(doc.paths ?? {}).flatMap(([path, item]) => itemOperations(doc, item).map((op) => ({ path, ...op })));
}

/** Every top-level webhook: its name and operation(s). */
export function webhooksOf(doc: Doc): WebhookOperation[] {
  return Object.entries(doc.webhooks ?? {}).flatMap(([name, item]) => itemOperations(doc, item).map((op) => ({ name, ...op })));
}

/** Every callback of every operation: the parent operation, the callback's name, URL expression and delivered operation. */
export function callbacksOf(doc: Doc): CallbackOperation[] {
  return operationsOf(doc).flatMap(({ path, method: parentMethod, operation: parent }) =>
    Object.entries(parent.callbacks ?? {}).flatMap(([name, rawCallback]) =>
      Object.entries(deref(doc, rawCallback) ?? {}).flatMap(([expression, item]) =>
        itemOperations(doc, item).map((op) => ({ parent, parentPath: path, parentMethod, name, expression, ...op })),
      ),
    ),
  );
}
