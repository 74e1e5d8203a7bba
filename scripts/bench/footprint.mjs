// 6. Footprint: what `@msgkit/cli` adds to a consumer. Packs every workspace package it needs (pnpm pack
// rewrites `workspace:` ranges), installs the tarballs with npm in an empty temp project, and counts the
// installed packages and their size on disk (issue 17.10). `@redocly/cli` is an optional peer of the CLI
// (only `msgkit docs` needs it), so it is not in this install.
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageDir, providers } from './workspace.mjs';

/** Every package directory under a node_modules tree (scoped and nested ones included). */
function installedPackages(modules) {
  const found = [];
  let entries = [];
  try {
    entries = readdirSync(modules, { withFileTypes: true });
  } catch {
    return found;
  }
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const dirs = entry.name.startsWith('@') ? readdirSync(join(modules, entry.name)).map((n) => join(modules, entry.name, n)) : [join(modules, entry.name)];
    for (const dir of dirs) {
      found.push(dir);
      found.push(...installedPackages(join(dir, 'node_modules')));
    }
  }
  return found;
}

/** Bytes of the files under `dir` (symlinks not followed). */
function diskBytes(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += diskBytes(path);
    else total += lstatSync(path).size;
  }
  return total;
}

/** Installs packed `@msgkit/cli` (and the @msgkit packages it depends on) into a temp project; returns what the consumer got. */
export function cliFootprint() {
  const dir = mkdtempSync(join(tmpdir(), 'msgkit-footprint-'));
  try {
    const names = ['core', ...providers.map((p) => p.name), 'cli'];
    const dependencies = {};
    for (const name of names) {
      const out = execFileSync('npx', ['-y', 'pnpm@12.4.2', 'pack', '--pack-destination', dir], { cwd: packageDir(name), encoding: 'utf8' });
      const tarball = out.trim().split('\n').pop().split('/').pop();
      dependencies[`@msgkit/${name}`] = `file:./${tarball}`;
    }
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, dependencies }, null, 2));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
    const modules = join(dir, 'node_modules');
    const installed = installedPackages(modules);
    const largest = installed
      .map((path) => ({ name: path.slice(modules.length + 1).replaceAll('/node_modules/', ' > '), megabytes: diskBytes(path) / 1e6 }))
      .sort((a, b) => b.megabytes - a.megabytes)
      .slice(0, 5);
    return {
      packages: installed.length,
      thirdParty: installed.length - names.length,
      megabytes: diskBytes(modules) / 1e6,
      // What `du` reports: file sizes rounded up to whole disk blocks.
      diskMegabytes: (Number(execFileSync('du', ['-sk', modules], { encoding: 'utf8' }).split('\t')[0]) * 1024) / 1e6,
      largest,
      npm: execFileSync('npm', ['--version'], { encoding: 'utf8' }).trim(),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(cliFootprint(), null, 2));
