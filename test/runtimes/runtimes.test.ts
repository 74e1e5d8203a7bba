// The runtime matrix: the packed packages (`pnpm pack`, as published) installed with npm into a scratch
// project, and the one scenario (scenario.ts) run there by Node 20, 22 and 24, Bun, Deno and workerd.
// Each run gets its own recording server; the test checks what that server saw and what the scenario
// reported. The runtimes are cached (runtimes.ts), so only the first run downloads them.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packAll, publishablePackages } from '../packages/pack.js';
import { ensureInstalled, exec, type Project, type Runtime, runtimes } from './runtimes.js';
import { credentials, events, type ScenarioReport } from './scenario.js';
import { type Answer, type Seen, startRecordingServer } from './server.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const SCENARIO_PACKAGES = ['@msgkit/core', '@msgkit/olly', '@msgkit/ocelot', '@msgkit/messente', '@msgkit/amio', '@msgkit/volly'];
const basic = (user: string, password: string) => `Basic ${btoa(`${user}:${password}`)}`;
const VOLLY_TOKEN = 'volly-access-token';
const json = { 'content-type': 'application/json' };

/** Each request the scenario makes, in order: what the server must see, and what it answers. */
const exchanges: [string, { want: Seen; answer: Answer }][] = [
  [
    'olly POST /api/message (Basic <apiKey>)',
    {
      want: {
        method: 'POST',
        url: '/olly/api/message',
        headers: { authorization: `Basic ${credentials.olly.apiKey}`, ...json },
        body: { number: '+16208039306', content: 'hello world', provider_number: '+12020304444' },
      },
      answer: { status: 200, body: { guid: 'g-42', status: 'sent' } },
    },
  ],
  [
    'ocelot POST /v1/texting/sms (basic auth)',
    {
      want: {
        method: 'POST',
        url: '/ocelot/api/v1/texting/sms',
        headers: { authorization: basic(credentials.ocelot.username, credentials.ocelot.password), ...json },
        body: { from: '123-456-7890', operator: 'jon.smith@example.edu', messages: [{ to: '123-456-7891', message: 'Hi!' }] },
      },
      answer: { status: 200, body: { success: true } },
    },
  ],
  [
    'messente POST /v1/omnimessage (basic auth)',
    {
      want: {
        method: 'POST',
        url: '/messente/v1/omnimessage',
        headers: { authorization: basic(credentials.messente.username, credentials.messente.password), ...json },
        body: { to: '+37251234567', messages: [{ channel: 'sms', sender: 'MySender', text: 'hello' }] },
      },
      answer: {
        status: 201,
        body: {
          messages: [{ message_id: '3e28ec48-d620-4191-a96e-d91ba8ecc949', channel: 'sms', sender: 'MySender' }],
          to: '+37251234567',
          omnimessage_id: 'd7248cda-6c1a-4436-acf5-aaf249bb67d3',
        },
      },
    },
  ],
  [
    'amio GET /channels (access_token in the query)',
    {
      want: { method: 'GET', url: `/amio/v1/channels?max=2&access_token=${credentials.amio.accessToken}`, headers: {} },
      answer: {
        status: 200,
        body: [{ id: '6456078759331248741', type: 'amio_chat', name: 'Web chat', mode: 'production', webhook: null }],
        headers: { 'x-total-count': '1' },
      },
    },
  ],
  [
    'volly POST /oauth/token (client credentials in the JSON body)',
    {
      want: {
        method: 'POST',
        url: '/oauth/token',
        headers: json,
        body: { client_id: credentials.volly.clientId, client_secret: credentials.volly.clientSecret },
      },
      answer: { status: 200, body: { access_token: VOLLY_TOKEN, token_type: 'Bearer' } },
    },
  ],
  [
    'volly GET /groups (Bearer token and client_id header)',
    {
      want: { method: 'GET', url: '/volly/v1/groups', headers: { authorization: `Bearer ${VOLLY_TOKEN}`, client_id: credentials.volly.clientId } },
      answer: {
        status: 200,
        body: [{ id: '6e36a10c1bff2a7b73647a29ff19d289', name: 'Loan Officers', phones: {}, active: true, updated: '2014-08-07T20:51:17.494Z' }],
      },
    },
  ],
];

const answers = Object.fromEntries(exchanges.map(([, { want, answer }]) => [`${want.method} ${want.url.split('?')[0]}`, answer]));
/** The answer each provider's call must return as `data` (the last exchange of that provider). */
const callData = Object.fromEntries(exchanges.map(([name, { answer }]) => [name.split(' ')[0], answer.body]));

const tampered = { ok: false as const, error: expect.objectContaining({ name: 'SignatureError', code: 'signature_mismatch' }) };
/** Each provider's webhook: the genuine delivery parses to the event, a tampered signed one is refused. */
const webhookCases: [string, { want: ScenarioReport['webhooks'][string] }][] = [
  ['olly (unsigned)', { want: { genuine: { ok: true, value: events.olly } } }],
  ['ocelot (unsigned; a batch)', { want: { genuine: { ok: true, value: [events.ocelot] } } }],
  ['amio (X-Hub-Signature, HMAC-SHA1 hex)', { want: { genuine: { ok: true, value: events.amio }, tampered } }],
  ['messente (X-Messente-Signature, HMAC-SHA256 hex keyed by the API password)', { want: { genuine: { ok: true, value: events.messente }, tampered } }],
  ['volly (mTLS JWT envelope: JWS signed, then JWE encrypted)', { want: { genuine: { ok: true, value: events.volly }, tampered } }],
];

interface Run {
  report: ScenarioReport;
  seen: Seen[];
  ms: number;
}

let scratch = '';
const runs = new Map<string, Promise<Run>>();

/** Runs the scenario in one runtime against a fresh recording server. */
async function runScenario(runtime: Runtime, project: Project): Promise<Run> {
  const server = await startRecordingServer(answers);
  const started = performance.now();
  try {
    const [command, args] = await runtime.command(project, JSON.stringify({ origin: server.origin }));
    const env = { ...process.env, DENO_DIR: join(project.dir, '.deno'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' };
    const stdout = await exec(command, args, { cwd: project.dir, timeoutMs: 120_000, env });
    return { report: JSON.parse(stdout.trim().split('\n').at(-1) ?? ''), seen: server.seen, ms: performance.now() - started };
  } finally {
    await server.close();
  }
}

/** Runs `jobs` at most `limit` at a time (the machine has two cores). */
function limited<T>(limit: number, jobs: (() => Promise<T>)[]): Promise<T>[] {
  let active = 0;
  const waiting: (() => void)[] = [];
  return jobs.map(async (job) => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await job();
    } finally {
      active--;
      waiting.shift()?.();
    }
  });
}

/** The scratch project: the tarballs installed with npm, and the scenario compiled to JS. */
async function createProject(tarballs: string[]): Promise<Project> {
  scratch = mkdtempSync(join(tmpdir(), 'msgkit-runtimes-'));
  const dir = join(scratch, 'project');
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'msgkit-runtime-matrix', private: true, type: 'module' }, null, 2)}\n`);
  await exec('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs], { cwd: dir, timeoutMs: 300_000 });
  // Type-stripped only: the imports stay bare, so each runtime resolves the packages' exports itself.
  await build({
    entryPoints: ['scenario.ts', 'cli.ts', 'worker.ts'].map((f) => join(here, f)),
    outdir: dir,
    format: 'esm',
    target: 'es2022',
    logLevel: 'error',
  });
  return { dir, cli: join(dir, 'cli.js'), worker: join(dir, 'worker.js') };
}

/** Wall times for the closing log line: setup (runtimes from the cache or npm, pack, npm install, bundle) and the runs. */
const clock = { start: 0, setupDone: 0 };

beforeAll(async () => {
  clock.start = performance.now();
  const installs = Promise.all([...new Set(runtimes.flatMap(([, r]) => r.packages))].map(ensureInstalled));
  const packages = publishablePackages().filter((p) => SCENARIO_PACKAGES.includes(p.name));
  expect(packages.map((p) => p.name).sort()).toEqual([...SCENARIO_PACKAGES].sort());
  const tarballs = packAll(packages);
  const project = await createProject([...tarballs.values()]);
  for (const tarball of tarballs.values()) rmSync(join(tarball, '..'), { recursive: true, force: true });
  await installs;
  clock.setupDone = performance.now();
  const started = limited(
    2,
    runtimes.map(
      ([, runtime]) =>
        () =>
          runScenario(runtime, project),
    ),
  );
  runtimes.forEach(([name], i) => {
    const run = started[i] as Promise<Run>;
    run.catch(() => {}); // reported by that runtime's tests
    runs.set(name, run);
  });
}, 600_000);

afterAll(async () => {
  await Promise.allSettled(runs.values());
  const times = await Promise.all([...runs].map(async ([name, run]) => `${name} ${Math.round((await run.catch(() => ({ ms: Number.NaN }))).ms)} ms`));
  const ms = (from: number, to: number) => `${Math.round(to - from)} ms`;
  console.log(
    `runtime matrix: ${ms(clock.start, performance.now())} in all; setup ${ms(clock.start, clock.setupDone)}; runs (2 at a time): ${times.join(', ')}`,
  );
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe.each(runtimes)('%s', (name, runtime) => {
  let run: Run;
  beforeAll(async () => {
    run = (await runs.get(name)) as Run;
  }, 180_000);

  it('ran the scenario in that runtime', () => {
    expect(run.report.runtime).toMatch(typeof runtime.reports === 'string' ? new RegExp(`^${runtime.reports.replace(/\./g, '\\.')}$`) : runtime.reports);
  });

  it('made exactly the expected requests, in order', () => {
    expect(run.seen.map((s) => `${s.method} ${s.url.split('?')[0]}`)).toEqual(exchanges.map(([, { want }]) => `${want.method} ${want.url.split('?')[0]}`));
  });

  it.each(exchanges)('%s: the server saw the method, path, auth and body', (_, { want }) => {
    expect(run.seen.find((s) => s.method === want.method && s.url.split('?')[0] === want.url.split('?')[0])).toEqual(want);
  });

  it.each(Object.entries(callData))('%s call returned the answer as typed data', (provider, data) => {
    expect(run.report.calls[provider]).toEqual({ ok: true, value: data });
  });

  it.each(webhookCases)('%s webhook', (title, { want }) => {
    expect(run.report.webhooks[title.split(' ')[0] as string]).toEqual(want);
  });
});
