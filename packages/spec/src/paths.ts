// Where the repository's specs and generated files are (for the generator and the docs build, run in a clone).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of the repository root (the nearest folder above this file with pnpm-workspace.yaml), with a trailing slash. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'pnpm-workspace.yaml'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('Not inside the msgkit repository: no pnpm-workspace.yaml above @msgkit/spec');
    dir = parent;
  }
  return `${dir}/`;
}

/** The provider's hand-written spec. */
export const specPath = (name: string) => `${repoRoot()}specs/${name}/openapi.yaml`;

/** The provider package's `src/generated/` folder. */
export const generatedDir = (name: string) => `${repoRoot()}packages/${name}/src/generated/`;

/** The provider's bundled spec, written by the generator. */
export const bundledSpecPath = (name: string) => `${generatedDir(name)}openapi.json`;
