import { createServer } from 'node:http';
import { parseAmioWebhook } from '@msgkit/amio/webhooks';
import { createDeduper, type HeadersLike, toNodeHandler } from '@msgkit/core/webhooks';
import { parseMessenteCallback } from '@msgkit/messente/webhooks';
import { parseOcelotSmsStatusCallback, parseOcelotWebhook } from '@msgkit/ocelot/webhooks';
import { parseOllyWebhook } from '@msgkit/olly/webhooks';
import { parseVollyWebhook } from '@msgkit/volly/webhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type EventInfo,
  eventIds,
  eventPayload,
  findProvider,
  hasSpec,
  isPlaceholder,
  listEvents,
  loadSpec,
  providers,
  signingRules,
  triggerEvent,
} from '../src/index.js';
import { closedPort, runCli } from './helpers.js';

const SECRET = 'whsec-test-secret';

type Parse = (raw: Uint8Array, headers: HeadersLike) => unknown;

/** Per provider and event group (`webhooks` or `<operationId>.<callback>`): the package's own parser, verifying signatures. */
const parsers: Record<string, Record<string, Parse>> = {
  olly: { webhooks: (raw, headers) => parseOllyWebhook(raw, headers) },
  ocelot: {
    webhooks: (raw, headers) => parseOcelotWebhook(raw, headers),
    'sendSms.smsDeliveryStatus': (raw, headers) => parseOcelotSmsStatusCallback(raw, headers),
  },
  messente: { 'sendOmnimessage.deliveryReport': (raw, headers) => parseMessenteCallback(raw, headers, { secret: SECRET }) },
  amio: { webhooks: (raw, headers) => parseAmioWebhook(raw, headers, { secret: SECRET }) },
  volly: { webhooks: (raw, headers) => parseVollyWebhook(raw, headers) },
};

const events: EventInfo[] = providers.filter(hasSpec).flatMap(listEvents);
/** What each receiver's handler got, by `<provider>/<event>`. */
const handled = new Map<string, unknown[]>();
let receiver: { url: string; stop(): Promise<void> };

beforeAll(async () => {
  // The endpoints an integrator builds: core's toNodeHandler around each package parser, one per path.
  const handlers = new Map<string, ReturnType<typeof toNodeHandler>>();
  for (const event of events) {
    const parse = parsers[event.provider.name]?.[event.group];
    if (!parse) continue;
    const key = `${event.provider.name}/${event.name}`;
    handlers.set(
      `/${key}`,
      toNodeHandler({
        parse,
        handler: (parsed) => {
          handled.set(key, [...(handled.get(key) ?? []), parsed]);
        },
      }),
    );
  }
  // Olly IncomingMessage once more, deduplicated by guid as the olly README advises.
  handlers.set(
    '/dedupe/olly/IncomingMessage',
    toNodeHandler({
      parse: (raw, headers) => parseOllyWebhook(raw, headers),
      dedupe: { deduper: createDeduper(), key: (event) => event.guid },
      handler: (parsed) => {
        handled.set('dedupe', [...(handled.get('dedupe') ?? []), parsed]);
      },
    }),
  );
  const server = createServer((request, response) => {
    const handle = handlers.get(decodeURIComponent(request.url ?? ''));
    if (handle) void handle(request, response);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  receiver = {
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
});
afterAll(() => receiver.stop());

const credentials = (event: EventInfo) => (signingRules[event.provider.name]?.option === 'secret' ? ['--secret', SECRET] : []);
const endpoint = (event: EventInfo) => `${receiver.url}/${event.provider.name}/${encodeURIComponent(event.name)}`;

describe('msgkit webhooks trigger', () => {
  it('covers every webhook and callback of every installed provider with a parser of its package', () => {
    expect(events.length).toBeGreaterThan(0);
    const missing = events.filter((e) => !parsers[e.provider.name]?.[e.group]).map((e) => `${e.provider.name} ${e.group}`);
    expect(missing).toEqual([]);
  });

  it('delivers every event so that the provider package accepts, verifies and parses it into that event', async () => {
    const failures: string[] = [];
    for (const event of events) {
      const result = await runCli(['webhooks', 'trigger', event.provider.name, event.name, '--to', endpoint(event), ...credentials(event)]);
      // The handler gets one call per event; a batch (Ocelot) is several events.
      const got = handled.get(`${event.provider.name}/${event.name}`);
      // Same event, same fields; the values are realistic and the ids fresh (see the next tests).
      const fields = (events: unknown) => JSON.stringify([events].flat().map((item) => Object.keys(item as object).sort()));
      const same = fields(got) === fields(Object.values(event.examples)[0]);
      if (result.code !== 0 || !same) failures.push(`${event.provider.name} ${event.name}: exit ${result.code} ${result.out}${result.err}`);
    }
    expect(failures).toEqual([]);
    // One CLI process per event: slow on a busy machine.
  }, 240_000);

  it.each(events.filter((e) => signingRules[e.provider.name]?.option === 'secret').map((e) => [`${e.provider.name} ${e.name}`, e] as const))(
    '%s with a wrong secret is refused by the package (exit 1)',
    async (_, event) => {
      const result = await runCli(['webhooks', 'trigger', event.provider.name, event.name, '--to', endpoint(event), '--secret', 'not-the-secret']);
      expect(result.code).toBe(1);
      expect(result.out).toMatch(/400 .*"code":"signature_mismatch"/);
    },
  );

  it.each(events.map((e) => [`${e.provider.name} ${e.name}`, e] as const))('%s: every run is a new event with realistic values', (_, event) => {
    const runs = [eventPayload(event), eventPayload(event)];
    const strings = (node: unknown): string[] =>
      typeof node === 'string' ? [node] : node && typeof node === 'object' ? Object.values(node).flatMap(strings) : [];
    expect(runs.flatMap(strings).filter(isPlaceholder)).toEqual([]);
    const [first, second] = runs.map((payload) => eventIds(event.provider.name, payload));
    expect(first?.length, 'the payload carries an event id').toBeGreaterThan(0);
    for (const [i, id] of (first ?? []).entries()) expect(second?.[i]).not.toBe(id);
  });

  it.each(providers.filter(hasSpec).map((p) => [p.name, p] as const))('%s: no two events or examples share an id', (_, provider) => {
    const ids = listEvents(provider).flatMap((event) =>
      Object.keys(event.examples).flatMap((example) => eventIds(provider.name, eventPayload(event, example))),
    );
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it.each([
    ['once', { repeat: 1 }],
    ['with --repeat 3', { repeat: 3 }],
  ])('sends one event %s: the same bytes every time of one run, a new id the next run', async (_, { repeat }) => {
    const event = listEvents(findProvider('olly')).find((e) => e.name === 'IncomingMessage') as EventInfo;
    const to = `${receiver.url}/olly/IncomingMessage`;
    const [a, b] = [await triggerEvent({ event, to, repeat }), await triggerEvent({ event, to, repeat })];
    expect(a.results.map((r) => r.status)).toEqual(Array(repeat).fill(200));
    expect((a.payload as { guid: string }).guid).not.toBe((b.payload as { guid: string }).guid);
  });

  it('--repeat resends the same event id, so a deduplicating receiver handles it once', async () => {
    const result = await runCli(['webhooks', 'trigger', 'olly', 'IncomingMessage', '--to', `${receiver.url}/dedupe/olly/IncomingMessage`, '--repeat', '3']);
    expect(result.code).toBe(0);
    expect(result.out.match(/^ {2}\d\/3 {2}200 /gm)).toHaveLength(3);
    expect(handled.get('dedupe')).toHaveLength(1);
  });

  it('--set changes the payload before it is signed', async () => {
    const result = await runCli([
      'webhooks',
      'trigger',
      'amio',
      'MessagesDelivered',
      '--to',
      `${receiver.url}/amio/MessagesDelivered`,
      '--secret',
      SECRET,
      '--set',
      'data.messages[0].id=m-42',
      '--set',
      'data.contact={"id":"c-1"}',
    ]);
    expect(result.code).toBe(0);
    const delivered = handled.get('amio/MessagesDelivered')?.at(-1) as { data: { messages: unknown[]; contact: unknown } };
    expect(delivered.data.messages[0]).toEqual({ id: 'm-42' });
    expect(delivered.data.contact).toEqual({ id: 'c-1' });
  });

  it.each([
    ['an unknown provider', { given: ['olyy', 'IncomingMessage'], err: /Unknown provider "olyy"\. Did you mean "olly"\?/ }],
    ['an unknown event', { given: ['olly', 'IncomingMesage'], err: /Unknown event "IncomingMesage" for olly\. Did you mean "IncomingMessage"\?/ }],
    ['a missing event', { given: ['olly'], err: /needs a provider and an event/ }],
    ['a missing --to', { given: ['olly', 'IncomingMessage'], err: /--to <url> is required/ }],
    ['a --to that is no URL', { given: ['olly', 'IncomingMessage', '--to', 'localhost'], err: /--to must be an http\(s\) URL/ }],
    ['a signing provider without --secret', { given: ['amio', 'message_echo', '--to', 'http://127.0.0.1:9/'], err: /amio signs every event.*--secret/ }],
    [
      '--secret for a provider that does not sign',
      { given: ['olly', 'IncomingMessage', '--to', 'http://127.0.0.1:9/', '--secret', 'x'], err: /olly does not sign/ },
    ],
    ['a bad --repeat', { given: ['olly', 'IncomingMessage', '--to', 'http://127.0.0.1:9/', '--repeat', '0'], err: /--repeat must be a whole number/ }],
    ['a malformed --set', { given: ['olly', 'IncomingMessage', '--to', 'http://127.0.0.1:9/', '--set', 'status'], err: /must look like path=value/ }],
    ['an unknown --example', { given: ['olly', 'IncomingMessage', '--to', 'http://127.0.0.1:9/', '--example', 'nope'], err: /Unknown example "nope"/ }],
  ])('exits 2 for %s', async (_, { given, err }) => {
    const result = await runCli(['webhooks', 'trigger', ...given]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(err);
    expect(result.out).toBe('');
  });

  it('exits 1 when the endpoint does not answer', async () => {
    const result = await runCli(['webhooks', 'trigger', 'olly', 'IncomingMessage', '--to', `http://127.0.0.1:${await closedPort()}/`]);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/no answer \(.*ECONNREFUSED/);
  });
});

describe('msgkit webhooks list', () => {
  it('lists every webhook and callback of the specs, as JSON too', async () => {
    const result = await runCli(['webhooks', 'list', '--json']);
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.out) as { provider: string; name: string; kind: string }[];
    // Read straight from the bundled specs: webhook keys, then each operation's callback operations.
    const specEvents = providers.filter(hasSpec).flatMap((p) => {
      const spec = loadSpec(p);
      const callbacks = Object.values(spec.paths ?? {}).flatMap((item: any) =>
        Object.values(item).flatMap((op: any) =>
          Object.values(op?.callbacks ?? {}).flatMap((cb: any) => Object.values(cb).map((cbItem: any) => `${p.name} callback ${cbItem.post.operationId}`)),
        ),
      );
      return [...Object.keys(spec.webhooks ?? {}).map((name) => `${p.name} webhook ${name}`), ...callbacks];
    });
    expect(rows.map((r) => `${r.provider} ${r.kind} ${r.name}`)).toEqual(specEvents);
  });

  it('prints a table limited to the given providers', async () => {
    const result = await runCli(['webhooks', 'list', 'amio']);
    expect(result.code).toBe(0);
    const lines = result.out.trim().split('\n');
    expect(lines[0]).toMatch(/^provider\s+event\s+kind\s+summary$/);
    const rows = lines.slice(1, lines.indexOf(''));
    expect(rows.every((line) => line.startsWith('amio '))).toBe(true);
    expect(rows).toHaveLength(Object.keys(loadSpec(findProvider('amio')).webhooks ?? {}).length);
  });

  it.each([
    ['the default table', { given: [], header: /^provider\s+event\s+kind\s+summary$/, width: 100 }],
    ['--wide', { given: ['--wide'], header: /^provider\s+event\s+kind\s+delivered to\s+signature\s+summary$/, width: Number.POSITIVE_INFINITY }],
  ])('%s fits its width and shows its columns', async (_, { given, header, width }) => {
    const result = await runCli(['webhooks', 'list', ...given]);
    expect(result.code).toBe(0);
    const lines = result.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(header);
    expect(lines.filter((line) => line.length > width)).toEqual([]);
  });

  it.each([
    ['an unknown provider', { given: ['list', 'volyl'], err: /Did you mean "volly"/ }],
    ['an unknown subcommand', { given: ['lsit'], err: /Unknown webhooks command "lsit"\. Did you mean "list"\?/ }],
    ['--wide with --json', { given: ['list', '--wide', '--json'], err: /--wide and --json exclude each other/ }],
    ['an unknown list option', { given: ['list', '--wid'], err: /Unknown option --wid\. Did you mean --wide\?/ }],
  ])('exits 2 for %s', async (_, { given, err }) => {
    const result = await runCli(['webhooks', ...given]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(err);
  });
});
