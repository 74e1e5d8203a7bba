// Where the benchmarks find the workspace: built packages (packages/<p>/dist), bundled specs, and a
// throwaway consumer project whose node_modules links to them, as an installed package would be.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { providers } from '@msgkit/spec';

/** The repository root. */
export const root = fileURLToPath(new URL('../..', import.meta.url));

/** The five providers, in specs/providers.json order. */
export { providers };

/** Directory of a workspace package (`core`, `olly`, …). */
export function packageDir(name) {
  return join(root, 'packages', name);
}

/** Path of a built entry (`index` or `webhooks`) of a package, or undefined when it is not built. */
export function builtEntry(name, entry = 'index') {
  const file = join(packageDir(name), 'dist', `${entry}.js`);
  return existsSync(file) ? file : undefined;
}

/** Why a package entry cannot be benchmarked yet, or undefined when it can. */
export function missing(name, entry = 'index') {
  return builtEntry(name, entry) ? undefined : `not available yet (packages/${name}/dist/${entry}.js is not built)`;
}

/** Imports a built package entry from its dist, resolving its own dependencies through the workspace. */
export function importEntry(name, entry = 'index', query = '') {
  const file = builtEntry(name, entry);
  if (!file) throw new Error(`packages/${name}/dist/${entry}.js is not built`);
  return import(`${pathToFileURL(file).href}${query}`);
}

/** The bundled spec a provider package ships (src/generated/openapi.json), or undefined. */
export function bundledSpec(name) {
  const file = join(packageDir(name), 'src', 'generated', 'openapi.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
}

/** Real directory of a dependency as resolved from `fromDir` (follows pnpm's links). */
function resolvePackageDir(name, fromDir) {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dirname(dir) === dir) throw new Error(`${name} is not installed (looked from ${fromDir})`);
  }
}

/**
 * Creates a consumer project in the OS temp dir whose node_modules links every built @msgkit package,
 * the official messente_api SDK and openapi-fetch (the bare-client reference). Call `remove()` when done.
 */
export function createConsumerProject() {
  const dir = mkdtempSync(join(tmpdir(), 'msgkit-bench-'));
  const modules = join(dir, 'node_modules');
  mkdirSync(join(modules, '@msgkit'), { recursive: true });
  for (const name of ['core', ...providers.map((p) => p.name)]) {
    if (builtEntry(name)) symlinkSync(packageDir(name), join(modules, '@msgkit', name), 'dir');
  }
  symlinkSync(resolvePackageDir('messente_api', root), join(modules, 'messente_api'), 'dir');
  symlinkSync(resolvePackageDir('openapi-fetch', packageDir('core')), join(modules, 'openapi-fetch'), 'dir');
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
