import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** A publishable workspace package. */
export interface WorkspacePackage {
  name: string;
  dir: string;
  manifest: Record<string, any>;
}

/** Every non-private package under packages/ that has been built. */
export function publishablePackages(): WorkspacePackage[] {
  const base = join(repoRoot, 'packages');
  return readdirSync(base)
    .map((entry) => join(base, entry))
    .filter((dir) => existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'dist')))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
    .filter(({ manifest }) => !manifest.private)
    .map(({ dir, manifest }) => ({ name: manifest.name, dir, manifest }));
}

/** pnpm itself: the one running this test when there is one, else the pinned version through npx. */
function pnpm(): [string, string[]] {
  const execPath = process.env.npm_execpath;
  if (execPath && /pnpm/.test(execPath)) return /\.[cm]?js$/.test(execPath) ? [process.execPath, [execPath]] : [execPath, []];
  return ['npx', ['-y', 'pnpm@12.4.2']];
}

/** Packs every package with one `pnpm -r pack` (workspace: ranges become versions) into a fresh directory. */
export function packAll(packages: WorkspacePackage[]): Map<string, string> {
  const out = mkdtempSync(join(tmpdir(), 'msgkit-pack-'));
  const [command, prefix] = pnpm();
  const filters = packages.flatMap((pkg) => ['--filter', pkg.name]);
  const json = execFileSync(command, [...prefix, '-r', ...filters, 'pack', '--json', '--pack-destination', out], {
    cwd: repoRoot,
    encoding: 'utf8',
    stdio: 'pipe',
  });
  // One package prints an object, several an array.
  const packed: { name: string; filename: string }[] = [JSON.parse(json)].flat();
  const tarballs = new Map(packed.map((p) => [p.name, p.filename]));
  const missing = packages.filter((pkg) => !tarballs.has(pkg.name)).map((pkg) => pkg.name);
  if (missing.length > 0) throw new Error(`pnpm pack produced no tarball for ${missing.join(', ')}`);
  return tarballs;
}
