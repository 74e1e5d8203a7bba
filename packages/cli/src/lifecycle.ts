import { randomBytes, randomUUID } from 'node:crypto';
import type { EventInfo } from './events.js';
import { describeResult, type PostResult, postEvent } from './post.js';
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

const isObject = (value: unknown): value is Record<string, any> => value !== null && typeof value === 'object' && !Array.isArray(value);
const ok = (exchange: Exchange) => exchange.status >= 200 && exchange.status < 300;
/** True when the exchange called this operation (by operationId, so the rule holds whatever the spec's path layout). */
const called = (exchange: Exchange, operationId: string) => exchange.operationId === operationId;
const digits = (n: number) => Array.from(randomBytes(n), (b) => String(b % 10)).join('');
const now = () => new Date().toISOString();

/** The parts of an Amio send request's contact that a webhook's contact summary has. */
function contactSummary(contact: unknown): Record<string, string> {
  if (!isObject(contact)) return {};
  return Object.fromEntries(['id', 'phone_number', 'user_ref'].filter((k) => typeof contact[k] === 'string').map((k) => [k, contact[k]]));
}

/** Amio channel webhook settings from a create or update request. */
function amioWebhook(key: string | undefined, body: unknown): Registration | undefined {
  const webhook = isObject(body) ? body.webhook : undefined;
  if (!key || !isObject(webhook) || typeof webhook.url !== 'string') return undefined;
  return { key, url: webhook.url, secret: typeof webhook.secret === 'string' ? webhook.secret : undefined };
}

/** Per provider: what `msgkit mock --deliver` emits. Declared callbacks (Messente, Ocelot) are sent by every mock (callbacks.ts). */
export const lifecycleRules: Readonly<Record<string, LifecycleRule>> = {
  olly: {
    describe: '{sendMessage} → OutgoingMessageStatus QUEUED, SENT, DELIVERED to the {updateWebhook} URL',
    register: (x) =>
      called(x, 'updateWebhook') && isObject(x.requestBody) && typeof x.requestBody.url === 'string' ? { key: 'account', url: x.requestBody.url } : undefined,
    lifecycle(x, example) {
      if (!called(x, 'sendMessage') || !isObject(x.requestBody)) return undefined;
      const { number, provider_number, group_id } = x.requestBody;
      const guid = randomUUID();
      const status = (value: string) => ({
        ...example('OutgoingMessageStatus'),
        guid,
        number,
        provider_number,
        group_id: group_id ?? null,
        error: 0,
        status: value,
      });
      return {
        key: 'account',
        events: ['QUEUED', 'SENT', 'DELIVERED'].map((value) => ({ name: 'OutgoingMessageStatus', payload: status(value) })),
      };
    },
  },
  amio: {
    describe: "{sendMessage} → message_echo, messages_delivered to the channel's webhook.url, signed with its secret",
    register(x) {
      if (called(x, 'createChannel')) return amioWebhook(isObject(x.responseBody) ? x.responseBody.id : undefined, x.requestBody);
      const id = x.pathParams?.channel_id;
      return called(x, 'updateChannel') && id ? amioWebhook(id, x.requestBody) : undefined;
    },
    lifecycle(x, example) {
      if (!called(x, 'sendMessage') || !isObject(x.requestBody) || !isObject(x.requestBody.channel)) return undefined;
      const request = x.requestBody;
      const response = isObject(x.responseBody) ? x.responseBody : {};
      const echo = example('MessageEcho');
      const channel = { ...(isObject(response.channel) ? response.channel : echo.data?.channel), id: request.channel.id };
      const contact = contactSummary(request.contact);
      const id = typeof response.id === 'string' ? response.id : digits(19);
      const data = { id, channel, contact, content: request.content, ...(request.metadata === undefined ? {} : { metadata: request.metadata }) };
      const delivered = example('MessagesDelivered');
      return {
        key: String(request.channel.id),
        events: [
          { name: 'MessageEcho', payload: { ...echo, timestamp: now(), data } },
          {
            name: 'MessagesDelivered',
            payload: { ...delivered, timestamp: now(), data: { channel, contact, messages: [{ id }], delivered_timestamp: now() } },
          },
        ],
      };
    },
  },
  volly: {
    describe: '{sendDirectMessage} → email.queued, email.delivered',
    lifecycle(x, example) {
      if (!called(x, 'sendDirectMessage') || !isObject(x.requestBody)) return undefined;
      const request = x.requestBody;
      const queued = example('email.queued');
      const lead = {
        id: randomBytes(16).toString('hex'),
        ...(isObject(request.lead) ? { external: { id: String(request.lead.id), source: String(request.lead.source) } } : {}),
      };
      const email = digits(12);
      return {
        key: 'account',
        events: [
          { name: 'email.queued', payload: { ...queued, at: now(), email, message: request.message ?? queued.message, lead } },
          { name: 'email.delivered', payload: { ...example('email.delivered'), at: now(), email, lead } },
        ],
      };
    },
  },
};

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
