import { MsgkitError } from './errors.js';

/** Levenshtein distance between two names: insertions, deletions and substitutions each cost 1. */
function distance(a: string, b: string): number {
  let row = [...Array(b.length + 1).keys()];
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min((row[j] as number) + 1, (next[j - 1] as number) + 1, (row[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length] as number;
}

/** The known name closest to `name`, when it is close enough to be a typo of it. */
export function closest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let least = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const d = distance(name.toLowerCase(), candidate.toLowerCase());
    if (d <= Math.max(2, Math.floor(candidate.length / 3)) && d < least) [best, least] = [candidate, d];
  }
  return best;
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
