import { withFreshIds } from './event-ids.js';
import type { EventInfo } from './events.js';
import { applyOverrides, type Override } from './payload.js';
import { type PostResult, postEvent } from './post.js';
import { UsageError } from './providers.js';
import { fillPlaceholders } from './realistic.js';
import { checkSigningKeys, type SigningKeys, signEvent } from './signing.js';
import { loadSpec } from './specs.js';

/** Options of `triggerEvent`. */
export interface TriggerOptions extends SigningKeys {
  /** The event to send. */
  event: EventInfo;
  /** Endpoint to POST to. */
  to: string;
  /** Name of the spec example to start from (default: the first). */
  example?: string;
  /** `--set` overrides applied to the example. */
  overrides?: readonly Override[];
  /** How many times to send the same bytes (default 1): a receiver should accept the first and dedupe the rest. */
  repeat?: number;
  /** Send without a signature even though the provider signs (to test that the endpoint rejects it). */
  unsigned?: boolean;
  /** Called after each delivery, e.g. to print it. */
  onResult?(result: PostResult, attempt: number): void;
}

/** What was sent, and what the endpoint answered each time. */
export interface TriggerResult {
  /** The payload after overrides. */
  payload: unknown;
  /** The exact body sent (the same every time). */
  body: string;
  /** Signature headers sent. */
  headers: Record<string, string>;
  /** One result per delivery. */
  results: PostResult[];
}

/**
 * The payload of one event: the spec's example with realistic values for its placeholders and fresh
 * event ids (see `EVENT_ID_FIELDS`), then the overrides. Every call gives a different event.
 */
export function eventPayload(event: EventInfo, example?: string, overrides: readonly Override[] = []): unknown {
  const names = Object.keys(event.examples);
  const name = example ?? names[0];
  if (name === undefined || !(name in event.examples)) {
    const known = names.length ? `Examples of ${event.name}: ${names.join(', ')}` : `${event.name} has no example in the spec`;
    throw new UsageError(`Unknown example "${example}". ${known}.`);
  }
  const realistic = fillPlaceholders(loadSpec(event.provider), event.schema, event.examples[name]);
  return applyOverrides(withFreshIds(event.provider.name, realistic), overrides);
}

/**
 * POSTs one event (see `eventPayload`) to an endpoint, signed the way the provider signs, `repeat`
 * times with identical bytes (so the same event id), and reports each answer.
 */
export async function triggerEvent(options: TriggerOptions): Promise<TriggerResult> {
  const { event, repeat = 1 } = options;
  let url: URL;
  try {
    url = new URL(options.to);
  } catch {
    throw new UsageError(`--to must be an http(s) URL, got "${options.to}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--to must be an http(s) URL, got "${options.to}"`);
  if (!Number.isInteger(repeat) || repeat < 1) throw new UsageError(`--repeat must be a whole number of at least 1, got ${repeat}`);
  checkSigningKeys(event.provider, options, { unsigned: options.unsigned });

  const payload = eventPayload(event, options.example, options.overrides);
  const signed = await signEvent(event.provider, JSON.stringify(payload), options, { unsigned: options.unsigned });
  const results: PostResult[] = [];
  for (let attempt = 1; attempt <= repeat; attempt++) {
    const result = await postEvent(url.toString(), signed.body, signed.headers);
    results.push(result);
    options.onResult?.(result, attempt);
  }
  return { payload, body: signed.body, headers: signed.headers, results };
}
