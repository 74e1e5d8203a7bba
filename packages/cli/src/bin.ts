#!/usr/bin/env node
import pkg from '../package.json' with { type: 'json' };
import type { Command } from './args.js';
import { docsCommand } from './commands/docs.js';
import { mockCommand } from './commands/mock.js';
import { webhooksCommand } from './commands/webhooks.js';
import { suggest, UsageError } from './providers.js';

const commands: readonly Command[] = [mockCommand, webhooksCommand, docsCommand];

const HELP = `msgkit: mock servers, webhook triggers and API reference docs for the msgkit messaging providers,
offline.

Usage:
  msgkit <command> [options]
  msgkit help <command>
  msgkit --version

Commands:
${commands.map((c) => `  ${c.name.padEnd(10)}${c.summary}`).join('\n')}

Run msgkit <command> --help for its options.
Exit codes: 0 success, 1 failure (e.g. a mock died, an endpoint did not answer 2xx), 2 wrong usage.`;

function findCommand(name: string): Command {
  const found = commands.find((c) => c.name === name);
  if (found) return found;
  const hint = suggest(
    name,
    commands.map((c) => c.name),
  );
  throw new UsageError(`Unknown command "${name}".${hint ? ` Did you mean "${hint}"?` : ''} Run msgkit --help.`);
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    console.error(HELP);
    return 2;
  }
  if (name === '--help' || name === '-h') {
    console.log(HELP);
    return 0;
  }
  if (name === '--version' || name === '-v') {
    console.log(pkg.version);
    return 0;
  }
  if (name.startsWith('-')) {
    const hint = suggest(name, ['--help', '--version']);
    throw new UsageError(`Unknown option ${name}.${hint ? ` Did you mean ${hint}?` : ''} Run msgkit --help.`);
  }
  if (name === 'help') {
    console.log(rest[0] === undefined ? HELP : findCommand(rest[0]).help);
    return 0;
  }
  return findCommand(name).run(rest);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`msgkit: ${(error as Error).message}`);
      process.exit(2);
    }
    console.error(`msgkit: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
