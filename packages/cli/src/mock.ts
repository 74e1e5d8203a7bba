import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAnswerRewriter } from './answers.js';
import { checkCredentials } from './auth.js';
import { createCallbacks } from './callbacks.js';
import { listEvents } from './events.js';
import { createLifecycle } from './lifecycle.js';
import { findOperation } from './operations.js';
import { type PrismServer, startPrism } from './prism.js';
import type { Provider } from './providers.js';
import { type ProxyServer, startProxy } from './proxy.js';
import { loadSpec } from './specs.js';

/** The default port of the first provider's mock (each provider has its fixed port in specs/providers.json). */
export const DEFAULT_PORT_BASE = 4010;

/** Options of `startMocks`. */
export interface MockOptions {
  /** Providers to mock, in order (each at most once). */
  providers: readonly Provider[];
  /** Port of the first listed provider; the others follow in order (N, N+1, …). 0 picks free ports. Default: each provider's fixed port (olly 4010 … volly 4014). */
  portBase?: number;
  /** Generate responses from schemas instead of the spec's examples. */
  dynamic?: boolean;
  /** Secret the mocks sign callbacks with (Messente's delivery reports; default `MOCK_SECRET`). */
  secret?: string;
  /** Lifecycle mode: after each successful send, POST the provider's lifecycle webhooks, signed. */
  deliver?: DeliverOptions;
  /** Reports each callback or lifecycle delivery (default: a line on stdout). */
  log?(line: string): void;
}

/** Options of lifecycle mode (`msgkit mock --deliver`). */
export interface DeliverOptions {
  /** Where events go when the client registered no webhook URL through the mock. */
  webhooksTo?: string;
  /** Secret to sign events with when the registration has none (Amio). */
  secret?: string;
  /** Reports each delivery (default: the mock's `log`). */
  log?(line: string): void;
}

/** A running mock per provider. */
export interface RunningMock {
  /** The mocked provider. */
  provider: Provider;
  /** URL clients use: the proxy's in front of Prism. */
  url: string;
  /** The Prism server behind the proxy. */
  server: PrismServer;
  /** The proxy in front of Prism (auth, precise errors, realistic answers, signed callbacks, lifecycle). */
  proxy: ProxyServer;
  /** Stops the proxy and Prism. */
  stop(): Promise<void>;
}

/** A port a mock could not listen on, because something else does. */
export class PortInUseError extends Error {
  override name = 'PortInUseError';
  /** The port. */
  readonly port: number;
  constructor(port: number, provider: Provider) {
    super(`Port ${port} (the ${provider.name} mock) is already in use. Stop what is using it, or pass --port-base 0 to use free ports.`);
    this.port = port;
  }
}

/** The port of the `index`-th listed provider: its fixed port without a base, 0 for 0 (free ports), else base + index. */
export function mockPort(provider: Provider, index: number, portBase?: number): number {
  if (portBase === undefined) return provider.port;
  return portBase === 0 ? 0 : portBase + index;
}

/** The spec Prism serves: the bundled one without `callbacks`, which the proxy sends itself, signed and realistic. */
function prismSpec(doc: Record<string, any>): { file: string; remove(): void } {
  const copy = structuredClone(doc);
  for (const item of Object.values(copy.paths ?? {}) as Record<string, any>[]) {
    for (const operation of Object.values(item ?? {})) if (operation && typeof operation === 'object') delete operation.callbacks;
  }
  const dir = mkdtempSync(join(tmpdir(), 'msgkit-mock-'));
  const file = join(dir, 'openapi.json');
  writeFileSync(file, JSON.stringify(copy));
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Starts one mock: Prism on a free port, and the proxy in front of it on the public port. */
async function startMock(provider: Provider, port: number, options: MockOptions): Promise<RunningMock> {
  const doc = loadSpec(provider);
  const events = listEvents(provider);
  const spec = prismSpec(doc);
  let server: PrismServer;
  try {
    server = await startPrism({ spec: spec.file, port: 0, dynamic: options.dynamic });
  } catch (error) {
    spec.remove();
    throw error;
  }
  const log = options.log;
  const callbacks = createCallbacks({ provider, doc, events, secret: options.secret, log });
  const lifecycle = options.deliver ? createLifecycle({ provider, events, ...options.deliver, log: options.deliver.log ?? log }) : undefined;
  try {
    const proxy = await startProxy({
      target: server.url,
      port,
      authorize: (request) => {
        const found = findOperation(doc, request.method, request.path);
        return found ? checkCredentials(doc, found.operation, request) : undefined;
      },
      rewrite: createAnswerRewriter(doc, { dynamic: options.dynamic }),
      onExchange: (exchange) => {
        const found = findOperation(doc, exchange.method, exchange.path);
        const known = { ...exchange, operationId: found?.operation.operationId, pathParams: found?.params };
        return Promise.all([callbacks.observe(known), lifecycle?.observe(known)]);
      },
    });
    return {
      provider,
      url: proxy.url,
      server,
      proxy,
      stop: async () => {
        await Promise.all([proxy.stop(), server.stop()]);
        spec.remove();
      },
    };
  } catch (error) {
    await server.stop();
    spec.remove();
    throw (error as NodeJS.ErrnoException)?.code === 'EADDRINUSE' ? new PortInUseError(port, provider) : error;
  }
}

/** Starts one mock per provider, all at once; if one fails, the others are stopped. */
export async function startMocks(options: MockOptions): Promise<RunningMock[]> {
  const started = await Promise.allSettled(options.providers.map((provider, i) => startMock(provider, mockPort(provider, i, options.portBase), options)));
  const running = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    await Promise.all(running.map((m) => m.stop()));
    throw failed.reason;
  }
  return running;
}

/** A fixed-width text table. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
