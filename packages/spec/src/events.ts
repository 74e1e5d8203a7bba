// The events of a bundled spec: every top-level webhook (one group, discriminated by a shared
// property) and every operation callback (one group each, delivered to its own URL).
import { type Discriminator, findDiscriminator } from './discriminator.js';
import { type Doc, deref } from './ref.js';
import { callbacksOf, webhooksOf } from './walk.js';

/** One event a provider POSTs. */
export interface Event {
  /** The `webhooks` key, or the callback operation's operationId. */
  name: string;
  /** operationId of the delivery. */
  operationId: string;
  /** One-line summary (the name when the spec has none). */
  summary: string;
  /** `#/components/schemas/<typeName>`: the payload (or batch item) schema. */
  schemaRef: string;
  /** Component schema name of the payload (or batch item). */
  typeName: string;
  /** True when the payload is a JSON array of items. */
  batched: boolean;
  /** The first example payload. */
  example: unknown;
  /** The delivery's operation object. */
  operation: any;
  /** A callback's URL expression (`{$request.body#/dlr_url}`); undefined for a webhook. */
  expression?: string;
}

/** Events one parser handles: the webhooks, or the deliveries of one callback. */
export interface Group {
  /** `webhooks`, or `<operationId>.<callbackName>`. */
  name: string;
  /** The events, in spec order. */
  events: Event[];
  /** How the events are told apart; null for a single-event group. */
  discriminator: Discriminator | null;
}

/** The payload schema of one event: a `$ref` to a component schema, or an array of them (a batch). */
function payloadOf(doc: Doc, operation: any, where: string): Pick<Event, 'schemaRef' | 'typeName' | 'batched' | 'example'> {
  const media = deref(doc, operation.requestBody)?.content?.['application/json'];
  if (!media?.schema) throw new Error(`${where}: needs an application/json request body with a schema`);
  const batched = deref(doc, media.schema).type === 'array';
  const item = batched ? deref(doc, media.schema).items : media.schema;
  if (!item?.$ref?.startsWith('#/components/schemas/')) {
    throw new Error(`${where}: the payload schema (or its array items) must be a $ref to #/components/schemas/...`);
  }
  const example = media.example ?? deref(doc, Object.values(media.examples ?? {})[0])?.value;
  if (example === undefined) throw new Error(`${where}: needs an example payload`);
  return { schemaRef: item.$ref, typeName: item.$ref.split('/').pop(), batched, example };
}

/** The webhook group (null when the spec has no webhooks) and one group per operation callback. */
export function readEvents(doc: Doc): { webhooks: Group | null; callbacks: Group[] } {
  const webhookEvents = webhooksOf(doc).map(({ name, method, operation }) => {
    if (method !== 'post') throw new Error(`webhooks.${name}: only POST webhooks are supported`);
    return { name, operationId: operation.operationId, summary: operation.summary ?? name, operation, ...payloadOf(doc, operation, `webhooks.${name}`) };
  });
  const webhooks = webhookEvents.length ? { name: 'webhooks', events: webhookEvents, discriminator: findDiscriminator(doc, webhookEvents, 'webhooks') } : null;

  const groups = new Map<string, { where: string; events: Event[] }>();
  for (const { parent, parentPath, parentMethod, name, expression, method, operation } of callbacksOf(doc)) {
    const where = `${parentMethod.toUpperCase()} ${parentPath} callbacks.${name}`;
    if (method !== 'post') throw new Error(`${where}: only POST callbacks are supported`);
    const key = `${parent.operationId}.${name}`;
    const group = groups.get(key) ?? { where, events: [] };
    groups.set(key, group);
    group.events.push({
      name: operation.operationId,
      operationId: operation.operationId,
      summary: operation.summary ?? name,
      operation,
      expression,
      ...payloadOf(doc, operation, where),
    });
  }
  const callbacks = [...groups].map(([name, { where, events }]) => ({ name, events, discriminator: findDiscriminator(doc, events, where) }));
  return { webhooks, callbacks };
}
