// No file under packages/*/src imports outside its own package by relative path: a package that does
// works only inside this repository (its published tarball lacks the file), and turbo cannot see the input.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Every module specifier of a source file: static imports and re-exports, `import()`, `require()` and `import x = require()`. */
function specifiers(source: string): string[] {
  const patterns = [
    /\b(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  return patterns.flatMap((pattern) => [...source.matchAll(pattern)].map((match) => match[1] ?? ''));
}

/** The relative specifiers of `file` (inside `packageDir`) that resolve outside `packageDir`. */
function escapingImports(packageDir: string, file: string, source: string): string[] {
  return specifiers(source).filter((s) => s.startsWith('.') && relative(packageDir, resolve(dirname(file), s)).startsWith(`..${sep}`));
}

/** Every .ts/.tsx/.js/.mjs/.cjs/.mts/.cts file under a folder. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(?:[cm]?[jt]s|tsx)$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('escapingImports', () => {
  const pkg = '/repo/packages/cli';
  const file = '/repo/packages/cli/src/commands/mock.ts';
  it.each([
    ['a sibling module', { given: "import { a } from '../mock.js';", want: [] }],
    ['a package import', { given: "import { deref } from '@msgkit/spec';", want: [] }],
    ['the repository root', { given: "import { deref } from '../../../../scripts/lib/events.mjs';", want: ['../../../../scripts/lib/events.mjs'] }],
    [
      'a JSON file beside the package',
      { given: "import list from '../../../../specs/providers.json' with { type: 'json' };", want: ['../../../../specs/providers.json'] },
    ],
    ['a re-export from another package', { given: "export { x } from '../../../core/src/index.js';", want: ['../../../core/src/index.js'] }],
    ['a dynamic import', { given: "const m = await import('../../../../scripts/x.mjs');", want: ['../../../../scripts/x.mjs'] }],
    ['a side-effect import', { given: "import '../../../../setup.js';", want: ['../../../../setup.js'] }],
    ['the package.json of its own package', { given: "import pkg from '../../package.json' with { type: 'json' };", want: [] }],
  ])('%s', (_, { given, want }) => {
    expect(escapingImports(pkg, file, given)).toEqual(want);
  });
});

describe('packages/*/src', () => {
  const packages = readdirSync(join(root, 'packages'));
  it.each(packages)('%s imports nothing outside its package by relative path', (name) => {
    const dir = join(root, 'packages', name);
    const found = sources(join(dir, 'src')).flatMap((file) =>
      escapingImports(dir, file, readFileSync(file, 'utf8')).map((s) => `${relative(root, file)}: ${s}`),
    );
    expect(found).toEqual([]);
  });
});
