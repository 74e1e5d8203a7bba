// 4. Pipeline: cold and warm `turbo run build docs` wall times (alternating, so each warm run follows a
// cold one), and the wall time of the unit-test phase. Logs of failing runs are kept in a temp file.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { median } from './stats.mjs';
import { root } from './workspace.mjs';

/** Targets from issue 9, in milliseconds. */
export const PIPELINE_TARGETS = { warmBuild: 3000, testSuite: 5 * 60 * 1000 };

/** The commands, exactly as run (from the repository root). */
export const COMMANDS = {
  cold: ['run', 'build', 'docs', '--force'],
  warm: ['run', 'build', 'docs'],
  test: ['run', 'test', '--only', '--force', '--filter=./packages/*', '--continue'],
};

/** A build still going after this long is stopped and counted as failed, so the suite stays bounded. */
const BUILD_TIMEOUT_MS = 3 * 60 * 1000;
/** The unit-test phase runs every suite once per transport (issue 14): minutes, not seconds, so it gets its own bound. */
const TEST_TIMEOUT_MS = 8 * 60 * 1000;
/** Runs of the unit-test phase: one, since a single pass takes minutes and five would take `pnpm bench` far past its 10-minute budget. */
const TEST_RUNS = 1;
/**
 * Runs of the cold build: one. It has no target of its own (it fills the cache the warm builds hit), and each takes
 * over a minute on 2 cores: four more would take `pnpm bench` past its 10-minute budget.
 */
const COLD_RUNS = 1;

let logs;

/** True when an executable `pnpm` is on PATH: turbo needs it to find the workspace's package manager. */
function pnpmOnPath() {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, 'pnpm'), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Runs turbo once; returns wall time, exit status and the counts of turbo's closing summary. */
function turbo(args, label, timeout = BUILD_TIMEOUT_MS) {
  const bin = join(root, 'node_modules', '.bin', 'turbo');
  const start = performance.now();
  const result = spawnSync(bin, [...args, '--output-logs=errors-only', '--ui=stream'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', FORCE_COLOR: '0', NO_COLOR: '1' },
    maxBuffer: 64 * 1024 * 1024,
    timeout,
  });
  const ms = performance.now() - start;
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  const tasks = /Tasks:\s+\d+ successful, (\d+) total/.exec(output);
  const cached = /Cached:\s+(\d+) cached, (\d+) total/.exec(output);
  const run = {
    ms,
    status: result.status ?? -1,
    total: Number(tasks?.[1] ?? cached?.[2] ?? 0),
    cached: Number(cached?.[1] ?? 0),
  };
  if (run.status !== 0) {
    const timedOut = result.error?.code === 'ETIMEDOUT' ? `timed out after ${timeout / 1000} s` : undefined;
    run.failedTasks = timedOut ?? /Failed:\s+(.+)/.exec(output)?.[1]?.trim() ?? 'turbo itself';
    logs ??= mkdtempSync(join(tmpdir(), 'msgkit-bench-logs-'));
    const log = join(logs, `${label}.log`);
    writeFileSync(log, output);
    console.error(`bench: ${label} exited ${run.status} (failed: ${run.failedTasks}); its output is in ${log}`);
  }
  return run;
}

/** Median wall time of a list of turbo runs, and whether any of them failed. */
function summarize(list) {
  return {
    runs: list.map((r) => r.ms),
    median: median(list.map((r) => r.ms)),
    failed: list.filter((r) => r.status !== 0),
  };
}

/** The cold build `COLD_RUNS` times, then the warm build (a full cache hit) `runs` times, then the unit-test phase `TEST_RUNS` times. */
export function pipelineTimes({ runs }) {
  if (!pnpmOnPath()) return { reason: 'not run: turbo needs `pnpm` on PATH; run `pnpm bench` (or `npx pnpm@12.4.2 exec node scripts/bench.mjs`)' };
  const cold = [];
  const warm = [];
  for (let run = 0; run < COLD_RUNS; run++) cold.push(turbo(COMMANDS.cold, `cold-${run + 1}`));
  for (let run = 0; run < runs; run++) warm.push(turbo(COMMANDS.warm, `warm-${run + 1}`));
  const tests = [];
  for (let run = 0; run < TEST_RUNS; run++) tests.push(turbo(COMMANDS.test, `test-${run + 1}`, TEST_TIMEOUT_MS));
  return {
    runs,
    cold: summarize(cold),
    warm: { ...summarize(warm), fullHits: warm.filter((r) => r.status === 0 && r.cached === r.total && r.total > 0).length },
    warmToCold: median(warm.map((r) => r.ms)) / median(cold.map((r) => r.ms)),
    test: summarize(tests),
  };
}
