// The ```ts blocks of a package README, taken as written: each one is a whole program a user can paste.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../packages/pack.js';

/** One ```ts block of a README, with the line its code starts on. */
export interface Example {
  line: number;
  code: string;
}

/** Every ```ts block of packages/<provider>/README.md, in order. */
export function readmeExamples(provider: string): Example[] {
  const text = readFileSync(join(repoRoot, 'packages', provider, 'README.md'), 'utf8');
  const examples: Example[] = [];
  for (const match of text.matchAll(/^```ts\n([\s\S]*?)^```$/gm)) {
    examples.push({ line: text.slice(0, match.index).split('\n').length + 1, code: match[1] ?? '' });
  }
  return examples;
}
