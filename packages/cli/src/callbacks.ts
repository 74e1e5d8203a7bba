import { callbacksOf } from '@msgkit/spec';
import { withFreshIds } from './event-ids.js';
import type { EventInfo } from './events.js';
import { findOperation } from './operations.js';
import { describeResult, type PostResult, postEvent } from './post.js';
import type { Provider } from './providers.js';
import type { Exchange } from './proxy.js';
import { fillPlaceholders, isPlaceholder } from './realistic.js';
import { signEvent } from './signing.js';

type Doc = Record<string, any>;

/** The secret the mocks sign callbacks with when no `--secret` is given (Messente signs with your API password). */
export const MOCK_SECRET = 'msgkit-mock-secret';

const isObject = (value: unknown): value is Record<string, any> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** `{$request.body#/dlr_url}` → the request body's value at that JSON pointer, when it is a URL string. */
function callbackUrl(expression: string, requestBody: unknown): string | undefined {
  const pointer = /^\{\$request\.body#(\/.*)\}$/.exec(expression)?.[1];
  if (pointer === undefined) return undefined;
  const value = pointer
    .split('/')
    .slice(1)
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce<unknown>((node, key) => (isObject(node) || Array.isArray(node) ? (node as any)[key] : undefined), requestBody);
  return typeof value === 'string' && /^https?:\/\//.test(value) ? value : undefined;
}

/** The first primitive value under `key` anywhere in `node` (depth first). */
function findValue(node: unknown, key: string): string | number | undefined {
  if (Array.isArray(node)) {
    for (const item of node) {
      const found = findValue(item, key);
      if (found !== undefined) return found;
    }
  } else if (isObject(node)) {
    const own = node[key];
    if (typeof own === 'string' || typeof own === 'number') return own;
    for (const value of Object.values(node)) {
      const found = findValue(value, key);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** One callback payload item tied to the request that caused it: fields the answer or request also has (with a real value) take their values. */
function linked(item: unknown, exchange: Exchange): unknown {
  if (!isObject(item)) return item;
  const real = (value: string | number | undefined) => (isPlaceholder(value) ? undefined : value);
  return Object.fromEntries(
    Object.entries(item).map(([key, value]) => [key, real(findValue(exchange.responseBody, key)) ?? real(findValue(exchange.requestBody, key)) ?? value]),
  );
}

/** Options of `createCallbacks`. */
export interface CallbackOptions {
  /** The mocked provider. */
  provider: Provider;
  /** Its bundled spec. */
  doc: Doc;
  /** Its webhook and callback events. */
  events: readonly EventInfo[];
  /** Signing secret (default `MOCK_SECRET`). */
  secret?: string;
  /** Reports each delivery (default: a line on stdout). */
  log?(line: string): void;
}

/**
 * The callbacks a spec declares on its operations (Messente's delivery report to `dlr_url`,
 * Ocelot's statuses to `smsWebhookUri`), sent by the mock after a successful request: the spec's
 * example with realistic values, fresh ids and the ids of the answer, signed as the provider signs.
 */
export function createCallbacks(options: CallbackOptions) {
  const log = options.log ?? ((line: string) => console.log(line));
  const secret = options.secret ?? MOCK_SECRET;
  return {
    /** Sends the callbacks of one exchange; resolves with what the receivers answered. */
    async observe(exchange: Exchange): Promise<{ event: string; url: string; result: PostResult }[]> {
      if (exchange.status < 200 || exchange.status >= 300) return [];
      const found = findOperation(options.doc, exchange.method, exchange.path);
      const sent = [];
      for (const { expression, operation } of callbacksOf(options.doc).filter((c) => found && c.parent === found.operation)) {
        const event = options.events.find((e) => e.operationId === operation.operationId);
        const url = callbackUrl(expression, exchange.requestBody);
        const example = event ? Object.values(event.examples)[0] : undefined;
        if (!event || !url || example === undefined) continue;
        const realistic = withFreshIds(options.provider.name, fillPlaceholders(options.doc, event.schema, example));
        const payload = Array.isArray(realistic) ? realistic.map((i) => linked(i, exchange)) : linked(realistic, exchange);
        const signed = await signEvent(options.provider, JSON.stringify(payload), { secret });
        const result = await postEvent(url, signed.body, signed.headers, { loopbackOnly: true });
        log(`${options.provider.name}: ${event.name} → ${url} ${describeResult(result)}`);
        sent.push({ event: event.name, url, result });
      }
      return sent;
    },
  };
}
