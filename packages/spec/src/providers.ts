// The providers msgkit covers. The data is specs/providers.json (aliased as `#providers.json` in
// tsconfig.json, tsdown.config.ts and vitest.config.ts), bundled into this package at build time.
import list from '#providers.json' with { type: 'json' };

/** A provider msgkit covers. */
export interface ProviderEntry {
  /** Short name, as in `@msgkit/<name>` and `specs/<name>/`. */
  name: string;
  /** Display name. */
  title: string;
  /** Fixed port of its mock in `pnpm start` / `msgkit mock` (with the default port base 4010). */
  port: number;
  /** Client factory exported by the package. */
  factory: string;
  /** Webhook parser exported by `@msgkit/<name>/webhooks`. */
  parser: string;
}

/** Every provider, in port order. */
export const providers: readonly ProviderEntry[] = list;

/** The provider called `name`; throws naming the known ones when there is none. */
export function provider(name: string): ProviderEntry {
  const found = providers.find((p) => p.name === name);
  if (!found) throw new Error(`Unknown provider "${name}". Known: ${providers.map((p) => p.name).join(', ')}`);
  return found;
}
