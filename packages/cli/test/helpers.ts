import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { fileURLToPath } from 'node:url';
import { findProvider, loadSpec } from '../src/index.js';

/** The built CLI. */
export const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

/** Runs the built CLI to its end and resolves with its exit code and output. */
export function runCli(args: string[]) {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk) => {
    out += chunk;
  });
  child.stderr.on('data', (chunk) => {
    err += chunk;
  });
  return new Promise<{ code: number | null; out: string; err: string }>((resolve) => child.on('exit', (code) => resolve({ code, out, err })));
}

/** Starts the built CLI and resolves once its stdout contains `ready`; the caller stops it. */
export function startCli(args: string[], ready: string): Promise<{ child: ChildProcessWithoutNullStreams; out: () => string }> {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (chunk) => {
    err += chunk;
  });
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes(ready)) resolve({ child, out: () => out });
    });
    child.once('exit', (code) => reject(new Error(`msgkit ${args.join(' ')} exited ${code} before "${ready}":\n${out}\n${err}`)));
  });
}

/** Resolves with the exit code once the process has exited. */
export function exited(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** True while a process with this pid exists (and is not a zombie). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Direct children of a process, from /proc (Linux). */
export function childPids(pid: number): number[] {
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

/** Polls until `check` holds or `ms` pass; resolves with the last result. */
export async function eventually(check: () => boolean, ms = 30_000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return check();
}

/** A request a test receiver got. */
export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * A webhook receiver on 127.0.0.1: `handle` turns each request into a status (throwing means 400), so
 * a test can build it from a package's parse function. Every request is recorded.
 */
export async function startReceiver(handle: (request: Received) => Promise<number | undefined> | number | undefined = () => 200) {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const entry = { path: request.url ?? '/', headers: request.headers, body: Buffer.concat(chunks) };
      received.push(entry);
      try {
        response.writeHead((await handle(entry)) ?? 200, { 'content-type': 'application/json' }).end('{}');
      } catch (error) {
        response.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: (error as Error).message }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    url,
    received,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A port on 127.0.0.1 that nothing listens on (it was free a moment ago). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

/** The path of an operation in a provider's bundled spec, with path parameters filled in (so tests follow the spec's path layout). */
export function pathOf(provider: string, operationId: string, params: Record<string, string> = {}): string {
  for (const [path, item] of Object.entries<Record<string, any>>(loadSpec(findProvider(provider)).paths ?? {})) {
    if (Object.values(item ?? {}).some((operation) => operation?.operationId === operationId)) {
      return path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? 'x'));
    }
  }
  throw new Error(`${provider} has no operation ${operationId}`);
}
