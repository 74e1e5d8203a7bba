import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import rootPackage from '../../../package.json' with { type: 'json' };
import pkg from '../package.json' with { type: 'json' };
import { findProvider, hasSpec, loadSpec, providers } from '../src/index.js';
import { alive, bin, childPids, closedPort, eventually, exited, runCli, startCli, startReceiver } from './helpers.js';

const available = providers.filter(hasSpec);

/** The provider → URL rows of the table `msgkit mock` prints. */
function tableUrls(out: string): Record<string, string> {
  return Object.fromEntries([...out.matchAll(/^(\w+)\s+(http:\/\/127\.0\.0\.1:\d+)/gm)].map((m) => [m[1] ?? '', m[2] ?? '']));
}

/** A GET or POST that Prism answers from the spec: the first operation of the spec, without credentials. */
function firstOperationPath(name: string): string {
  return Object.keys(loadSpec(findProvider(name)).paths ?? {})[0]?.replace(/\{[^}]+\}/g, 'x') ?? '/';
}

describe('msgkit mock', () => {
  it.each([
    ['SIGTERM', { signal: 'SIGTERM' as const, code: 0 }],
    ['SIGKILL', { signal: 'SIGKILL' as const, code: null }],
  ])('brings up every installed provider with a table, and leaves no process behind after %s', async (_, { signal, code }) => {
    const { child, out } = await startCli(['mock', '--port-base', '0'], 'Press Ctrl-C');
    const urls = tableUrls(out());
    // The CLI depends on every provider package, so all five are installed and mocked.
    expect(Object.keys(urls).sort()).toEqual(providers.map((p) => p.name).sort());
    for (const p of available) {
      const answer = await fetch(`${urls[p.name]}${firstOperationPath(p.name)}`);
      // Prism answers (any status: the request has no credentials); a closed port would throw.
      expect(answer.status).toBeGreaterThanOrEqual(200);
    }
    const prismPids = childPids(child.pid ?? 0);
    expect(prismPids).toHaveLength(available.length);
    child.kill(signal);
    expect(await exited(child)).toBe(code);
    expect(await eventually(() => prismPids.every((pid) => !alive(pid)))).toBe(true);
    for (const url of Object.values(urls)) await expect(fetch(url)).rejects.toThrow();
  });

  it('stops every mock and exits 1 when one of them dies', async () => {
    const { child } = await startCli(['mock', 'olly', 'messente', '--port-base', '0'], 'Press Ctrl-C');
    const [first, ...others] = childPids(child.pid ?? 0);
    process.kill(first ?? 0, 'SIGKILL');
    expect(await exited(child)).toBe(1);
    expect(await eventually(() => others.every((pid) => !alive(pid)))).toBe(true);
  });

  it('--dynamic generates responses from the schemas instead of returning the example', async () => {
    const { child, out } = await startCli(['mock', 'messente', '--port-base', '0', '--dynamic'], 'Press Ctrl-C');
    try {
      const url = tableUrls(out()).messente;
      const body = { to: '+37251234567', messages: [{ channel: 'sms', text: 'hello' }] };
      const send = () =>
        fetch(`${url}/v1/omnimessage`, {
          method: 'POST',
          headers: { authorization: `Basic ${btoa('user:pass')}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }).then((r) => r.json() as Promise<{ omnimessage_id: string }>);
      const [a, b] = [await send(), await send()];
      expect(a.omnimessage_id).toMatch(/^[0-9a-f-]{36}$/i);
      expect(a.omnimessage_id).not.toBe(b.omnimessage_id);
    } finally {
      child.kill('SIGTERM');
      await exited(child);
    }
  });

  it('--deliver prints the lifecycle of each mock and POSTs it after a send', async () => {
    const receiver = await startReceiver();
    const { child, out } = await startCli(['mock', 'olly', '--port-base', '0', '--deliver', '--webhooks-to', `${receiver.url}/hooks`], 'Press Ctrl-C');
    try {
      expect(out()).toMatch(/^provider\s+mock URL\s+lifecycle$/m);
      expect(out()).toMatch(/^olly\s+http:\/\/127\.0\.0\.1:\d+\s+POST \/api\/message → OutgoingMessageStatus QUEUED, SENT, DELIVERED/m);
      const message = { number: '+16208039306', provider_number: '+12020304444', content: 'hi' };
      const sent = await fetch(`${tableUrls(out()).olly}/api/message`, {
        method: 'POST',
        headers: { authorization: 'Basic k', 'content-type': 'application/json' },
        body: JSON.stringify(message),
      });
      expect(sent.status).toBe(200);
      await expect.poll(() => receiver.received.length).toBe(3);
      expect(receiver.received.map((r) => JSON.parse(r.body.toString()).status)).toEqual(['QUEUED', 'SENT', 'DELIVERED']);
      await expect.poll(() => out().match(/^olly: OutgoingMessageStatus → .*\/hooks 200 \d+ ms$/gm)?.length).toBe(3);
    } finally {
      child.kill('SIGTERM');
      await exited(child);
      await receiver.stop();
    }
  });

  it.each([
    ['one provider', { given: ['volly'], first: 'volly' }],
    ['two providers, in the listed order', { given: ['amio', 'olly'], first: 'amio' }],
  ])('--port-base N serves the first listed provider on N: %s', async (_, { given, first }) => {
    const port = await closedPort();
    const { child, out } = await startCli(['mock', ...given, '--port-base', String(port)], 'Press Ctrl-C');
    try {
      const urls = tableUrls(out());
      expect(urls[first]).toBe(`http://127.0.0.1:${port}`);
      expect(Object.keys(urls)).toEqual(given);
    } finally {
      child.kill('SIGTERM');
      await exited(child);
    }
  });

  it('says in one line which port is in use and how to avoid it', async () => {
    const blocker = await startReceiver();
    try {
      const port = new URL(blocker.url).port;
      const result = await runCli(['mock', 'olly', '--port-base', port]);
      expect(result.code).toBe(1);
      expect(result.err).toBe(`msgkit: Port ${port} (the olly mock) is already in use. Stop what is using it, or pass --port-base 0 to use free ports.\n`);
    } finally {
      await blocker.stop();
    }
  });

  it('exits 0 on Ctrl-C in a terminal (SIGINT to the whole process group), with every mock stopped', async () => {
    // Its own process group, as a terminal's foreground job: the SIGINT goes to every process in it.
    const child = spawn(process.execPath, [bin, 'mock', 'olly', 'messente', '--port-base', '0'], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.stderr.on('data', (chunk) => {
      err += chunk;
    });
    const code = new Promise((resolve) => child.once('exit', (c) => resolve(c)));
    expect(await eventually(() => out.includes('Press Ctrl-C'), 30_000)).toBe(true);
    const prismPids = childPids(child.pid ?? 0);
    process.kill(-(child.pid ?? 0), 'SIGINT');
    expect(await code).toBe(0);
    expect(err).toBe('');
    expect(await eventually(() => prismPids.every((pid) => !alive(pid)))).toBe(true);
  });

  it.each([
    ['pnpm mock', { script: 'mock' }],
    ['pnpm start', { script: 'start' }],
  ])('%s: Ctrl-C stops the mocks and the script exits 0 (the shell does not die of the SIGINT first)', async (_, { script }) => {
    // The root script as pnpm runs it (sh -c, extra arguments appended), with its turbo build replaced by `true`.
    const scripts: Record<string, string> = rootPackage.scripts;
    const command = `${scripts[script]?.replace(/^turbo run [^&]+/, 'true ').replace(' --docs docs/dist', '')} olly --port-base 0`;
    const child = spawn('sh', ['-c', command], { cwd: new URL('../../..', import.meta.url), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    const status = new Promise<[number | null, string | null]>((resolve) => child.once('exit', (code, signal) => resolve([code, signal])));
    expect(await eventually(() => out.includes('Press Ctrl-C'), 30_000)).toBe(true);
    process.kill(-(child.pid ?? 0), 'SIGINT');
    expect(await status).toEqual([0, null]);
  });

  it.each([
    ['an unknown provider', { given: ['mock', 'olyy'], err: /Unknown provider "olyy"\. Did you mean "olly"\?/ }],
    ['an unknown command', { given: ['mokc'], err: /Unknown command "mokc"\. Did you mean "mock"\?/ }],
    ['a bad port', { given: ['mock', '--port-base', 'abc'], err: /--port-base must be a port number/ }],
    ['an unknown flag', { given: ['mock', '--colour'], err: /^msgkit: Unknown option --colour\. Run msgkit mock --help\.\n$/ }],
    ['a flag close to a known one', { given: ['mock', '--port', '5000'], err: /^msgkit: Unknown option --port\. Did you mean --port-base\?/ }],
    ['a misspelt flag', { given: ['mock', '--dinamic'], err: /Unknown option --dinamic\. Did you mean --dynamic\?/ }],
    ['a flag without its value', { given: ['mock', '--port-base'], err: /^msgkit: --port-base needs a value\./ }],
    ['a value for a switch', { given: ['mock', '--dynamic=yes'], err: /^msgkit: --dynamic takes no value\./ }],
    ['a docs flag close to a known one', { given: ['docs', '--serv'], err: /Did you mean --serve\?/ }],
    ['a trigger flag close to a known one', { given: ['webhooks', 'trigger', 'olly', 'IncomingMessage', '--too', 'x'], err: /Did you mean --to\?/ }],
    ['the same provider twice', { given: ['mock', 'olly', 'olly'], err: /olly is listed twice/ }],
    ['an unknown top-level option', { given: ['--versoin'], err: /Unknown option --versoin\. Did you mean --version\?/ }],
    ['--webhooks-to without --deliver', { given: ['mock', '--webhooks-to', 'http://127.0.0.1:1/'], err: /--webhooks-to only applies with --deliver/ }],
    ['a --webhooks-to that is no URL', { given: ['mock', '--deliver', '--webhooks-to', 'here'], err: /--webhooks-to must be an http\(s\) URL/ }],
    ['no command', { given: [], err: /Usage:/ }],
  ])('exits 2 with a helpful message for %s', async (_, { given, err }) => {
    const result = await runCli(given);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(err);
  });
});

describe('msgkit --version', () => {
  it.each([['--version'], ['-v']])('%s prints the package version and exits 0', async (flag) => {
    const result = await runCli([flag]);
    expect(result).toEqual({ code: 0, out: `${pkg.version}\n`, err: '' });
  });
});

describe('msgkit --help', () => {
  it.each([
    [['--help'], /Commands:[\s\S]*mock[\s\S]*webhooks[\s\S]*docs/],
    [['-h'], /Exit codes: 0 success, 1 failure.*2 wrong usage/],
    [['help', 'webhooks'], /Usage: msgkit webhooks <list\|trigger>/],
    [['mock', '--help'], /Usage: msgkit mock[\s\S]*--deliver[\s\S]*--webhooks-to/],
    [['webhooks', '--help'], /Usage: msgkit webhooks <list\|trigger>/],
    [['webhooks', 'list', '--help'], /Usage: msgkit webhooks list/],
    [['webhooks', 'trigger', '--help'], /Usage: msgkit webhooks trigger <provider> <event> --to <url>[\s\S]*--repeat/],
    [['docs', '--help'], /Usage: msgkit docs[\s\S]*--serve/],
  ])('prints help for %j and exits 0', async (args, want) => {
    const result = await runCli(args);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(want);
    expect(result.err).toBe('');
  });
});
