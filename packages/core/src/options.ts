import { MsgkitError } from './errors.js';

/** Levenshtein distance between two names: insertions, deletions and substitutions each cost 1. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The known name closest to `name`, when it is close enough to be a typo of it. */
export function closest(name: string, known: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const d = distance(name.toLowerCase(), candidate.toLowerCase());
    if (d <= Math.max(2, Math.floor(candidate.length / 3)) && (best === undefined || d < best.distance)) best = { name: candidate, distance: d };
  }
  return best?.name;
}

/**
 * Refuses option keys that are not in `known`, naming the closest known one: a misspelt option
 * (`maxRetires`) would otherwise be ignored without a word. `where` names the function in the message.
 */
export function checkOptionNames(options: object, known: readonly string[], where: string): void {
  for (const name of Object.keys(options)) {
    if (known.includes(name)) continue;
    const guess = closest(name, known);
    const hint = guess === undefined ? `known options: ${known.join(', ')}` : `did you mean ${guess}?`;
    throw new MsgkitError(`${where}: unknown option "${name}" (${hint})`);
  }
}
