import { type ParseArgsConfig, parseArgs } from 'node:util';
import { suggest, UsageError } from './providers.js';

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

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * `parseArgs` with positionals allowed and msgkit's errors: an unknown option gets the closest known
 * one ("Unknown option --port. Did you mean --port-base?"), a missing value names the option.
 */
export function parseOptions<T extends Options>(argv: string[], options: T, command: string) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, strict: true, options });
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    if (!code.startsWith('ERR_PARSE_ARGS')) throw error;
    const flag = /'(-{1,2}[^'\s]+)/.exec((error as Error).message)?.[1] ?? '';
    const known = Object.entries(options).flatMap(([name, o]) => [`--${name}`, ...(o.short ? [`-${o.short}`] : [])]);
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const hint = suggest(
        flag.replace(/=.*/, ''),
        known.filter((k) => k.startsWith('--')),
      );
      throw new UsageError(`Unknown option ${flag}.${hint ? ` Did you mean ${hint}?` : ''} Run msgkit ${command} --help.`);
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const name = known.find((k) => (error as Error).message.includes(`'${k}`)) ?? flag;
      const takes = Object.entries(options).find(([n]) => `--${n}` === name)?.[1]?.type === 'string';
      throw new UsageError(takes ? `${name} needs a value. Run msgkit ${command} --help.` : `${name} takes no value. Run msgkit ${command} --help.`);
    }
    throw new UsageError(`${(error as Error).message.split('\n')[0]} Run msgkit ${command} --help.`);
  }
}
