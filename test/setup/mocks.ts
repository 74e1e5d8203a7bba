// Starts one Prism mock per provider from the same bundled specs the packages ship, on free ports,
// and stops them all after the run. Tests read the URLs with `inject('mockUrls')`. Vitest calls this
// setup once per project (the transports, and the root): they share one set of mocks.
import { hasSpec, providers, type RunningMock, startMocks } from '@msgkit/cli';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    mockUrls: Record<string, string>;
  }
}

/** The mocks of this run and how many projects use them (the setups run in one process, the main one). */
const shared = globalThis as { msgkitMocks?: { started: Promise<RunningMock[]>; users: number } };

/** `MSGKIT_PROVIDERS=olly,amio` limits the mocks (and so the runnable contract tests) while developing. */
function selected() {
  const only = process.env.MSGKIT_PROVIDERS?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return providers.filter((p) => (only ? only.includes(p.name) : true)).filter(hasSpec);
}

export async function setup(project: TestProject) {
  shared.msgkitMocks ??= { started: startMocks({ providers: selected(), portBase: 0 }), users: 0 };
  shared.msgkitMocks.users++;
  const running = await shared.msgkitMocks.started;
  // The proxy's URL, as `msgkit mock` prints it: documented auth, precise errors, realistic answers.
  project.provide('mockUrls', Object.fromEntries(running.map((m) => [m.provider.name, m.url])));
}

export async function teardown() {
  const mocks = shared.msgkitMocks;
  if (!mocks || --mocks.users > 0) return;
  shared.msgkitMocks = undefined;
  await Promise.all((await mocks.started).map((m) => m.stop()));
}
