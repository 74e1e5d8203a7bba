import { type Command, parseOptions, parsePort, parseUrl } from '../args.js';
import { MOCK_SECRET } from '../callbacks.js';
import { listEvents } from '../events.js';
import { describeLifecycle, lifecycleRules } from '../lifecycle.js';
import { DEFAULT_PORT_BASE, type RunningMock, startMocks, table } from '../mock.js';
import { findProvider, providers, UsageError } from '../providers.js';
import { type StaticServer, serveStatic } from '../serve.js';
import { hasSpec } from '../specs.js';

const HELP = `Usage: msgkit mock [provider...] [options]

Starts a Prism mock server per provider (default: all) on 127.0.0.1 and prints a table of their
URLs. Every request is checked against the spec: a wrong body gets the provider's 4xx naming the
problem (e.g. "Request body must have required property 'provider_number'"), and credentials must
follow the documented scheme (Olly Authorization: Basic, Volly OAuth Bearer with its client_id
header, …) or get a 401 that says what to send. Answers carry realistic values, no placeholders.
After a successful send the mock POSTs the callbacks the spec declares (Messente's delivery report
to dlr_url, Ocelot's statuses to smsWebhookUri), signed as the provider signs: Messente's
X-Messente-Signature with the secret "${MOCK_SECRET}" (or --secret), so
parseMessenteCallback(raw, headers, { secret: '${MOCK_SECRET}' }) accepts them.
Ctrl-C or SIGTERM stops them all and exits 0; if one mock dies, the others are stopped and msgkit
exits with code 1.

Options:
  --port-base <n>      Port of the first provider listed, the others follow in order (N, N+1, …;
                       0 = free ports). Default: fixed ports ${providers.map((p) => `${p.name} ${p.port}`).join(', ')}
  --dynamic            Generate responses from the schemas instead of the spec examples
  --secret <s>         Signing secret of callbacks and lifecycle events (default "${MOCK_SECRET}";
                       with --deliver, Amio channels that registered a webhook.secret use theirs)
  --deliver            Lifecycle mode: after a successful send, POST the provider's lifecycle
                       webhooks, signed, to the URL registered through the mock (Olly POST /api/webhook,
                       an Amio channel's webhook.url) or to --webhooks-to:
${Object.entries(lifecycleRules)
  .map(([name, rule]) => `                         ${name.padEnd(6)} ${rule.describe.replace(/\{(\w+)\}/g, '$1')}`)
  .join('\n')}
  --webhooks-to <url>  With --deliver: where events go when no URL was registered
  --docs <dir>         Also serve this directory (the built reference site, see msgkit docs)
  --docs-port <n>      Port of the docs server (default 4000)
  -h, --help           Show this help

Examples:
  msgkit mock
  msgkit mock olly amio --port-base 0
  msgkit mock volly --port-base 5000         # volly on 5000
  msgkit mock --deliver --webhooks-to http://127.0.0.1:3000/webhooks`;

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions(
    argv,
    {
      'port-base': { type: 'string' },
      dynamic: { type: 'boolean', default: false },
      deliver: { type: 'boolean', default: false },
      'webhooks-to': { type: 'string' },
      secret: { type: 'string' },
      docs: { type: 'string' },
      'docs-port': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    'mock',
  );
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const twice = positionals.find((name, i) => positionals.indexOf(name) !== i);
  if (twice !== undefined) throw new UsageError(`${twice} is listed twice: each provider gets one mock.`);
  const selected = positionals.length ? positionals.map(findProvider) : providers.filter(hasSpec);
  const portBase = values['port-base'] === undefined ? undefined : parsePort(values['port-base'], DEFAULT_PORT_BASE, '--port-base');
  const docsPort = parsePort(values['docs-port'], 4000, '--docs-port');
  if (values['webhooks-to'] !== undefined && !values.deliver) throw new UsageError('--webhooks-to only applies with --deliver');
  const webhooksTo = values['webhooks-to'] === undefined ? undefined : parseUrl(values['webhooks-to'], '--webhooks-to');
  if (selected.length === 0) throw new UsageError('No provider package is installed, so there is nothing to mock.');

  const deliver = values.deliver ? { webhooksTo, secret: values.secret ?? MOCK_SECRET } : undefined;
  const mocks: RunningMock[] = await startMocks({ providers: selected, portBase, dynamic: values.dynamic, secret: values.secret, deliver });
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
