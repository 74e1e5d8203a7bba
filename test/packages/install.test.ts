// The root README's "Install" commands, run as written (only /tmp/msgkit is swapped for a scratch
// directory): pack core, the providers and the CLI from this repository, install the tarballs
// together with plain npm in a project outside the workspace, import a client, and start the CLI's
// mock with `npx -p @msgkit/cli msgkit …` up to its ready line. Also checks the README's warning
// that one tarball alone does not install.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './pack.js';

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');

/** The first `sh` block of the README's "## Install" section, as lines grouped by where they run. */
function installSteps() {
  const section = readme.slice(readme.indexOf('\n## Install'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  const steps: { where: 'clone' | 'project'; command: string }[] = [];
  let where: 'clone' | 'project' | undefined;
  for (const line of block.split('\n').map((l) => l.trim())) {
    if (/^# in a clone/.test(line)) where = 'clone';
    else if (/^# in your project/.test(line)) where = 'project';
    else if (line && !line.startsWith('#') && where) steps.push({ where, command: line });
  }
  return steps;
}

const steps = installSteps();
const BUILD = 'npx -y pnpm@12.4.2 install && npx -y pnpm@12.4.2 build';
let scratch = '';
let project = '';
let tarballs = '';
const outputs: string[] = [];
let mock: { child: ChildProcess; output: string } | undefined;

function sh(command: string, cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile('sh', ['-c', command], { cwd, encoding: 'utf8', timeout: 600_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` }),
    );
  });
}

/** Starts a long-running command in its own process group and resolves at its ready line. */
function startUntilReady(command: string, cwd: string): Promise<{ child: ChildProcess; output: string }> {
  const child = spawn('sh', ['-c', command], { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/Ctrl-C/.test(output)) resolve({ child, output });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${command} exited (${code}) before its ready line:\n${output}`)));
  });
}

const alive = (pid: number) => {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
};

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'msgkit-install-'));
  tarballs = join(scratch, 'tarballs');
  project = join(scratch, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'my-project', private: true }, null, 2));
  for (const { where, command } of steps) {
    // The workspace is installed and built before this test runs (`pnpm test` builds first).
    if (command === BUILD) continue;
    const given = command.replaceAll('/tmp/msgkit', tarballs);
    if (/ msgkit mock /.test(given)) {
      mock = await startUntilReady(given, project);
      continue;
    }
    const { code, output } = await sh(given, where === 'clone' ? repoRoot : project);
    outputs.push(`$ ${given}\n${output}`);
    if (code !== 0) throw new Error(`README install step failed (${code}): ${given}\n${output}`);
  }
}, 900_000);

afterAll(async () => {
  if (mock?.child.pid && alive(mock.child.pid)) process.kill(-mock.child.pid, 'SIGKILL');
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('the README install commands, run as written', () => {
  it('build in the clone, pack core, every provider and the CLI, install in your project, and start a mock', () => {
    expect(steps.map((s) => s.where)).toEqual(['clone', 'clone', 'clone', 'project', 'project', 'project']);
    expect(steps[0]?.command).toBe(BUILD);
    expect(readdirSync(tarballs).sort()).toEqual(['amio', 'cli', 'core', 'messente', 'ocelot', 'olly', 'volly'].map((p) => `msgkit-${p}-0.0.0.tgz`));
  });

  it('installs with no engine warning on this Node.js', () => {
    expect(outputs.join('\n')).not.toMatch(/EBADENGINE|Unsupported engine/);
  });

  it('gives a project that imports a client and its webhook parser from the installed packages', async () => {
    const { code, output } = await sh(
      `node --input-type=module -e "const { createOllyClient } = await import('@msgkit/olly'); const w = await import('@msgkit/olly/webhooks'); console.log(typeof createOllyClient, typeof w.parseOllyWebhook)"`,
      project,
    );
    expect(output).toBe('function function\n');
    expect(code).toBe(0);
  });

  it('runs `npx -p @msgkit/cli msgkit mock olly` from the local install: the mock answers a documented request', async () => {
    const url = mock?.output.match(/http:\/\/127\.0\.0\.1:\d+/)?.[0];
    expect(url, mock?.output).toBeDefined();
    const response = await fetch(`${url}/api/message`, {
      method: 'POST',
      headers: { authorization: 'Basic k', 'content-type': 'application/json' },
      body: JSON.stringify({ number: '+16208039306', content: 'hello world', provider_number: '+12020304444' }),
    });
    expect(response.status).toBe(200);
    const pid = mock?.child.pid ?? 0;
    process.kill(-pid, 'SIGINT');
    for (let waited = 0; waited < 30_000 && alive(pid); waited += 100) await new Promise((r) => setTimeout(r, 100));
    expect(alive(pid), 'a process of the mock is still running after Ctrl-C').toBe(false);
  });

  it('fails, as the README says, when one provider tarball is installed without core', async () => {
    const alone = join(scratch, 'alone');
    mkdirSync(alone);
    writeFileSync(join(alone, 'package.json'), JSON.stringify({ name: 'alone', private: true }));
    const { code, output } = await sh(`npm install --no-audit --no-fund ${join(tarballs, 'msgkit-olly-0.0.0.tgz')}`, alone);
    expect(code).not.toBe(0);
    expect(output).toContain('@msgkit/core');
  });
});
