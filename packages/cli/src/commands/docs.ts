import { createRequire } from 'node:module';
import { relative, resolve } from 'node:path';
import { type Command, parseOptions, parsePort, untilSignal } from '../args.js';
import { buildDocs } from '../docs.js';
import { table } from '../mock.js';
import { findProvider, providers, UsageError } from '../providers.js';
import { serveStatic } from '../serve.js';
import { hasSpec } from '../specs.js';

/** Where `msgkit docs` writes the site unless told otherwise. */
export const DEFAULT_DOCS_DIR = 'msgkit-docs';

const HELP = `Usage: msgkit docs [provider...] [--out <dir>] [--serve] [--port <n>]

Needs @redocly/cli 2.77.0 next to @msgkit/cli (an optional peer dependency; the mocks do not need it).

Builds the API reference site from the bundled specs (default: every installed provider): one
offline Redoc page per provider, showing every operation, webhook and callback with examples and
auth schemes, parts the provider does not document badged "Inferred", and an index page. The pages
load nothing from the internet.

Options:
  --out <dir>    Directory to write <provider>.html and index.html to (default ${DEFAULT_DOCS_DIR});
                 other files in it are left alone
  --serve        Then serve the site on 127.0.0.1 until Ctrl-C
  --port <n>     Port of the server (default 4000; 0 = a free port)
  -h, --help     Show this help`;

/**
 * `@redocly/cli` renders the pages. It is an optional peer dependency of `@msgkit/cli` (it more than
 * doubles what the mocks need), so `msgkit docs` says how to add it when it is missing.
 */
function requireRedocly(): void {
  try {
    createRequire(import.meta.url).resolve('@redocly/cli/package.json');
  } catch {
    throw new Error('msgkit docs renders pages with @redocly/cli, which is not installed: npm install --save-dev @redocly/cli@2.77.0');
  }
}

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions(
    argv,
    {
      out: { type: 'string', default: DEFAULT_DOCS_DIR },
      serve: { type: 'boolean', default: false },
      port: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    'docs',
  );
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (values.port !== undefined && !values.serve) throw new UsageError('--port only applies with --serve');
  const port = parsePort(values.port, 4000, '--port');
  const selected = positionals.length ? positionals.map(findProvider) : providers.filter(hasSpec);
  if (selected.length === 0) throw new UsageError('No provider package is installed, so there is nothing to document.');
  requireRedocly();
  const out = resolve(values.out);
  const pages = await buildDocs({ out, providers: selected });
  const rows = pages.map((p) => [relative(process.cwd(), p.file) || p.file, String(p.operations), String(p.webhooks), String(p.callbacks), String(p.inferred)]);
  console.log(table([['page', 'operations', 'webhooks', 'callbacks', 'inferred'], ...rows]));
  console.log(`${relative(process.cwd(), resolve(out, 'index.html'))}`);
  if (!values.serve) return 0;
  const server = await serveStatic(out, port);
  console.log(`\nServing ${server.url}/  Press Ctrl-C to stop.`);
  return untilSignal(() => server.stop());
}

/** `msgkit docs`: build (and serve) the reference site. */
export const docsCommand: Command = { name: 'docs', summary: 'Build (and --serve) the offline API reference site', help: HELP, run };
