import { UsageError } from './providers.js';

/** A port number option (0-65535), or the fallback when absent. */
export function parsePort(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (value.trim() === '' || !Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`${flag} must be a port number (0-65535), got "${value}"`);
  return port;
}

/** A whole-number option of at least 1, or the fallback when absent. */
export function parseCount(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const count = Number(value);
  if (value.trim() === '' || !Number.isInteger(count) || count < 1) throw new UsageError(`${flag} must be a whole number of at least 1, got "${value}"`);
  return count;
}

/** An absolute http(s) URL option. */
export function parseUrl(value: string, flag: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${flag} must be an http(s) URL, got "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`${flag} must be an http(s) URL, got "${value}"`);
  return url.toString();
}

/** Resolves with 0 on Ctrl-C or SIGTERM, after `stop` has run. */
export function untilSignal(stop: () => Promise<unknown>): Promise<number> {
  return new Promise((resolve) => {
    const onSignal = () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      void stop().then(() => resolve(0));
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

/** A command of the `msgkit` CLI. */
export interface Command {
  /** Name on the command line. */
  name: string;
  /** One line for `msgkit --help`. */
  summary: string;
  /** Full help, printed by `--help`. */
  help: string;
  /** Runs the command with the arguments after its name; resolves with the exit code. */
  run(argv: string[]): Promise<number>;
}

/** True when `--help` or `-h` is among the arguments (before a `--`). */
export function wantsHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((a) => a === '--help' || a === '-h');
}
