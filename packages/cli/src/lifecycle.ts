import type { EventInfo } from './events.js';
import { describeResult, type PostResult, postEvent } from './post.js';
import { providerRules } from './providers/index.js';
import { isObject, ok } from './providers/kit.js';
import type { Provider } from './providers.js';
import type { Exchange } from './proxy.js';
import { fillPlaceholders } from './realistic.js';
import { signEvent, signingRules } from './signing.js';
import { loadSpec } from './specs.js';

/** A webhook URL registered through the mock, e.g. with Olly's `POST /api/webhook`. */
export interface Registration {
  /** What it is registered for: `account`, or a channel id (Amio). */
  key: string;
  /** Where events go. */
  url: string;
  /** Secret the events are signed with, when the registration sets one (Amio's `webhook.secret`). */
  secret?: string;
}

/** Lifecycle events one successful request triggers, in order. */
export interface Lifecycle {
  /** The registration they go to (falls back to `--webhooks-to`). */
  key: string;
  /** Event name (as in `msgkit webhooks list`) and payload, in delivery order. */
  events: { name: string; payload: unknown }[];
}

/** Builds an event payload from the spec's example of that event, with fields replaced. */
export type ExampleOf = (event: string) => Record<string, any>;

/** How the mock of one provider behaves after a successful request. */
export interface LifecycleRule {
  /** What it emits, for the table `msgkit mock --deliver` prints; `{operationId}` reads as that operation's `METHOD /path`. */
  describe: string;
  /** A webhook URL the request registers, if any. */
  register?(exchange: Exchange): Registration | undefined;
  /** The events a successful request triggers, if any. */
  lifecycle?(exchange: Exchange, example: ExampleOf): Lifecycle | undefined;
}

/** Per provider: what `msgkit mock --deliver` emits (each rule lives in providers/<name>.ts). Declared callbacks (Messente, Ocelot) are sent by every mock (callbacks.ts). */
export const lifecycleRules: Readonly<Record<string, LifecycleRule>> = Object.fromEntries(
  Object.entries(providerRules).flatMap(([name, rules]) => (rules.lifecycle ? [[name, rules.lifecycle]] : [])),
);

/** What a provider's mock delivers in lifecycle mode, in one line: its rule, and the callbacks it POSTs. */
export function describeLifecycle(provider: Provider, events: readonly EventInfo[]): string {
  const routes = new Map<string, string>();
  for (const [path, item] of Object.entries<Record<string, any>>(loadSpec(provider).paths ?? {})) {
    for (const [method, operation] of Object.entries<any>(item ?? {}))
      if (operation?.operationId) routes.set(operation.operationId, `${method.toUpperCase()} ${path}`);
  }
  const rule = lifecycleRules[provider.name]?.describe.replace(/\{(\w+)\}/g, (whole, id: string) => routes.get(id) ?? whole);
  const callbacks = events.filter((e) => e.kind === 'callback').map((e) => `${e.name} to ${e.deliveredTo}`);
  return [rule, callbacks.length ? `the mock POSTs ${callbacks.join(', ')} (signed)` : undefined].filter(Boolean).join('; ') || 'no lifecycle events';
}

/** Options of `createLifecycle`. */
export interface LifecycleOptions {
  /** The mocked provider. */
  provider: Provider;
  /** Its webhook and callback events (examples come from here). */
  events: readonly EventInfo[];
  /** Where events go when the client registered no URL. */
  webhooksTo?: string;
  /** Secret to sign with when the registration has none. */
  secret?: string;
  /** Reports each delivery (default: a line on stdout). */
  log?(line: string): void;
}

/** One lifecycle event that was POSTed. */
export interface Delivered {
  /** Event name, as in `msgkit webhooks list`. */
  event: string;
  /** Where it was POSTed. */
  url: string;
  /** What the endpoint answered. */
  result: PostResult;
}

/** Watches a provider's mock traffic and POSTs its lifecycle webhooks, signed, after each successful send. */
export function createLifecycle(options: LifecycleOptions) {
  const rule = lifecycleRules[options.provider.name];
  const registrations = new Map<string, Registration>();
  const log = options.log ?? ((line: string) => console.log(line));
  const name = options.provider.name;
  const doc = loadSpec(options.provider);
  const example: ExampleOf = (event) => {
    const found = options.events.find((e) => e.name === event);
    const payload = found ? fillPlaceholders(doc, found.schema, Object.values(found.examples)[0]) : undefined;
    if (!isObject(payload)) throw new Error(`The ${name} spec has no example of ${event}`);
    return payload;
  };

  return {
    /** Handles one exchange; resolves when its events have been delivered. */
    async observe(exchange: Exchange): Promise<Delivered[]> {
      if (!rule || !ok(exchange)) return [];
      const registration = rule.register?.(exchange);
      if (registration) {
        registrations.set(registration.key, registration);
        log(`${name}: webhook for ${registration.key} → ${registration.url}`);
      }
      const lifecycle = rule.lifecycle?.(exchange, example);
      if (!lifecycle) return [];
      const target = registrations.get(lifecycle.key) ?? (options.webhooksTo ? { key: lifecycle.key, url: options.webhooksTo } : undefined);
      if (!target) {
        log(
          `${name}: ${exchange.method} ${exchange.path} succeeded, but no webhook URL is registered for ${lifecycle.key} (register one, or pass --webhooks-to)`,
        );
        return [];
      }
      const secret = target.secret ?? options.secret;
      const delivered: Delivered[] = [];
      for (const { name: event, payload } of lifecycle.events) {
        const signed = await signEvent(options.provider, JSON.stringify(payload), { secret });
        const result = await postEvent(target.url, signed.body, signed.headers, { loopbackOnly: true });
        const unsigned = signingRules[name]?.option === 'secret' && secret === undefined ? ' (unsigned: no webhook secret registered, no --secret)' : '';
        log(`${name}: ${event} → ${target.url} ${describeResult(result)}${unsigned}`);
        delivered.push({ event, url: target.url, result });
      }
      return delivered;
    },
  };
}
