import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const prismBin = createRequire(import.meta.url).resolve('@stoplight/prism-cli/dist/index.js');

/**
 * Preloaded into each Prism process: exit when the IPC channel to msgkit closes, i.e. when msgkit
 * exits for any reason, even SIGKILL, so no mock outlives it.
 */
const EXIT_WITH_PARENT = `data:text/javascript,${encodeURIComponent("process.on('disconnect', () => process.exit(0));")}`;

/** Options of `startPrism`. */
export interface PrismOptions {
  /** Path of the (bundled) OpenAPI document to mock. */
  spec: string;
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Generate responses from schemas instead of returning the spec's examples. */
  dynamic?: boolean;
  /** Give up when Prism is not listening after this many milliseconds (default 30 000). */
  startTimeoutMs?: number;
}

/** A running Prism mock server. */
export interface PrismServer {
  /** Base URL, e.g. `http://127.0.0.1:4010`. */
  url: string;
  /** The port it listens on. */
  port: number;
  /** The Prism child process. */
  process: ChildProcess;
  /** Stops the server and waits for the process to exit. */
  stop(): Promise<void>;
}

/**
 * Starts Prism on 127.0.0.1 with request validation and `--errors` (invalid requests get 4xx), and
 * resolves once it listens. Prism exits with this process, however this process ends.
 */
export function startPrism(options: PrismOptions): Promise<PrismServer> {
  const host = options.host ?? '127.0.0.1';
  // --no-multiprocess: Prism would otherwise fork its server under NODE_ENV=production, out of our reach.
  const args = ['--import', EXIT_WITH_PARENT, prismBin, 'mock', options.spec, '-h', host, '-p', String(options.port ?? 0), '--errors', '--no-multiprocess'];
  if (options.dynamic) args.push('--dynamic');
  // detached: Prism gets its own process group, so a terminal's Ctrl-C reaches only msgkit, which
  // stops Prism itself and exits 0 (Prism dying of the same SIGINT first would look like a crash).
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], detached: true });
  // The channel only signals our death to the child; it must not keep this process alive.
  child.channel?.unref();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };

  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`Prism did not start within ${options.startTimeoutMs ?? 30_000} ms for ${options.spec}:\n${output.slice(-2000)}`));
    }, options.startTimeoutMs ?? 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Prism is listening on (http:\/\/[^\s]+?):(\d+)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      // Keep draining so a chatty Prism never blocks on a full pipe.
      child.stdout?.resume();
      child.stderr?.resume();
      const port = Number(match[2]);
      resolve({ url: `http://${host}:${port}`, port, process: child, stop });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`Prism exited (${signal ?? code}) before listening for ${options.spec}:\n${output.slice(-2000)}`));
    });
  });
}
