#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { DEFAULT_PORT_BASE, type RunningMock, startMocks, table } from './mock.js';
import { findProvider, providers, UsageError } from './providers.js';
import { type StaticServer, serveStatic } from './serve.js';
import { hasSpec } from './specs.js';

const HELP = `msgkit: mock servers and docs for the msgkit messaging providers

Usage:
  msgkit mock [provider...] [--port-base 4010] [--dynamic] [--docs <dir>] [--docs-port 4000]
  msgkit --help

Commands:
  mock    Start a Prism mock per provider on 127.0.0.1 (olly 4010, ocelot 4011, messente 4012,
          amio 4013, volly 4014), validating requests. Ctrl-C stops them all.

Exit codes: 0 success, 1 failure, 2 wrong usage.`;

const MOCK_HELP = `Usage: msgkit mock [provider...] [options]

Starts a Prism mock server per provider (default: all) on 127.0.0.1, validating every request
against the spec (invalid requests get a 4xx answer). Ctrl-C or SIGTERM stops them all; if one
mock dies, the others are stopped and msgkit exits with code 1.

Options:
  --port-base <n>   Port of the first provider, the others follow (default ${DEFAULT_PORT_BASE}; 0 = free ports)
  --dynamic         Generate responses from the schemas instead of the spec examples
  --docs <dir>      Also serve this directory (the built reference site)
  --docs-port <n>   Port of the docs server (default 4000)
  -h, --help        Show this help`;

function parsePort(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`${flag} must be a port number (0-65535), got "${value}"`);
  return port;
}

async function mock(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'port-base': { type: 'string' },
      dynamic: { type: 'boolean', default: false },
      docs: { type: 'string' },
      'docs-port': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(MOCK_HELP);
    return 0;
  }
  const selected = positionals.length ? positionals.map(findProvider) : providers.filter(hasSpec);
  const portBase = parsePort(values['port-base'], DEFAULT_PORT_BASE, '--port-base');
  const docsPort = parsePort(values['docs-port'], 4000, '--docs-port');

  const mocks: RunningMock[] = await startMocks({ providers: selected, portBase, dynamic: values.dynamic });
  let docs: StaticServer | undefined;
  try {
    if (values.docs) docs = await serveStatic(values.docs, docsPort);
  } catch (error) {
    await Promise.all(mocks.map((m) => m.server.stop()));
    throw error;
  }
  const rows = [['provider', 'mock URL'], ...mocks.map((m) => [m.provider.name, m.server.url])];
  if (docs) rows.push(['docs', docs.url]);
  console.log(`${table(rows)}\n\nPress Ctrl-C to stop.`);

  return new Promise((resolve) => {
    let stopping = false;
    const stopAll = async (code: number) => {
      if (stopping) return;
      stopping = true;
      await Promise.all([...mocks.map((m) => m.server.stop()), docs?.stop()]);
      resolve(code);
    };
    process.once('SIGINT', () => void stopAll(0));
    process.once('SIGTERM', () => void stopAll(0));
    for (const m of mocks) {
      m.server.process.once('exit', (code, signal) => {
        if (stopping) return;
        console.error(`The ${m.provider.name} mock exited (${signal ?? code}); stopping the others.`);
        void stopAll(1);
      });
    }
  });
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    console.log(HELP);
    return command === undefined ? 2 : 0;
  }
  if (command === 'mock') return mock(rest);
  throw new UsageError(`Unknown command "${command}". Run msgkit --help.`);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || (error as { code?: string })?.code?.startsWith?.('ERR_PARSE_ARGS')) {
      console.error(`msgkit: ${(error as Error).message}`);
      process.exit(2);
    }
    console.error(`msgkit: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
