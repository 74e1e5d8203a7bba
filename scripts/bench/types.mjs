// 5. Types: `tsc --noEmit` wall time and peak memory of a consumer file that imports every built client
// and makes one typed call with each, vs the floor of the same tsc on an empty file, side by side.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { operationsOf } from '@msgkit/spec';
import { median } from './stats.mjs';
import { builtEntry, bundledSpec, createConsumerProject, providers, root } from './workspace.mjs';

/** Methods a typed call may use, the preferred first within one path. */
const PREFERRED = ['post', 'put', 'patch', 'get', 'delete'];

/** The consumer's tsconfig: a strict NodeNext ESM project, as a user would have, libs skipped as usual. */
const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    lib: ['ES2023', 'DOM'],
    types: [],
    strict: true,
    skipLibCheck: true,
    noEmit: true,
  },
};

/** The first operation with no required parameters whose request body (if any) has an example: `[method, path, body]`. */
function typedCall(spec) {
  const paths = Object.keys(spec?.paths ?? {});
  const candidates = operationsOf(spec ?? {})
    .filter(({ method }) => PREFERRED.includes(method))
    .sort((a, b) => paths.indexOf(a.path) - paths.indexOf(b.path) || PREFERRED.indexOf(a.method) - PREFERRED.indexOf(b.method));
  for (const { path, method, operation } of candidates) {
    const item = spec.paths[path];
    const parameters = [...(item.parameters ?? []), ...(operation.parameters ?? [])];
    if (parameters.some((p) => p.required || p.$ref)) continue;
    const content = operation.requestBody?.content?.['application/json'];
    if (operation.requestBody && !content) continue;
    const body = content ? (content.example ?? Object.values(content.examples ?? {})[0]?.value) : undefined;
    if (content && body === undefined) continue;
    return [method.toUpperCase(), path, body];
  }
  return undefined;
}

/** The consumer source: per provider an import of its factory, a client of that type and one typed call. */
function consumerSource(names) {
  const lines = [];
  const calls = [];
  for (const { name, factory } of providers.filter((p) => names.includes(p.name))) {
    lines.push(`import { ${factory} } from '@msgkit/${name}';`);
    lines.push(`declare const ${name}: ReturnType<typeof ${factory}>;`);
    const call = typedCall(bundledSpec(name));
    if (!call) continue;
    const [method, path, body] = call;
    const init = body === undefined ? '' : `, { body: ${JSON.stringify(body)} }`;
    calls.push(`  results.push((await ${name}.${method}('${path}'${init})).data);`);
  }
  return [...lines, '', 'export async function run(): Promise<unknown[]> {', '  const results: unknown[] = [];', ...calls, '  return results;', '}', ''].join(
    '\n',
  );
}

/** One tsc run: wall time (ms), peak RSS (MiB), exit status and its first diagnostic lines. */
function runTsc(dir, tsconfig) {
  const tsc = createRequire(join(root, 'package.json')).resolve('typescript/lib/tsc.js');
  const start = performance.now();
  const result = spawnSync(process.execPath, [join(import.meta.dirname, 'tsc-rss.cjs'), tsc, '-p', tsconfig], { cwd: dir, encoding: 'utf8' });
  const ms = performance.now() - start;
  const rss = Number(/MSGKIT_BENCH_MAXRSS (\d+)/.exec(result.stderr)?.[1]);
  return { ms, mib: rss / 1024, status: result.status, output: `${result.stdout}${result.stderr}`.replace(/\s*MSGKIT_BENCH_MAXRSS \d+\s*/, '').trim() };
}

/** Runs the consumer and the empty floor alternately `runs` times (after one warm-up each). */
export function typeCheck({ runs }) {
  const available = providers.filter((p) => builtEntry(p.name)).map((p) => p.name);
  const notYet = providers.filter((p) => !available.includes(p.name)).map((p) => p.name);
  if (available.length === 0) return { reason: 'not available yet (no client package is built)', notYet };
  const project = createConsumerProject();
  try {
    const source = consumerSource(available);
    writeFileSync(join(project.dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    writeFileSync(join(project.dir, 'consumer.mts'), source);
    writeFileSync(join(project.dir, 'empty.mts'), 'export {};\n');
    writeFileSync(join(project.dir, 'tsconfig.consumer.json'), JSON.stringify({ ...TSCONFIG, files: ['consumer.mts'] }));
    writeFileSync(join(project.dir, 'tsconfig.empty.json'), JSON.stringify({ ...TSCONFIG, files: ['empty.mts'] }));
    const first = runTsc(project.dir, 'tsconfig.consumer.json');
    if (first.status !== 0)
      return { reason: `failed: tsc exited ${first.status}: ${first.output.split('\n').slice(0, 3).join(' / ')}`, available, notYet, source };
    runTsc(project.dir, 'tsconfig.empty.json');
    const consumer = [];
    const floor = [];
    for (let run = 0; run < runs; run++) {
      const pair = run % 2 === 0 ? ['consumer', 'empty'] : ['empty', 'consumer'];
      for (const which of pair) {
        const result = runTsc(project.dir, `tsconfig.${which}.json`);
        if (result.status !== 0)
          return { reason: `failed: tsc exited ${result.status} on ${which}.mts: ${result.output.split('\n')[0]}`, available, notYet, source };
        (which === 'consumer' ? consumer : floor).push(result);
      }
    }
    return {
      available,
      notYet,
      source,
      runs,
      ms: consumer.map((r) => r.ms),
      mib: consumer.map((r) => r.mib),
      floorMs: floor.map((r) => r.ms),
      floorMib: floor.map((r) => r.mib),
      medianMs: median(consumer.map((r) => r.ms)),
      medianMib: median(consumer.map((r) => r.mib)),
      medianFloorMs: median(floor.map((r) => r.ms)),
      medianFloorMib: median(floor.map((r) => r.mib)),
      timeRatio: median(consumer.map((r, i) => r.ms / floor[i].ms)),
      memoryRatio: median(consumer.map((r, i) => r.mib / floor[i].mib)),
    };
  } finally {
    project.remove();
  }
}
