// Runs every command of the root README's command table exactly as written, from the repository
// root. Each one must reach the root package.json script of its name (pnpm built-ins such as `docs`
// shadow a script of the same name: this is the test that catches it). `start` and `mock` really run,
// with the free-port flags the README documents, up to their ready line, are used, and are stopped
// with their whole process group. The others are bounded: pnpm runs them with a stand-in shell
// (pnpm's `script-shell` setting) that records the command line pnpm resolved instead of running it.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const scripts: Record<string, string> = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts;

/** The commands of the README's "Commands" table, as written (the first column, without backticks). */
function tableCommands(): string[] {
  const section = readme.slice(readme.indexOf('\n## Commands'));
  const end = section.indexOf('\n## ', 1);
  return [...(end === -1 ? section : section.slice(0, end)).matchAll(/^\| `([^`]+)` +\|/gm)].map((m) => m[1] ?? '');
}

/** The script a table command names: `npx -y pnpm@12.4.2 <script>`. */
const scriptOf = (command: string) => /^npx -y pnpm@12\.4\.2 (\S+)$/.exec(command)?.[1] ?? '';

const commands = tableCommands();
const scratch = mkdtempSync(join(tmpdir(), 'msgkit-readme-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs a command line with sh in the repository root. */
function run(command: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile('sh', ['-c', command], { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 120_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` }),
    );
  });
}

describe('the README command table', () => {
  it('lists every command a contributor needs, each as `npx -y pnpm@12.4.2 <script>`', () => {
    expect(commands.map(scriptOf).sort()).toEqual(
      ['bench', 'build', 'build-docs', 'changeset', 'format', 'generate', 'lint', 'mock', 'release', 'start', 'test', 'typecheck'].sort(),
    );
  });

  it('names no command pnpm 12 shadows with a built-in of the same name (`pnpm docs` was one)', () => {
    expect(commands.filter((c) => /\bpnpm(@[\d.]+)? (docs|home|repo|bugs|info|view|why)\b/.test(c))).toEqual([]);
  });

  it.each(commands.map((command) => [command, { given: command, want: scripts[scriptOf(command)] }] as const))(
    '%s runs the root script of its name',
    async (_, { given, want }) => {
      expect(want, `package.json has a "${scriptOf(given)}" script`).toBeTypeOf('string');
      const record = join(scratch, `${scriptOf(given)}.txt`);
      const shell = join(scratch, `${scriptOf(given)}.sh`);
      // pnpm calls the script shell as `<shell> -c "<script> <args>"`: record that line instead of running it.
      writeFileSync(shell, `#!/bin/sh\nprintf '%s' "$2" > '${record}'\n`);
      chmodSync(shell, 0o755);
      const { code, output } = await run(given, { pnpm_config_script_shell: shell });
      expect(code, output).toBe(0);
      expect(readFileSync(record, 'utf8')).toBe(want);
    },
    120_000,
  );
});

describe('every README installs honestly', () => {
  const readmes = ['README.md', 'DEVELOPERS.md', ...readdirSync(join(root, 'packages')).map((p) => join('packages', p, 'README.md'))].filter((f) =>
    existsSync(join(root, f)),
  );

  it.each(readmes.map((file) => [file, readFileSync(join(root, file), 'utf8')] as const))('%s', (file, text) => {
    // The unscoped npm package "msgkit" is not ours: only "never `npx msgkit`" may name that form.
    expect(text.split('\n').filter((line) => /npx msgkit\b/.test(line) && !/never/.test(line))).toEqual([]);
    if (!file.startsWith('packages/')) return;
    // A package README says the package is not on npm yet and keeps `npm install @msgkit/…` for after the first release.
    expect(text).toContain('Not on npm yet');
    expect(text).toContain('^20.19.0 || >=22.12.0');
    expect(text.split('\n').filter((line) => /npm install @msgkit\//.test(line) && !/After the first release/.test(line))).toEqual([]);
  });
});

/** The free-port flags the README documents for `start` and `mock`. */
const FREE_PORTS: Record<string, string> = { start: '--port-base 0 --docs-port 0', mock: '--port-base 0' };
/** One provider (the README: "`mock olly amio` for some"), so a loaded machine starts one Prism, not five. */
const PROVIDER = 'olly';

describe.each(commands.filter((c) => scriptOf(c) in FREE_PORTS).map((c) => [c] as const))('%s, really run', (command) => {
  it('documents its free-port flags and provider names in the README', () => {
    expect(readme).toContain(`\`${command} ${FREE_PORTS[scriptOf(command)]}\``);
    expect(readme).toContain(`\`${scriptOf(command)} ${PROVIDER} amio\``);
  });

  it('builds, prints its ready line with URLs on free ports that answer, and stops with every child on Ctrl-C', async () => {
    const given = `${command} ${PROVIDER} ${FREE_PORTS[scriptOf(command)]}`;
    const child = spawn('sh', ['-c', given], { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    try {
      await new Promise<void>((resolve, reject) => {
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          if (/Ctrl-C/.test(output)) resolve();
        };
        child.stdout?.on('data', onData);
        child.stderr?.on('data', onData);
        child.once('exit', (code) => reject(new Error(`${given} exited (${code}) before its ready line:\n${output.slice(-3000)}`)));
      });
      const urls = [...new Set(output.match(/http:\/\/127\.0\.0\.1:\d+/g) ?? [])];
      const ports = urls.map((url) => Number(new URL(url).port));
      expect(ports.length, output).toBe(scriptOf(command) === 'start' ? 2 : 1);
      expect(ports.filter((port) => port >= 4000 && port <= 4014)).toEqual([]);
      for (const url of urls) expect((await fetch(`${url}/index.html`)).status, url).toBeGreaterThan(0);
      if (scriptOf(command) === 'start') {
        const docs = output.match(/docs\s+(http:\/\/127\.0\.0\.1:\d+)/)?.[1];
        const index = await fetch(`${docs}/index.html`);
        expect(index.status).toBe(200);
        expect(await index.text()).toContain('msgkit API reference');
      }
      // Ctrl-C in a terminal signals the whole foreground process group: pnpm, turbo's shell, node, Prism.
      await stopGroup(child, 'SIGINT');
      for (const url of urls) await expect(fetch(url), `${url} still answers after Ctrl-C`).rejects.toThrow();
      expect(groupAlive(child), 'a process of the group is still running').toBe(false);
    } finally {
      if (groupAlive(child)) process.kill(-(child.pid ?? 0), 'SIGKILL');
    }
  }, 600_000);
});

/** Whether any process of the child's process group is still running. */
function groupAlive(child: ChildProcess): boolean {
  try {
    process.kill(-(child.pid ?? 0), 0);
    return true;
  } catch {
    return false;
  }
}

/** Signals the child's process group and waits (up to 30 s) until no process of it is left. */
async function stopGroup(child: ChildProcess, signal: NodeJS.Signals) {
  process.kill(-(child.pid ?? 0), signal);
  for (let waited = 0; waited < 30_000 && groupAlive(child); waited += 100) await new Promise((r) => setTimeout(r, 100));
}
