import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

/** Runs the built CLI and resolves with its exit code and output. */
function run(args: string[], { killAfterTable = false } = {}) {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk) => {
    out += chunk;
    if (killAfterTable && out.includes('Press Ctrl-C')) child.kill('SIGTERM');
  });
  child.stderr.on('data', (chunk) => {
    err += chunk;
  });
  return new Promise<{ code: number | null; out: string; err: string }>((resolve) => child.on('exit', (code) => resolve({ code, out, err })));
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('msgkit mock', () => {
  it('starts the mocks, prints their URLs, and stops every child on SIGTERM', async () => {
    const child = spawn(process.execPath, [bin, 'mock', 'olly', '--port-base', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    await new Promise<void>((resolve) =>
      child.stdout.on('data', (chunk) => {
        out += chunk;
        if (out.includes('Press Ctrl-C')) resolve();
      }),
    );
    const url = /olly\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
    expect(url).toBeDefined();
    const answer = await fetch(`${url}/api/message`, {
      method: 'POST',
      headers: { authorization: 'Basic k', 'content-type': 'application/json' },
      body: JSON.stringify({ number: '+16208039306', content: 'hello world', provider_number: '+12020304444' }),
    });
    expect(answer.status).toBe(200);
    const port = Number(new URL(url ?? '').port);
    const prismPids = await childPids(child.pid ?? 0);
    expect(prismPids.length).toBeGreaterThan(0);
    child.kill('SIGTERM');
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    for (const pid of prismPids) expect(alive(pid)).toBe(false);
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
  });

  it.each([
    ['an unknown provider', { given: ['mock', 'olyy'], code: 2, err: /Did you mean "olly"/ }],
    ['an unknown command', { given: ['mokc'], code: 2, err: /Unknown command "mokc"/ }],
    ['a bad port', { given: ['mock', '--port-base', 'abc'], code: 2, err: /--port-base must be a port number/ }],
    ['an unknown flag', { given: ['mock', '--colour'], code: 2, err: /Unknown option/ }],
  ])('exits 2 with a helpful message for %s', async (_, { given, code, err }) => {
    const result = await run(given);
    expect(result.code).toBe(code);
    expect(result.err).toMatch(err);
  });

  it.each([[['--help']], [['mock', '--help']]])('prints help for %j and exits 0', async (args) => {
    const result = await run(args);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/Usage/);
  });
});

/** Direct children of a process, from /proc (Linux). */
async function childPids(pid: number): Promise<number[]> {
  const { readFileSync, readdirSync } = await import('node:fs');
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        return readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1]?.split(' ')[1] === String(pid);
      } catch {
        return false;
      }
    })
    .map(Number);
}
