import { type ProviderEntry, providers } from '@msgkit/spec';

/** A provider msgkit covers (specs/providers.json, through @msgkit/spec). */
export type Provider = ProviderEntry;

export { providers };

/** Levenshtein distance, for "did you mean" suggestions. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] ?? 0;
      row[j] = Math.min(current + 1, (row[j - 1] ?? 0) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] ?? 0;
}

/** The closest candidate to `input`, when one is close enough to suggest. */
export function suggest(input: string, candidates: readonly string[]): string | undefined {
  // A prefix of exactly one candidate (`--port` of `--port-base`) is the clearest hint.
  const extended = candidates.filter((c) => input.length >= 3 && c.toLowerCase().startsWith(input.toLowerCase()));
  if (extended.length === 1) return extended[0];
  const ranked = candidates.map((c) => [c, distance(input.toLowerCase(), c.toLowerCase())] as const).sort((x, y) => x[1] - y[1]);
  const best = ranked[0];
  return best && best[1] <= Math.max(2, Math.floor(input.length / 3)) ? best[0] : undefined;
}

/** Looks up a provider by name, with a suggestion in the error when it is unknown. */
export function findProvider(name: string): Provider {
  const found = providers.find((p) => p.name === name);
  if (found) return found;
  const hint = suggest(
    name,
    providers.map((p) => p.name),
  );
  throw new UsageError(`Unknown provider "${name}".${hint ? ` Did you mean "${hint}"?` : ''} Known: ${providers.map((p) => p.name).join(', ')}`);
}

/** A mistake in how the CLI was called: printed without a stack, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
