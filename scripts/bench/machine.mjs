// The machine and tree a benchmark run happened on, for the report header.
import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus, loadavg, release, totalmem } from 'node:os';
import { root } from './workspace.mjs';

function git(args) {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/** nproc, CPU model, memory, Node version, OS, date, commit and load average at the start. */
export function machine() {
  const changed = git(['status', '--porcelain'])?.split('\n').filter(Boolean).length;
  return {
    nproc: availableParallelism(),
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGiB: totalmem() / 1024 ** 3,
    node: process.version,
    os: `${process.platform} ${release()} ${process.arch}`,
    date: new Date().toISOString(),
    commit: git(['rev-parse', '--short', 'HEAD']) ?? 'unknown',
    changedFiles: changed ?? 0,
    loadAverage: loadavg()
      .map((n) => n.toFixed(2))
      .join(' '),
  };
}
