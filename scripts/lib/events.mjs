/**
 * Reads the events of a bundled spec: every top-level webhook (one group, discriminated by a shared
 * property) and every operation callback (one group each, delivered to its own URL).
 */

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** @param {any} doc @param {string} ref */
export function resolveRef(doc, ref) {
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

/** @param {any} doc @param {any} node */
export const deref = (doc, node) => (node?.$ref ? deref(doc, resolveRef(doc, node.$ref)) : node);

/**
 * The payload schema of one event: a `$ref` to a component schema, or an array of them (a batch).
 * @param {any} doc @param {any} operation @param {string} where
 */
function payloadOf(doc, operation, where) {
  const body = deref(doc, operation.requestBody);
  const media = body?.content?.['application/json'];
  if (!media?.schema) throw new Error(`${where}: needs an application/json request body with a schema`);
  const schema = deref(doc, media.schema.$ref ? media.schema : media.schema);
  const batched = schema.type === 'array';
  const item = batched ? schema.items : media.schema;
  if (!item?.$ref?.startsWith('#/components/schemas/')) {
    throw new Error(`${where}: the payload schema (or its array items) must be a $ref to #/components/schemas/...`);
  }
  const example = media.example ?? Object.values(media.examples ?? {})[0]?.value;
  if (example === undefined) throw new Error(`${where}: needs an example payload`);
  return { schemaRef: item.$ref, typeName: item.$ref.split('/').pop(), batched, example };
}

/**
 * Values a schema allows for a property when it is required and pinned by const/enum, else null.
 * A oneOf/anyOf schema pins the union of its branches' values when every branch pins the property.
 */
function pinnedValues(doc, schemaRef, property) {
  const schema = deref(doc, { $ref: schemaRef });
  const union = schema.oneOf ?? schema.anyOf;
  if (union) {
    const values = union.map((branch) => (branch.$ref ? pinnedValues(doc, branch.$ref, property) : null));
    return values.every(Boolean) ? values.flat() : null;
  }
  const branches = schema.allOf ? schema.allOf.map((s) => deref(doc, s)) : [schema];
  for (const branch of branches) {
    const prop = deref(doc, branch.properties?.[property]);
    if (!prop || !branch.required?.includes(property)) continue;
    if (prop.const !== undefined) return [prop.const];
    if (Array.isArray(prop.enum)) return prop.enum;
  }
  return null;
}

/** Property names a schema (or the first branch of its oneOf/anyOf/allOf) declares. */
function propertyNames(doc, schemaRef) {
  const schema = deref(doc, { $ref: schemaRef });
  const first = (schema.oneOf ?? schema.anyOf)?.[0];
  if (first?.$ref) return propertyNames(doc, first.$ref);
  const parts = schema.allOf ? schema.allOf.map((s) => deref(doc, s)) : [schema];
  return parts.flatMap((part) => Object.keys(part.properties ?? {}));
}

/** The property every event of a group pins to distinct values, or null for a single-event group. */
function findDiscriminator(doc, events, where) {
  if (events.length === 1) return null;
  const candidates = propertyNames(doc, events[0].schemaRef);
  for (const property of candidates) {
    const values = events.map((e) => pinnedValues(doc, e.schemaRef, property));
    if (values.every(Boolean)) {
      const flat = values.flat();
      if (new Set(flat).size === flat.length) {
        return { property, values: Object.fromEntries(events.map((e, i) => [e.name, values[i]])) };
      }
    }
  }
  throw new Error(`${where}: events must share a required property pinned by const/enum to distinct values`);
}

/**
 * @param {any} doc bundled OpenAPI document
 * @returns {{ webhooks: Group | null, callbacks: Group[] }}
 * @typedef {{ name: string, events: Event[], discriminator: { property: string, values: Record<string, unknown[]> } | null }} Group
 * @typedef {{ name: string, operationId: string, summary: string, schemaRef: string, typeName: string, batched: boolean, example: unknown }} Event
 */
export function readEvents(doc) {
  const webhookEvents = Object.entries(doc.webhooks ?? {}).map(([name, item]) => {
    const operation = deref(doc, item).post;
    if (!operation) throw new Error(`webhooks.${name}: only POST webhooks are supported`);
    return { name, operationId: operation.operationId, summary: operation.summary ?? name, ...payloadOf(doc, operation, `webhooks.${name}`) };
  });
  const webhooks = webhookEvents.length ? { name: 'webhooks', events: webhookEvents, discriminator: findDiscriminator(doc, webhookEvents, 'webhooks') } : null;

  const callbacks = [];
  for (const [path, rawItem] of Object.entries(doc.paths ?? {})) {
    const item = deref(doc, rawItem);
    for (const method of METHODS) {
      const operation = item[method];
      for (const [callbackName, rawCallback] of Object.entries(operation?.callbacks ?? {})) {
        const where = `${method.toUpperCase()} ${path} callbacks.${callbackName}`;
        const events = Object.values(deref(doc, rawCallback)).map((cbItem) => {
          const cbOperation = deref(doc, cbItem).post;
          if (!cbOperation) throw new Error(`${where}: only POST callbacks are supported`);
          return {
            name: cbOperation.operationId,
            operationId: cbOperation.operationId,
            summary: cbOperation.summary ?? callbackName,
            ...payloadOf(doc, cbOperation, where),
          };
        });
        const name = `${operation.operationId}.${callbackName}`;
        callbacks.push({ name, events, discriminator: findDiscriminator(doc, events, where) });
      }
    }
  }
  return { webhooks, callbacks };
}
