import { listEvents } from './events.js';
import { createLifecycle } from './lifecycle.js';
import { type PrismServer, startPrism } from './prism.js';
import { providers as allProviders, type Provider } from './providers.js';
import { type ProxyServer, startProxy } from './proxy.js';
import { specPath } from './specs.js';

/** The default port of the first provider's mock. */
export const DEFAULT_PORT_BASE = 4010;

/** Options of `startMocks`. */
export interface MockOptions {
  /** Providers to mock (default: every provider whose package is installed). */
  providers: readonly Provider[];
  /** Port of the first provider; each provider keeps its offset (olly +0 … volly +4). 0 picks free ports. */
  portBase?: number;
  /** Generate responses from schemas instead of the spec's examples. */
  dynamic?: boolean;
  /** Lifecycle mode: after each successful send, POST the provider's lifecycle webhooks, signed. */
  deliver?: DeliverOptions;
}

/** Options of lifecycle mode (`msgkit mock --deliver`). */
export interface DeliverOptions {
  /** Where events go when the client registered no webhook URL through the mock. */
  webhooksTo?: string;
  /** Secret to sign events with when the registration has none (Amio). */
  secret?: string;
  /** Reports each delivery (default: a line on stdout). */
  log?(line: string): void;
}

/** A running mock per provider. */
export interface RunningMock {
  /** The mocked provider. */
  provider: Provider;
  /** URL clients use: Prism's, or in lifecycle mode the observing proxy's in front of it. */
  url: string;
  /** The Prism server. */
  server: PrismServer;
  /** Lifecycle mode: the proxy in front of Prism. */
  proxy?: ProxyServer;
  /** Stops the proxy (if any) and Prism. */
  stop(): Promise<void>;
}

/** The port a provider's mock uses for a port base (0 stays 0: a free port). */
export function mockPort(provider: Provider, portBase: number): number {
  return portBase === 0 ? 0 : portBase + (provider.port - (allProviders[0]?.port ?? DEFAULT_PORT_BASE));
}

/** Starts one mock: Prism, and in lifecycle mode an observing proxy in front of it on the public port. */
async function startMock(provider: Provider, port: number, options: MockOptions): Promise<RunningMock> {
  if (!options.deliver) {
    const server = await startPrism({ spec: specPath(provider), port, dynamic: options.dynamic });
    return { provider, url: server.url, server, stop: () => server.stop() };
  }
  const server = await startPrism({ spec: specPath(provider), port: 0, dynamic: options.dynamic });
  const lifecycle = createLifecycle({ provider, events: listEvents(provider), ...options.deliver });
  try {
    const proxy = await startProxy({ target: server.url, port, onExchange: (exchange) => lifecycle.observe(exchange) });
    return {
      provider,
      url: proxy.url,
      server,
      proxy,
      stop: async () => {
        await Promise.all([proxy.stop(), server.stop()]);
      },
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/** Starts one mock per provider, all at once; if one fails, the others are stopped. */
export async function startMocks(options: MockOptions): Promise<RunningMock[]> {
  const portBase = options.portBase ?? DEFAULT_PORT_BASE;
  const started = await Promise.allSettled(options.providers.map((provider) => startMock(provider, mockPort(provider, portBase), options)));
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
