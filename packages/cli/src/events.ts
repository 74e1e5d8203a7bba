import { type Doc, deref, readEvents } from '@msgkit/spec';
import { type Provider, suggest, UsageError } from './providers.js';
import { loadSpec } from './specs.js';

/** A webhook or callback event a provider POSTs, as its bundled spec defines it. */
export interface EventInfo {
  /** The provider that sends it. */
  provider: Provider;
  /** Name on the command line: the webhook's key in `webhooks`, or the callback's operationId. */
  name: string;
  /** A top-level webhook, or a callback of an operation. */
  kind: 'webhook' | 'callback';
  /** `webhooks`, or `<operationId>.<callbackName>`: the event group one parser of the package handles. */
  group: string;
  /** operationId of the event in the spec. */
  operationId: string;
  /** One-line summary from the spec. */
  summary: string;
  /** Where the provider delivers it: the configured webhook URL, or the callback URL expression. */
  deliveredTo: string;
  /** True when the provider sends this event in JSON arrays. */
  batched: boolean;
  /** The spec's example payloads by name, in spec order; the first is the default. */
  examples: Record<string, unknown>;
  /** JSON Schema of the payload, as in the bundled spec (may hold `$ref`s into it). */
  schema: unknown;
  /** Other names that find this event: operationId and discriminator values (e.g. Amio's `message_echo`). */
  aliases: string[];
}

/** The named examples of an event operation's JSON request body. */
function examplesOf(doc: Doc, operation: any): Record<string, unknown> {
  const media = deref(doc, operation?.requestBody)?.content?.['application/json'];
  if (media?.example !== undefined) return { default: media.example };
  return Object.fromEntries(Object.entries(media?.examples ?? {}).map(([name, example]) => [name, deref(doc, example)?.value]));
}

/** `{$request.body#/dlr_url}` → `dlr_url`: the request field a callback URL comes from. */
const urlOf = (expression: string) => /^\{\$request\.body#\/(.+)\}$/.exec(expression)?.[1]?.replaceAll('/', '.') ?? expression;

/** Every webhook and callback event of a provider's bundled spec, webhooks first. */
export function listEvents(provider: Provider): EventInfo[] {
  const doc = loadSpec(provider);
  const { webhooks, callbacks } = readEvents(doc);
  return [webhooks, ...callbacks].flatMap((group) =>
    (group?.events ?? []).map((event): EventInfo => {
      const { operation, expression } = event;
      const deliveredTo = expression === undefined ? 'your webhook URL' : `${urlOf(expression)} of ${group?.name.split('.')[0]}`;
      const values = (group?.discriminator?.values[event.name] ?? []).filter((v): v is string => typeof v === 'string');
      return {
        provider,
        name: event.name,
        kind: group?.name === 'webhooks' ? 'webhook' : 'callback',
        group: group?.name ?? '',
        operationId: event.operationId,
        summary: event.summary,
        deliveredTo,
        batched: event.batched,
        examples: examplesOf(doc, operation),
        schema: deref(doc, operation?.requestBody)?.content?.['application/json']?.schema,
        aliases: [...new Set([event.operationId, ...values].filter((alias) => alias !== event.name))],
      };
    }),
  );
}

/** Finds an event by name, operationId or discriminator value (any case); suggests the closest on a miss. */
export function findEvent(provider: Provider, name: string): EventInfo {
  const events = listEvents(provider);
  const wanted = name.toLowerCase();
  const found = events.find((e) => [e.name, ...e.aliases].some((candidate) => candidate.toLowerCase() === wanted));
  if (found) return found;
  if (events.length === 0) throw new UsageError(`${provider.name} sends no webhooks or callbacks.`);
  const hint = suggest(
    name,
    events.flatMap((e) => [e.name, ...e.aliases]),
  );
  const known = events.map((e) => e.name).join(', ');
  throw new UsageError(
    `Unknown event "${name}" for ${provider.name}.${hint ? ` Did you mean "${hint}"?` : ''} Known: ${known}. Run msgkit webhooks list ${provider.name}.`,
  );
}
