import { type PrismServer, startPrism } from './prism.js';
import { providers as allProviders, type Provider } from './providers.js';
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
}

/** A running mock per provider. */
export interface RunningMock {
  provider: Provider;
  server: PrismServer;
}

/** The port a provider's mock uses for a port base (0 stays 0: a free port). */
export function mockPort(provider: Provider, portBase: number): number {
  return portBase === 0 ? 0 : portBase + (provider.port - (allProviders[0]?.port ?? DEFAULT_PORT_BASE));
}

/** Starts one Prism mock per provider, all at once; if one fails, the others are stopped. */
export async function startMocks(options: MockOptions): Promise<RunningMock[]> {
  const portBase = options.portBase ?? DEFAULT_PORT_BASE;
  const started = await Promise.allSettled(
    options.providers.map(async (provider) => ({
      provider,
      server: await startPrism({ spec: specPath(provider), port: mockPort(provider, portBase), dynamic: options.dynamic }),
    })),
  );
  const running = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    await Promise.all(running.map((m) => m.server.stop()));
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
