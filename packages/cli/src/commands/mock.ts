import { parseArgs } from 'node:util';
import { type Command, parsePort, parseUrl } from '../args.js';
import { listEvents } from '../events.js';
import { describeLifecycle } from '../lifecycle.js';
import { DEFAULT_PORT_BASE, type RunningMock, startMocks, table } from '../mock.js';
import { findProvider, providers, UsageError } from '../providers.js';
import { type StaticServer, serveStatic } from '../serve.js';
import { hasSpec } from '../specs.js';

const HELP = `Usage: msgkit mock [provider...] [options]

Starts a Prism mock server per provider (default: all) on 127.0.0.1, validating every request
against the spec (invalid requests get a 4xx answer), and prints a table of their URLs. Ctrl-C or
SIGTERM stops them all; if one mock dies, the others are stopped and msgkit exits with code 1.
Prism also POSTs the callbacks a spec declares (Messente dlr_url, Ocelot smsWebhookUri).

Options:
  --port-base <n>      Port of the first provider, the others follow (default ${DEFAULT_PORT_BASE}; 0 = free ports)
  --dynamic            Generate responses from the schemas instead of the spec examples
  --deliver            Lifecycle mode: after a successful send, POST the provider's lifecycle
                       webhooks, signed, to the URL registered through the mock (Olly POST /api/webhook,
                       an Amio channel's webhook.url) or to --webhooks-to:
                         olly   OutgoingMessageStatus QUEUED → SENT → DELIVERED
                         amio   message_echo + messages_delivered
                         volly  email.queued → email.delivered
  --webhooks-to <url>  With --deliver: where events go when no URL was registered
  --secret <s>         With --deliver: signing secret when the registration has none (Amio)
  --docs <dir>         Also serve this directory (the built reference site, see msgkit docs)
  --docs-port <n>      Port of the docs server (default 4000)
  -h, --help           Show this help

Examples:
  msgkit mock
  msgkit mock olly amio --port-base 0
  msgkit mock --deliver --webhooks-to http://127.0.0.1:3000/webhooks`;

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'port-base': { type: 'string' },
      dynamic: { type: 'boolean', default: false },
      deliver: { type: 'boolean', default: false },
      'webhooks-to': { type: 'string' },
      secret: { type: 'string' },
      docs: { type: 'string' },
      'docs-port': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const selected = positionals.length ? positionals.map(findProvider) : providers.filter(hasSpec);
  const portBase = parsePort(values['port-base'], DEFAULT_PORT_BASE, '--port-base');
  const docsPort = parsePort(values['docs-port'], 4000, '--docs-port');
  for (const flag of ['webhooks-to', 'secret'] as const) {
    if (values[flag] !== undefined && !values.deliver) throw new UsageError(`--${flag} only applies with --deliver`);
  }
  const webhooksTo = values['webhooks-to'] === undefined ? undefined : parseUrl(values['webhooks-to'], '--webhooks-to');
  if (selected.length === 0) throw new UsageError('No provider package is installed, so there is nothing to mock.');

  const deliver = values.deliver ? { webhooksTo, secret: values.secret } : undefined;
  const mocks: RunningMock[] = await startMocks({ providers: selected, portBase, dynamic: values.dynamic, deliver });
  let docs: StaticServer | undefined;
  try {
    if (values.docs) docs = await serveStatic(values.docs, docsPort);
  } catch (error) {
    await Promise.all(mocks.map((m) => m.stop()));
    throw error;
  }
  const header = deliver ? ['provider', 'mock URL', 'lifecycle'] : ['provider', 'mock URL'];
  const rows = [
    header,
    ...mocks.map((m) => (deliver ? [m.provider.name, m.url, describeLifecycle(m.provider, listEvents(m.provider))] : [m.provider.name, m.url])),
  ];
  if (docs) rows.push(['docs', docs.url]);
  const target = deliver ? `\n\nLifecycle events go to the URL registered through the mock${webhooksTo ? `, else ${webhooksTo}` : ''}.` : '';
  console.log(`${table(rows)}${target}\n\nPress Ctrl-C to stop.`);

  return new Promise((resolve) => {
    let stopping = false;
    const stopAll = async (code: number) => {
      if (stopping) return;
      stopping = true;
      await Promise.all([...mocks.map((m) => m.stop()), docs?.stop()]);
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

/** `msgkit mock`: Prism mocks for the providers, optionally with lifecycle webhooks. */
export const mockCommand: Command = { name: 'mock', summary: 'Start the Prism mock servers (--deliver: with lifecycle webhooks)', help: HELP, run };
