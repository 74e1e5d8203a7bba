import { type Command, parseCount, parseOptions, parseUrl, wantsHelp } from '../args.js';
import { EVENT_ID_FIELDS } from '../event-ids.js';
import { type EventInfo, findEvent, listEvents } from '../events.js';
import { loadJwtKeys } from '../jwt-keys.js';
import { table } from '../mock.js';
import { parseOverride } from '../payload.js';
import { accepted, describeResult } from '../post.js';
import { providerRules } from '../providers/index.js';
import { findProvider, providers, suggest, UsageError } from '../providers.js';
import { checkSigningKeys, signingScheme } from '../signing.js';
import { hasSpec } from '../specs.js';
import { eventPayload, triggerEvent } from '../trigger.js';

const LIST_HELP = `Usage: msgkit webhooks list [provider...] [--wide | --json]

Lists every webhook and callback event the bundled specs define (default: every installed provider):
its name (what trigger takes), kind and summary, in 100 columns.

Options:
  --wide       Also where the provider delivers it and how it is signed, summaries in full
  --json       Print a JSON array with every detail instead of a table
  -h, --help   Show this help`;

const TRIGGER_HELP = `Usage: msgkit webhooks trigger <provider> <event> --to <url> [options]

POSTs the spec's example payload of <event> to <url>, signed the way the provider signs, and prints
the endpoint's status and latency. <event> is a name from msgkit webhooks list (its operationId or
discriminator value also work, in any case). Exits 0 when every answer is 2xx, else 1.

Every run sends a new event: the example's placeholders get realistic values and its event ids are
fresh (${Object.entries(EVENT_ID_FIELDS)
  .map(([p, f]) => `${p} ${f.join(', ')}`)
  .join('; ')}),
so two runs never share an id. --repeat sends one event's exact bytes several times.

Options:
  --to <url>            Endpoint to POST to (required)
  --secret <s>          Signing secret: required for providers that sign with a shared secret
                        (${Object.values(providerRules)
                          .filter(({ profile }) => profile.signing?.credential === 'secret')
                          .map(({ profile }) => `${profile.name} ${profile.signatureHeader}`)
                          .join(', ')})
  --jwt-keys <file>     Volly mTLS accounts: send the event as {"jwt": ...}, signed with
                        "signingKey" and encrypted to "encryptionKey" from this JSON file
                        (each a PEM string or a JWK; decrypt with your private key and verify
                        with the signing key's public half, e.g. parseVollyWebhook's options.jwt)
  --unsigned            Send without a signature, to check that your endpoint rejects it
  --set <path=value>    Change the payload; repeatable. The value is JSON when it parses (42, null,
                        "42", {"a":1}), else text: --set status=SENT --set data.messages[0].id=123
                        (batched events are arrays: --set [0].eventId=abc)
  --example <name>      Start from another named example of the event (default: the first)
  --repeat <n>          Send the same event (same bytes, same id) n times (default 1): the
                        endpoint should accept them all and process the event once
  -h, --help            Show this help

Examples:
  msgkit webhooks trigger olly OutgoingMessageStatus --to http://127.0.0.1:3000/olly --set status=SENT
  msgkit webhooks trigger amio message_echo --to http://127.0.0.1:3000/amio --secret s3cret --repeat 3`;

const HELP = `Usage: msgkit webhooks <list|trigger> [options]

Commands:
  list       Every webhook and callback event of the specs
  trigger    POST an event's example to your endpoint, signed like the provider signs

Run msgkit webhooks <command> --help for its options.

${LIST_HELP}

${TRIGGER_HELP}`;

function selectedProviders(names: string[]) {
  return names.length ? names.map(findProvider) : providers.filter(hasSpec);
}

async function list(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions(
    argv,
    { json: { type: 'boolean', default: false }, wide: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
    'webhooks list',
  );
  if (values.json && values.wide) throw new UsageError('--wide and --json exclude each other: --json already has every detail.');
  if (values.help) {
    console.log(LIST_HELP);
    return 0;
  }
  const events: EventInfo[] = selectedProviders(positionals).flatMap(listEvents);
  if (values.json) {
    const rows = events.map(({ provider, examples, schema: _schema, ...event }) => ({
      provider: provider.name,
      ...event,
      signature: signingScheme(provider),
      examples: Object.keys(examples),
    }));
    console.log(JSON.stringify(rows, null, 2));
    return 0;
  }
  if (values.wide) {
    const rows = events.map((e) => [e.provider.name, e.name, e.kind, e.deliveredTo, signingScheme(e.provider), e.summary]);
    console.log(table([['provider', 'event', 'kind', 'delivered to', 'signature', 'summary'], ...rows]));
    return 0;
  }
  console.log(narrowTable(events));
  return 0;
}

/** Width `webhooks list` fits without --wide: a 100-column terminal. */
export const LIST_WIDTH = 100;

/** provider, event, kind and the summary cut to fit LIST_WIDTH columns. */
function narrowTable(events: readonly EventInfo[]): string {
  const header = ['provider', 'event', 'kind', 'summary'];
  const rows = events.map((e) => [e.provider.name, e.name, e.kind, e.summary]);
  const used = [0, 1, 2].reduce((sum, i) => sum + Math.max(...[header, ...rows].map((r) => r[i]?.length ?? 0)) + 2, 0);
  const room = Math.max(10, LIST_WIDTH - used);
  const cut = (text: string) => (text.length > room ? `${text.slice(0, room - 1)}…` : text);
  return `${table([header, ...rows.map(([p, e, k, summary]) => [p ?? '', e ?? '', k ?? '', cut(summary ?? '')])])}\n\nDelivery URL and signature per event: --wide or --json.`;
}

async function trigger(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions(
    argv,
    {
      to: { type: 'string' },
      secret: { type: 'string' },
      'jwt-keys': { type: 'string' },
      unsigned: { type: 'boolean', default: false },
      set: { type: 'string', multiple: true, default: [] },
      example: { type: 'string' },
      repeat: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    'webhooks trigger',
  );
  if (values.help) {
    console.log(TRIGGER_HELP);
    return 0;
  }
  const [providerName, eventName, ...extra] = positionals;
  if (providerName === undefined || eventName === undefined)
    throw new UsageError('trigger needs a provider and an event, e.g. msgkit webhooks trigger olly IncomingMessage --to <url>');
  if (extra.length) throw new UsageError(`Unexpected argument "${extra[0]}" (use --set path=value to change the payload)`);
  const event = findEvent(findProvider(providerName), eventName);
  if (values.to === undefined) throw new UsageError('--to <url> is required: the endpoint to POST the event to');
  const to = parseUrl(values.to, '--to');
  const repeat = parseCount(values.repeat, 1, '--repeat');
  const overrides = values.set.map(parseOverride);
  const keys = { secret: values.secret, jwtKeys: values['jwt-keys'] === undefined ? undefined : loadJwtKeys(values['jwt-keys']) };
  // Refuse bad input before anything is printed or sent.
  checkSigningKeys(event.provider, keys, { unsigned: values.unsigned });
  eventPayload(event, values.example, overrides);

  const signature = values.unsigned ? 'unsigned on purpose' : keys.jwtKeys ? 'JWT envelope' : signingScheme(event.provider);
  console.log(`${event.provider.name} ${event.name} → ${to} (${signature})`);
  const { results } = await triggerEvent({
    event,
    to,
    repeat,
    overrides,
    example: values.example,
    ...keys,
    unsigned: values.unsigned,
    onResult: (result, attempt) => console.log(`  ${attempt}/${repeat}  ${describeResult(result)}`),
  });
  return results.every(accepted) ? 0 : 1;
}

async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'list') return list(rest);
  if (sub === 'trigger') return trigger(rest);
  if (sub === undefined) {
    console.error(HELP);
    return 2;
  }
  if (wantsHelp([sub])) {
    console.log(HELP);
    return 0;
  }
  const hint = suggest(sub, ['list', 'trigger']);
  throw new UsageError(`Unknown webhooks command "${sub}".${hint ? ` Did you mean "${hint}"?` : ''} Run msgkit webhooks --help.`);
}

/** `msgkit webhooks list|trigger`. */
export const webhooksCommand: Command = {
  name: 'webhooks',
  summary: 'List webhook and callback events, or trigger one at your endpoint',
  help: HELP,
  run,
};
