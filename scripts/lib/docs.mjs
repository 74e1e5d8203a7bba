const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

/**
 * A copy of a spec where every node marked `x-inferred: true` carries a visible note in its
 * description, so readers of the reference know what the provider did not document.
 * @param {any} doc
 */
export function markInferred(doc) {
  const walk = (node) => {
    if (Array.isArray(node)) return node.map(walk);
    if (!node || typeof node !== 'object') return node;
    const out = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v)]));
    if (node['x-inferred'] === true && !node.$ref) {
      const note = `> **Inferred** — not in the provider's docs. ${node['x-inferred-reason'] ?? ''}`.trim();
      out.description = node.description ? `${node.description}\n\n${note}` : note;
    }
    return out;
  };
  return walk(doc);
}

/** Counts of operations, webhooks, callbacks and inferred nodes of a spec. @param {any} doc */
export function summarize(doc) {
  const operations = Object.values(doc.paths ?? {}).flatMap((item) => METHODS.filter((m) => item[m]).map((m) => item[m]));
  const callbacks = operations.reduce((n, op) => n + Object.keys(op.callbacks ?? {}).length, 0);
  let inferred = 0;
  const walk = (node) => {
    if (!node || typeof node !== 'object') return;
    if (node['x-inferred'] === true) inferred++;
    Object.values(node).forEach(walk);
  };
  walk(doc);
  return { operations: operations.length, webhooks: Object.keys(doc.webhooks ?? {}).length, callbacks, inferred };
}
