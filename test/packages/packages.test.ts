// The packages as users get them: `pnpm pack` tarballs, checked with publint and attw, then
// installed with plain npm into a scratch project outside the workspace and used from ESM, CJS and
// TypeScript against the Prism mocks.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsumerCase, consumerCases } from '../consumer/cases.js';
import { mockUrl } from '../setup/specs.js';
import { packAll, publishablePackages, type WorkspacePackage } from './pack.js';

const require = createRequire(import.meta.url);
const packages = publishablePackages();
const rootManifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
let tarballs = new Map<string, string>();
let scratch = '';

beforeAll(() => {
  tarballs = packAll(packages);
}, 120_000);

afterAll(() => {
  for (const tarball of tarballs.values()) rmSync(join(tarball, '..'), { recursive: true, force: true });
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe.each(packages.map((p) => [p.name, p] as const))('%s tarball', (name, pkg: WorkspacePackage) => {
  it('is clean for publint (no errors, warnings or suggestions)', async () => {
    const tarball = readFileSync(tarballs.get(name) ?? '');
    const { messages } = await publint({ pack: { tarball: tarball.buffer.slice(tarball.byteOffset, tarball.byteOffset + tarball.byteLength) }, strict: true });
    expect(messages.map((m) => `${m.type}: ${formatMessage(m, pkg.manifest) ?? m.code}`)).toEqual([]);
  });

  it('is clean for @arethetypeswrong/cli (node16 ESM/CJS and bundler)', () => {
    const manifestPath = require.resolve('@arethetypeswrong/cli/package.json');
    const bin = JSON.parse(readFileSync(manifestPath, 'utf8')).bin;
    const attw = join(manifestPath, '..', typeof bin === 'string' ? bin : bin.attw);
    // ESM-only packages (the CLI) are checked as such; the others for node16 ESM + CJS and bundlers.
    const profile = JSON.stringify(pkg.manifest.exports ?? {}).includes('"require"') ? 'node16' : 'esm-only';
    let output = '';
    try {
      output = execFileSync(process.execPath, [attw, tarballs.get(name) ?? '', '--profile', profile, '--format', 'json'], { encoding: 'utf8' });
    } catch (error) {
      output = (error as { stdout?: string }).stdout ?? String(error);
    }
    const result = JSON.parse(output);
    // As attw's profiles do: node10 cannot read `exports` at all, and esm-only packages have no require().
    const ignored = profile === 'esm-only' ? ['node10', 'node16-cjs'] : ['node10'];
    const problems = (result.analysis?.problems ?? [result]).filter((p: { resolutionKind?: string }) => !ignored.includes(p.resolutionKind ?? ''));
    expect(problems).toEqual([]);
  });

  it('ships only dist, the README and (for providers) the bundled spec', () => {
    const listing = execFileSync('tar', ['-tzf', tarballs.get(name) ?? ''], { encoding: 'utf8' })
      .trim()
      .split('\n');
    const unexpected = listing.filter((f) => !/^package\/(dist\/|README\.md$|package\.json$|LICENSE$|CHANGELOG\.md$|src\/generated\/openapi\.json$)/.test(f));
    expect(unexpected).toEqual([]);
  });
});

/** The dist files an export map serves outside its `"node"` condition (the edge entries), and the chunks they load. */
function edgeFiles(dir: string, exportsMap: unknown): string[] {
  const starts = new Set<string>();
  const collect = (target: unknown, condition?: string): void => {
    if (condition === 'node') return;
    if (typeof target === 'string') {
      if (/\.(js|cjs)$/.test(target)) starts.add(target.replace(/^\.\/dist\//, ''));
    } else if (target && typeof target === 'object') for (const [key, value] of Object.entries(target)) collect(value, key);
  };
  collect(exportsMap);
  const seen = new Set<string>();
  const queue = [...starts];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const code = readFileSync(join(dir, 'dist', file), 'utf8');
    for (const [, chunk] of code.matchAll(/(?:from\s*|require\(|import\()["']\.\/([^"']+\.c?js)["']/g)) queue.push(chunk as string);
  }
  return [...seen];
}

describe('client and webhook entries', () => {
  const providerPackages = packages.filter((p) => p.manifest.exports?.['./webhooks']);
  it.each(providerPackages.map((p) => [p.name, p] as const))('%s imports nothing from node: in its client and webhook entries', (_, pkg) => {
    const entries = edgeFiles(pkg.dir, pkg.manifest.exports);
    expect(entries.length).toBeGreaterThan(1);
    for (const file of entries) {
      const code = readFileSync(join(pkg.dir, 'dist', file), 'utf8');
      expect(code, `${pkg.name}/dist/${file}`).not.toMatch(/(from\s*["']node:|require\(["']node:)/);
    }
  });
});

describe('client entries stay small', () => {
  const providerPackages = packages.filter((p) => p.manifest.exports?.['./webhooks']);
  it.each(providerPackages.map((p) => [p.name] as const))('bundling the %s client entry pulls in no webhook parsing or validators', async (name) => {
    const result = await build({
      stdin: { contents: `export * from '${name}';`, resolveDir: fileURLToPath(new URL('.', import.meta.url)) },
      bundle: true,
      write: false,
      minify: true,
      format: 'esm',
      platform: 'neutral',
      logLevel: 'silent',
    });
    const code = result.outputFiles.map((f) => f.text).join('');
    expect(code.length).toBeGreaterThan(1000);
    // Texts that only webhook parsing (core) and the compiled validators (ajv standalone) contain.
    for (const marker of ['Webhook body', 'must have required property']) expect(code).not.toContain(marker);
  });
});

describe('consumer project with the packed tarballs', () => {
  let cases: ConsumerCase[] = [];

  beforeAll(async () => {
    cases = (await consumerCases()).filter((c) => packages.some((p) => p.name === `@msgkit/${c.provider}`));
    scratch = mkdtempSync(join(tmpdir(), 'msgkit-consumer-'));
    cpSync(new URL('../consumer/project/', import.meta.url), scratch, { recursive: true });
    // The libraries a user installs: core and the provider packages (the CLI is a tool, checked above).
    const local = Object.fromEntries([...tarballs].filter(([name]) => name !== '@msgkit/cli').map(([name, file]) => [name, `file:${file}`]));
    // A TypeScript project on Node has Node's types: the "node" entry's transport option names undici's Dispatcher.
    const devDependencies = { '@types/node': rootManifest.devDependencies['@types/node'] };
    writeFileSync(
      join(scratch, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, dependencies: local, devDependencies, overrides: local }, null, 2),
    );
    writeFileSync(join(scratch, 'cases.json'), JSON.stringify(cases));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], { cwd: scratch, stdio: 'pipe' });
  }, 180_000);

  const env = () => ({ ...process.env, ...Object.fromEntries(cases.map((c) => [`MOCK_${c.provider.toUpperCase()}`, mockUrl(c.provider)])) });
  const expected = () => cases.map((c) => ({ provider: c.provider, status: c.call.status, event: expect.objectContaining(c.webhook.expect) }));

  it.each([
    ['ESM (import)', 'esm.mjs'],
    ['CommonJS (require)', 'cjs.cjs'],
  ])('%s sends through every client to the mocks and parses a webhook', (_, script) => {
    const output = execFileSync(process.execPath, [script], { cwd: scratch, env: env(), encoding: 'utf8' });
    expect(JSON.parse(output)).toEqual(expected());
  });

  it('type-checks a TypeScript consumer, including a deliberate @ts-expect-error on a wrong body', () => {
    const tsc = require.resolve('typescript/bin/tsc');
    const run = () => spawnSync(process.execPath, [tsc, '-p', join(scratch, 'tsconfig.json')], { encoding: 'utf8' });
    const clean = run();
    expect(clean.stdout, 'tsc output').toBe('');
    expect(clean.status).toBe(0);
    // The same file without the directive must fail: the wrong body really is a type error.
    const file = join(scratch, 'types.ts');
    writeFileSync(file, readFileSync(file, 'utf8').replaceAll('// @ts-expect-error', '//'));
    const broken = run();
    expect(broken.status).not.toBe(0);
    expect(broken.stdout).toMatch(/types\.ts\(\d+,\d+\): error TS(2741|2345|2322|2769)/);
  }, 120_000); // two full tsc runs over every package's types, on a loaded two-core CI
});
