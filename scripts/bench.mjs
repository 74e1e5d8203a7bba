#!/usr/bin/env node
// `pnpm bench`: the msgkit benchmark suite (issue 9). Runs every section on 127.0.0.1 and writes
// BENCHMARKS.md. `--only client,webhooks,size,types,footprint,redis,pipeline` runs a subset and prints the report
// instead of writing it (BENCHMARKS.md always comes from a full run).
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { version as esbuildVersion } from 'esbuild';
import { clientOverhead } from './bench/client.mjs';
import { cliFootprint } from './bench/footprint.mjs';
import { machine } from './bench/machine.mjs';
import { pipelineTimes } from './bench/pipeline.mjs';
import { redisCosts } from './bench/redis.mjs';
import { renderReport } from './bench/report.mjs';
import { bundleSizes } from './bench/size.mjs';
import { typeCheck } from './bench/types.mjs';
import { webhookPipeline } from './bench/webhooks.mjs';
import { root } from './bench/workspace.mjs';

/** Run counts and request counts, sized so the whole suite stays well under 10 minutes on 2 cores. */
const RUNS = 5;
const CLIENT = { runs: RUNS, requests: 2000, warmup: 500, concurrency: 8, chunk: 250 };
const WEBHOOKS = { runs: RUNS, amioBodies: 5000, ocelotBatches: 500 };
const REDIS = { runs: RUNS, events: 2000, tokenGets: 2000 };

const SECTIONS = {
  client: () => clientOverhead(CLIENT),
  webhooks: () => webhookPipeline(WEBHOOKS),
  size: async () => {
    const builds = [];
    for (let i = 0; i < RUNS; i++) builds.push(await bundleSizes());
    const sizes = (b) => JSON.stringify(b.rows.map((r) => [r.client.gzip, r.client.min, r.webhooks.gzip, r.webhooks.min]).concat([[b.sdk.gzip, b.bare.gzip]]));
    return { ...builds[0], builds: RUNS, identical: builds.every((b) => sizes(b) === sizes(builds[0])), esbuild: esbuildVersion };
  },
  types: () => typeCheck({ runs: RUNS }),
  // One run: an npm install of packed tarballs (about two minutes); package counts and bytes do not vary.
  footprint: () => cliFootprint(),
  redis: () => redisCosts(REDIS),
  // Last: it rebuilds every package (generate + tsdown) several times.
  pipeline: () => pipelineTimes({ runs: RUNS }),
};

function parseOnly(argv) {
  const index = argv.indexOf('--only');
  if (index === -1) return Object.keys(SECTIONS);
  const names = (argv[index + 1] ?? '').split(',').filter(Boolean);
  const unknown = names.filter((n) => !(n in SECTIONS));
  if (names.length === 0 || unknown.length) {
    console.error(`--only takes a comma-separated list of: ${Object.keys(SECTIONS).join(', ')}${unknown.length ? ` (unknown: ${unknown.join(', ')})` : ''}`);
    process.exit(2);
  }
  return names;
}

const selected = parseOnly(process.argv.slice(2));
const start = performance.now();
const results = { machine: machine() };
for (const name of Object.keys(SECTIONS).filter((n) => selected.includes(n))) {
  const sectionStart = performance.now();
  console.error(`bench: ${name}…`);
  try {
    results[name] = await SECTIONS[name]();
  } catch (error) {
    console.error(error);
    results[name] = { error: error.message.split('\n')[0] };
  }
  console.error(`bench: ${name} took ${((performance.now() - sectionStart) / 1000).toFixed(1)} s`);
}
const complete = selected.length === Object.keys(SECTIONS).length;
results.config = {
  elapsedMs: performance.now() - start,
  complete,
  loadAverageAtEnd: loadavg()
    .map((n) => n.toFixed(2))
    .join(' '),
};
const report = renderReport(results);
if (complete) {
  writeFileSync(join(root, 'BENCHMARKS.md'), report);
  console.error(`bench: wrote BENCHMARKS.md in ${(results.config.elapsedMs / 1000).toFixed(1)} s`);
} else {
  process.stdout.write(report);
}
