// Renders BENCHMARKS.md from the section results. Targets are reported as pass/FAIL columns here and
// nowhere else: nothing in the test suite asserts a speed or a size.

import { EDGE, REFERENCES } from './client.mjs';
import { COMMANDS, PIPELINE_TARGETS } from './pipeline.mjs';
import { clientTarget, SIZE_BEFORE, SIZE_TARGETS } from './size.mjs';
import { bytes, fmt, ratio, runs, verdict } from './stats.mjs';

const row = (cells) => `| ${cells.join(' | ')} |`;
const table = (head, rows) => [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');
const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

/** A section that did not run or crashed, as one line. */
function unavailable(result) {
  if (result === undefined) return '_Not run (excluded with `--only`)._';
  if (result.error) return `_Failed: ${result.error}_`;
  return undefined;
}

function machineSection(m, config) {
  return [
    '## Machine',
    '',
    table(
      ['', ''],
      [
        ['Date', m.date],
        ['CPU', `${m.cpu} (nproc ${m.nproc})`],
        ['Memory', `${m.memoryGiB.toFixed(1)} GiB`],
        ['Node.js', m.node],
        ['OS', m.os],
        ['Tree', `${m.commit}${m.changedFiles ? ` + ${m.changedFiles} uncommitted changes` : ''}`],
        ['Load average at start / end (1/5/15 min)', `${m.loadAverage} / ${config.loadAverageAtEnd}`],
        ['Suite wall time', `${seconds(config.elapsedMs)} (\`node scripts/bench.mjs\`; \`pnpm bench\` first runs \`turbo run build\`)`],
      ],
    ),
  ].join('\n');
}

function clientSection(result, targets) {
  const lines = ['## 1. Client overhead', ''];
  const skip = unavailable(result);
  if (skip) return [...lines, skip].join('\n');
  if (result.reason) return [...lines, `_${result.reason}_`].join('\n');
  lines.push(
    `\`POST /v1/omnimessage\` with the spec's \`${result.example}\` request example against one local keep-alive HTTP server (a child process on 127.0.0.1, port 0) answering 201 with the spec's example body. Each run sends ${fmt(result.requests)} requests per variant with ${result.concurrency} in flight, after a warm-up; within a run the variants take turns over chunks of ${fmt(result.chunk)} requests (rotating which goes first), so load changes on this shared machine hit them alike. Latency is per request under that load. Raw fetch and the edge entry go through Node's built-in fetch; the edge entry is the same built \`@msgkit/messente\` with \`@msgkit/core\` resolved through the \`browser\` condition (as browsers, workers, Bun and Deno resolve it: native \`Response\`s, an \`AbortController\` per attempt), by a module resolve hook (\`scripts/bench/edge-hook.mjs\`); \`@msgkit/messente\` on Node resolves \`@msgkit/core\`'s \`node\` entry and sends through undici's dispatcher API (one keep-alive \`Agent\`); the SDK goes through superagent on \`node:http\` (a keep-alive \`http.Agent\`), building its model objects per call as its README shows. Ratios are per run (same run, side by side), then the median.`,
    '',
  );
  const rows = result.variants.map((v) =>
    v.reason
      ? [v.name, v.reason, '', '', '', '', '', '', '']
      : [
          v.name,
          fmt(v.medianRps),
          v.p50.toFixed(2),
          v.p99.toFixed(2),
          v.medianCpuUs.toFixed(0),
          ratio(v.vsFloor),
          v.msgkitVs === undefined ? '—' : ratio(v.msgkitVs),
          v.msgkitVsRuns === undefined ? '—' : `[${v.msgkitVsRuns.map(ratio).join(', ')}]`,
          runs(v.rps),
        ],
  );
  lines.push(
    table(
      [
        'Variant',
        'req/s (median)',
        'p50 ms',
        'p99 ms',
        'client CPU µs/request (median)',
        'req/s vs raw fetch',
        '@msgkit/messente req/s vs this (median)',
        '… per run',
        'req/s per run',
      ],
      rows,
    ),
  );
  lines.push(
    '',
    `Client CPU is \`process.cpuUsage()\` of the benchmark process (the server is a child process) over each run, divided by its requests. CPU µs per run: ${result.variants
      .filter((v) => !v.reason)
      .map((v) => `${v.name} [${v.cpuUs.map((n) => n.toFixed(0)).join(', ')}]`)
      .join('; ')}.`,
  );
  const msgkit = result.variants.find((v) => v.name === '@msgkit/messente' && !v.reason);
  const edge = result.variants.find((v) => v.name === EDGE && !v.reason);
  const [signal, front] = REFERENCES.map((name) => result.variants.find((v) => v.name === name && !v.reason));
  if (edge && signal && front)
    lines.push(
      '',
      `The two references split what the edge entry pays on top of raw fetch, each alone, in the same runs: a deadline signal (an \`AbortController\` and a timer per call, passed to fetch, as the edge entry does per attempt so that the deadline tears the request down) runs at ${ratio(signal.vsFloor)} raw fetch, and bare openapi-fetch, the typed front issue 14 keeps (a light \`Request\` class and \`globalThis.fetch(url, init)\`; no deadline, retries or auth), at ${ratio(front.vsFloor)}. The edge entry carries both, plus retries, hooks, auth and the body limit: ${ratio(edge.vsFloor)}.`,
    );
  const sdk = result.variants.find((v) => v.name.startsWith('messente_api') && !v.reason);
  const floor = result.variants.find((v) => v.name.startsWith('raw fetch') && !v.reason);
  const na = (label) => targets.push([label, 'not available yet', '—']);
  if (msgkit && floor)
    targets.push(['Client: `@msgkit/messente` (Node) ≥ 1.5× raw fetch req/s (median)', ratio(msgkit.vsFloor), verdict(msgkit.vsFloor >= 1.5)]);
  else na('Client: `@msgkit/messente` (Node) ≥ 1.5× raw fetch req/s (median)');
  if (msgkit && sdk) {
    targets.push(['Client: `@msgkit/messente` (Node) ≥ 1.25× the messente_api SDK req/s (median)', ratio(sdk.msgkitVs), verdict(sdk.msgkitVs >= 1.25)]);
    const worst = Math.min(...sdk.msgkitVsRuns);
    targets.push(['Client: `@msgkit/messente` (Node) ≥ 1.0× the messente_api SDK in every run', `worst run ${ratio(worst)}`, verdict(worst >= 1)]);
  } else {
    na('Client: `@msgkit/messente` (Node) ≥ 1.25× the messente_api SDK req/s (median)');
    na('Client: `@msgkit/messente` (Node) ≥ 1.0× the messente_api SDK in every run');
  }
  if (edge) targets.push(['Client: the edge entry (fetch transport) ≥ 0.9× raw fetch req/s (median)', ratio(edge.vsFloor), verdict(edge.vsFloor >= 0.9)]);
  else na('Client: the edge entry (fetch transport) ≥ 0.9× raw fetch req/s (median)');
  return lines.join('\n');
}

function webhookSection(result, targets) {
  const lines = ['## 2. Webhook pipeline', ''];
  const skip = unavailable(result);
  if (skip) return [...lines, skip].join('\n');
  lines.push(
    `Events per second, one body after another (awaited), over the same pre-built bodies: the msgkit pipeline vs two floors of decoding the bytes, \`JSON.parse\` and one HMAC: with WebCrypto, the floor the targets of issues 9 and 14 were set against (the HMAC every runtime has), and with \`node:crypto\`'s synchronous HMAC, the cheapest on Node. On Node, core's verifier and \`eventKey\` hash bodies up to 64 KiB with \`node:crypto\` (no round trip to libuv's thread pool), so the pipeline can be faster than the WebCrypto floor; the \`node:crypto\` column is the overhead of the pipeline over the least work it must do. Bodies are built from the bundled spec's examples, each event with its own id so every one is new to the deduper (a fresh in-memory deduper per pass, large enough to evict nothing). Within each pass the floors and the pipeline take turns over chunks of ${result.chunk} bodies, rotating which goes first, so load changes hit them alike. ${result.runs} measured passes after 2 warm-up passes; "slower than floor" is the per-pass floor/pipeline ratio, median. WebCrypto calls are asynchronous (each is a round trip to libuv's thread pool), so the WebCrypto ratio moves with machine load.`,
    '',
  );
  const rows = [];
  for (const r of result.results) {
    const label = r.name.startsWith('Amio')
      ? 'Webhooks: Amio message_received within 1.5× of the (WebCrypto) floor'
      : 'Webhooks: Ocelot batch of 100 within 1.5× of the (WebCrypto) floor';
    if (r.reason) {
      rows.push([r.name, r.reason, '', '', '', '', '', '']);
      targets.push([label, 'not available yet', '—']);
      continue;
    }
    rows.push([
      `${r.name}<br>pipeline: ${r.steps}<br>WebCrypto floor: ${r.floorSteps}<br>node:crypto floor: ${r.nodeFloorSteps}`,
      `${fmt(r.bodies)} bodies, ${fmt(r.events)} events`,
      fmt(r.medianPipeline),
      fmt(r.medianFloor),
      ratio(r.slowdown),
      fmt(r.medianNodeFloor),
      ratio(r.nodeSlowdown),
      runs(r.pipeline),
    ]);
    targets.push([label, `${ratio(r.slowdown)} slower (${ratio(r.nodeSlowdown)} the node:crypto floor, §2)`, verdict(r.slowdown <= 1.5)]);
  }
  lines.push(
    table(
      [
        'Case',
        'Per pass',
        'Pipeline events/s (median)',
        'WebCrypto floor events/s (median)',
        'Slower than the WebCrypto floor',
        'node:crypto floor events/s (median)',
        'Slower than the node:crypto floor (no target)',
        'Pipeline events/s per run',
      ],
      rows,
    ),
  );
  lines.push('', ...dedupeLines(result.dedupe, targets));
  return lines.join('\n');
}

/** The in-memory deduper's cost per check by store size (issue 13.4): 100k entries within 2× of 1k. */
function dedupeLines(dedupe, targets) {
  const label = 'Webhooks: in-memory deduper check at 100k entries within 2× of 1k';
  if (!dedupe || dedupe.reason) {
    targets.push([label, 'not available yet', '—']);
    return ['### In-memory deduper cost by size', '', `_${dedupe?.reason ?? 'not measured'}_`];
  }
  const at = (n) => dedupe.sizes.find((size) => size.maxEntries === n);
  const ratio100k = at(100_000)?.vsSmallest;
  if (ratio100k !== undefined) targets.push([label, `${ratio(ratio100k)} the cost at 1k`, verdict(ratio100k <= 2)]);
  return [
    '### In-memory deduper cost by size',
    '',
    `\`createDeduper({ maxEntries }).run(newKey, noop)\` with the store already full, so every check also evicts the least recently seen key. The three full dedupers live side by side and take turns over chunks of checks within each run, so load and garbage collection hit them alike: µs per check over ${fmt(dedupe.checks)} checks per size and run, median of the runs after one warm-up run; "vs 1k" is the median of the per-run ratios.`,
    '',
    table(
      ['maxEntries', 'µs per check (median)', 'vs 1k', 'µs per check per run'],
      dedupe.sizes.map((size) => [fmt(size.maxEntries), size.median.toFixed(2), ratio(size.vsSmallest), size.perRun.map((v) => v.toFixed(2)).join(', ')]),
    ),
  ];
}

function sizeSection(result, targets) {
  const lines = ['## 3. Size', ''];
  const skip = unavailable(result);
  if (skip) return [...lines, skip].join('\n');
  const { sdk, bare } = result;
  lines.push(
    `esbuild ${result.esbuild} bundle (\`bundle\`, \`minify\`, \`format: 'esm'\`, \`platform: 'browser'\`) of a one-line consumer per entry — \`export { createXClient } from '@msgkit/x'\` and \`export { parseXWebhook } from '@msgkit/x/webhooks'\` — resolved from the built \`dist/\` through a linked \`node_modules\`, then gzip level 9; 1 kB = 1000 B. Bundles are deterministic: built ${result.builds} times, ${result.identical ? 'identical every time' : '**not identical across builds**'}. "vs SDK" is min+gz over the SDK's min+gz.`,
    '',
    `References: the official \`messente_api\` 1.5.0 SDK (\`export { ${sdk.consumer} } from 'messente_api'\`, Node's \`querystring\` left external, so a lower bound): ${bytes(sdk.gzip)} min+gz, ${bytes(sdk.min)} min. A bare \`openapi-fetch\` client (\`export { default } from 'openapi-fetch'\`): ${bytes(bare.gzip)} min+gz.`,
    '',
  );
  const rows = [];
  let clientOk = true;
  let clientAny = false;
  let hooksOk = true;
  let hooksAny = false;
  for (const r of result.rows) {
    const cell = (entry, target, before) => {
      const was = before === undefined ? '—' : bytes(before);
      if (entry.reason) return [entry.reason, '', was, '', ''];
      return [fmt(entry.min), bytes(entry.gzip), was, ratio(entry.gzip / sdk.gzip), `${verdict(entry.gzip <= target)} (≤ ${bytes(target)})`];
    };
    const client = r.client;
    if (!client.reason) {
      clientAny = true;
      clientOk &&= client.gzip <= clientTarget(r.name) && !client.pullsWebhooks;
    }
    if (!r.webhooks.reason) {
      hooksAny = true;
      hooksOk &&= r.webhooks.gzip <= SIZE_TARGETS.webhooks;
    }
    const before = SIZE_BEFORE[r.name];
    rows.push([`\`@msgkit/${r.name}\``, ...cell(client, clientTarget(r.name), before?.client), client.reason ? '' : client.pullsWebhooks ? '**yes**' : 'no']);
    rows.push([`\`@msgkit/${r.name}/webhooks\``, ...cell(r.webhooks, SIZE_TARGETS.webhooks, before?.webhooks), '']);
  }
  lines.push(
    table(
      [
        'Entry',
        'min B',
        'min+gz',
        'min+gz before (a4f8f2c)',
        'vs SDK',
        'target (issue 14: client ≤ 6.5 kB, Volly client ≤ 8 kB, webhooks ≤ 25 kB)',
        'client pulls webhook code',
      ],
      rows,
    ),
  );
  const missingNote = (kind) =>
    result.rows
      .filter((r) => r[kind].reason)
      .map((r) => r.name)
      .join(', ');
  const partial = (kind) => (missingNote(kind) ? ` (${missingNote(kind)}: not available yet)` : '');
  targets.push([
    "Size: every client entry ≤ 6.5 kB min+gz (Volly's, OAuth included and mTLS not, ≤ 8 kB), without webhook code",
    clientAny ? `see §3${partial('client')}` : 'not available yet',
    clientAny ? verdict(clientOk) : '—',
  ]);
  targets.push([
    'Size: every webhook entry ≤ 25 kB min+gz',
    hooksAny ? `see §3${partial('webhooks')}` : 'not available yet',
    hooksAny ? verdict(hooksOk) : '—',
  ]);
  return lines.join('\n');
}

function pipelineSection(result, targets) {
  const lines = ['## 4. Pipeline', ''];
  const skip = unavailable(result) ?? (result.reason ? `_${result.reason}_` : undefined);
  if (skip) {
    targets.push(['Pipeline: warm build < 3 s', 'not run', '—'], ['Pipeline: whole test suite < 5 min on 2 cores', 'not run', '—']);
    return [...lines, skip].join('\n');
  }
  const cmd = (args) => `\`turbo ${args.join(' ')} --output-logs=errors-only\``;
  // A figure with a failed run is no build or test time: it shows the failure instead of a median.
  const wall = (s) => (s.failed.length ? '**failed**' : seconds(s.median));
  const perRun = (s) => {
    const times = runs(
      s.runs.map((ms) => ms / 1000),
      2,
    );
    if (!s.failed.length) return times;
    const tasks = [...new Set(s.failed.map((f) => f.failedTasks))].join('; ');
    return `${times}; **${s.failed.length} of ${s.runs.length} runs failed** (failed tasks: ${tasks})`;
  };
  const warmRatio =
    result.cold.failed.length || result.warm.failed.length
      ? '—'
      : `${ratio(result.warmToCold)} of cold; full cache hit in ${result.warm.fullHits}/${result.runs} runs`;
  lines.push(
    `Wall time of each command from the repository root: ${result.cold.runs.length} run of the cold build, then ${result.runs} of the warm build, each a cache hit on what the cold build stored, and ${result.test.runs.length} of the unit-test phase. The cold build (over a minute) and the unit-test phase (minutes: every suite runs once per transport) run once and have no target of their own; more runs would take \`pnpm bench\` past its 10-minute budget. The test figure is a bounded measure: the unit-test phase only — every package under \`packages/\` (core, cli, the providers) runs its vitest suite, forced past the cache, builds already in place (\`--only\`). It leaves out the \`test/\` workspace (contract tests against Prism, spec checks, and packaging tests that install tarballs from the npm registry), biome, the generate check, lint, typecheck and the builds of \`pnpm test\`, so it is a lower bound for the whole suite, not a measure of it.`,
    '',
    table(
      ['Command', 'Wall time (median)', 'Ratio', 'Per run (s)'],
      [
        [`cold build: ${cmd(COMMANDS.cold)}`, wall(result.cold), '—', perRun(result.cold)],
        [`warm build: ${cmd(COMMANDS.warm)}`, wall(result.warm), warmRatio, perRun(result.warm)],
        [`unit tests: ${cmd(COMMANDS.test)}`, wall(result.test), '—', perRun(result.test)],
      ],
    ),
  );
  const warmVerdict = result.warm.failed.length ? 'FAIL (build failed)' : verdict(result.warm.median < PIPELINE_TARGETS.warmBuild);
  const testVerdict = result.test.failed.length ? 'FAIL (tests failed)' : result.test.median >= PIPELINE_TARGETS.testSuite ? 'FAIL' : 'not checked';
  targets.push(['Pipeline: warm build < 3 s', wall(result.warm), warmVerdict]);
  targets.push([
    'Pipeline: whole test suite < 5 min on 2 cores',
    `not measured by \`pnpm bench\`; its unit-test phase alone: ${wall(result.test)}`,
    testVerdict,
  ]);
  return lines.join('\n');
}

function typesSection(result) {
  const lines = ['## 5. Types', ''];
  const skip = unavailable(result);
  if (skip) return [...lines, skip].join('\n');
  if (result.reason) return [...lines, `_${result.reason}_`, ...(result.source ? ['', '```ts', result.source.trim(), '```'] : [])].join('\n');
  const notYet = result.notYet.length ? ` (${result.notYet.join(', ')}: not available yet)` : '';
  lines.push(
    `\`tsc -p\` (TypeScript 5.9, \`noEmit\`, \`strict\`, \`module\`/\`moduleResolution\` NodeNext, \`lib\` ES2023 + DOM, \`skipLibCheck\`) of a consumer file that imports the factory of every built client${notYet} and makes one typed call with each (the first operation with no required parameters, with its spec example as the body), vs the same tsc on an empty file (the floor). Peak memory is tsc's own \`process.resourceUsage().maxRSS\`. ${result.runs} runs, consumer and floor alternating; ratios per run, then the median.`,
    '',
    table(
      ['File', 'Wall time (median)', 'Peak RSS (median)', 'Time vs floor', 'Memory vs floor', 'Wall time per run (s)'],
      [
        [
          `consumer of ${result.available.join(', ')}`,
          seconds(result.medianMs),
          `${result.medianMib.toFixed(0)} MiB`,
          ratio(result.timeRatio),
          ratio(result.memoryRatio),
          runs(
            result.ms.map((ms) => ms / 1000),
            2,
          ),
        ],
        [
          'empty file (floor)',
          seconds(result.medianFloorMs),
          `${result.medianFloorMib.toFixed(0)} MiB`,
          '—',
          '—',
          runs(
            result.floorMs.map((ms) => ms / 1000),
            2,
          ),
        ],
      ],
    ),
    '',
    '<details><summary>The consumer file</summary>',
    '',
    '```ts',
    result.source.trim(),
    '```',
    '',
    '</details>',
  );
  return lines.join('\n');
}

function footprintSection(result) {
  const lines = ['## 6. `@msgkit/cli` footprint', ''];
  const skip = unavailable(result);
  if (skip) return [...lines, skip].join('\n');
  lines.push(
    `What a consumer gets from \`@msgkit/cli\` (issue 17.10): every \`@msgkit\` package packed with \`pnpm pack\` and installed with npm ${result.npm} into an empty project. ${result.packages} packages (${result.thirdParty} third-party), ${result.megabytes.toFixed(1)} MB of files (${result.diskMegabytes.toFixed(1)} MB on disk, as \`du\` counts). \`@redocly/cli\`, needed only by \`msgkit docs\`, is an optional peer dependency and not included. Largest:`,
    '',
    table(
      ['Package', 'MB'],
      result.largest.map((p) => [`\`${p.name}\``, p.megabytes.toFixed(1)]),
    ),
  );
  return lines.join('\n');
}

function redisSection(result) {
  const lines = ['## 7. Redis', ''];
  const skip = unavailable(result) ?? (result.reason ? `_${result.reason}_` : undefined);
  if (skip) return [...lines, skip].join('\n');
  lines.push(
    `What sharing state through \`@msgkit/redis\` costs per event and per call, against the in-memory defaults of one process. A private redis-server ${result.redisVersion} (127.0.0.1, free port, persistence off) is started for the run; one node-redis connection, RESP2. Dedupe: ${result.events.toLocaleString('en-US')} new events per pass, each claimed and completed; token: ${result.tokenGets.toLocaleString('en-US')} reads of a warm token per pass. The in-memory side and the Redis side take turns over chunks of ${result.chunk} calls (alternating which goes first); ${result.runs} measured passes after one warm-up. "Redis vs memory" is the per-pass ratio of the µs figures, median. One at a time, the Redis figure is round trips to a local server (two per new event: SET NX PX, then EVAL), so it is the latency a receiver adds per event; with 50 in flight node-redis pipelines them.`,
    '',
  );
  const fmtUs = (value) => (value < 10 ? value.toFixed(2) : value.toFixed(1));
  const rows = result.cases.map((c) => [
    `${c.name}<br>memory: ${c.memorySteps}<br>Redis: ${c.redisSteps}`,
    `${fmtUs(c.medianMemoryUs)} ${c.unit}`,
    `${fmtUs(c.medianRedisUs)} ${c.unit}`,
    ratio(c.ratio),
    `[${c.memoryUs.map(fmtUs).join(', ')}]`,
    `[${c.redisUs.map(fmtUs).join(', ')}]`,
  ]);
  lines.push(table(['Case', 'In memory (median)', 'Redis (median)', 'Redis vs memory', 'In memory per run (µs)', 'Redis per run (µs)'], rows));
  return lines.join('\n');
}

/** The whole BENCHMARKS.md. */
export function renderReport({ machine, config, client, webhooks, size, pipeline, types, footprint, redis }) {
  const targets = [];
  const body = [
    clientSection(client, targets),
    webhookSection(webhooks, targets),
    sizeSection(size, targets),
    pipelineSection(pipeline, targets),
    typesSection(types),
    footprintSection(footprint),
    redisSection(redis),
  ];
  targets.push([
    '`pnpm bench` < 10 minutes',
    `${seconds(config.elapsedMs)} for \`node scripts/bench.mjs\``,
    config.complete ? verdict(config.elapsedMs < 10 * 60 * 1000) : 'not checked (partial run)',
  ]);
  return [
    '# Benchmarks',
    '',
    'Generated by `pnpm bench` (`scripts/bench.mjs`); do not edit by hand. Issue 9 lists what is measured and why; issue 14 sets the client, webhook and size goals.',
    '',
    '**Method.** Everything runs on this machine against 127.0.0.1 only. Every figure is the median of at least 5 runs (except the cold build and the unit-test phase of §4: one run each), and every ratio is taken within one run between the figure and its floor or peer measured side by side (then the median of those per-run ratios), because these machines are noisy: compare ratios, not absolute numbers, across reports. Packages are imported from their built `packages/<p>/dist`. A provider or core feature that is not built yet shows "not available yet" instead of a number. Targets are checked here, never by timed assertions in tests.',
    '',
    machineSection(machine, config),
    '',
    '## Targets',
    '',
    table(['Target (issues 9 and 14)', 'Measured', 'Result'], targets),
    '',
    body.join('\n\n'),
    '',
  ].join('\n');
}
