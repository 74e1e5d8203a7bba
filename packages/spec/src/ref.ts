/** A bundled OpenAPI document (or any node of one): read loosely, as specs are checked by Redocly, not by types. */
export type Doc = Record<string, any>;

/** The node an internal `$ref` (`#/components/schemas/Foo`) points to; throws on external or unresolvable refs. */
export function resolveRef(doc: Doc, ref: string): any {
  if (!ref.startsWith('#/')) throw new Error(`Only internal $refs are supported after bundling, got ${ref}`);
  return ref
    .slice(2)
    .split('/')
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce((node, key) => {
      if (node?.[key] === undefined) throw new Error(`Unresolvable $ref ${ref}`);
      return node[key];
    }, doc);
}

/** Follows `$ref`s from `node` until a node that is not a reference (`undefined` stays `undefined`). */
export const deref = (doc: Doc, node: any): any => (node?.$ref ? deref(doc, resolveRef(doc, node.$ref)) : node);
