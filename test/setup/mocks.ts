// Starts one Prism mock per provider from the same bundled specs the packages ship, on free ports,
// and stops them all after the run. Tests read the URLs with `inject('mockUrls')`.
import { hasSpec, providers, type RunningMock, startMocks } from '@msgkit/cli';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    mockUrls: Record<string, string>;
  }
}

let running: RunningMock[] = [];

/** `MSGKIT_PROVIDERS=olly,amio` limits the mocks (and so the runnable contract tests) while developing. */
function selected() {
  const only = process.env.MSGKIT_PROVIDERS?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return providers.filter((p) => (only ? only.includes(p.name) : true)).filter(hasSpec);
}

export async function setup(project: TestProject) {
  running = await startMocks({ providers: selected(), portBase: 0 });
  // The proxy's URL, as `msgkit mock` prints it: documented auth, precise errors, realistic answers.
  project.provide('mockUrls', Object.fromEntries(running.map((m) => [m.provider.name, m.url])));
}

export async function teardown() {
  await Promise.all(running.map((m) => m.stop()));
}
