import type { TestProjectInlineConfiguration } from 'vitest/config';

/**
 * The suite once per transport of @msgkit/core's Node entry (issue 14): `undici` (the default there) and
 * `fetch` (`MSGKIT_TRANSPORT=fetch`, what the edge entry and a user `fetch` use). Tests that inject their
 * own `fetch` run the fetch path in both.
 */
/** Generous limits, set here because a project does not take them from the command line: turbo runs many suites at once on 2 cores. */
export const SLOW_MACHINE = { testTimeout: 60_000, hookTimeout: 60_000 };

type ProjectTest = TestProjectInlineConfiguration['test'];

export function transportProjects(extra: { undici?: ProjectTest; fetch?: ProjectTest } = {}): TestProjectInlineConfiguration[] {
  return [
    { extends: true, test: { name: 'undici', ...extra.undici } },
    { extends: true, test: { name: 'fetch', ...extra.fetch, env: { MSGKIT_TRANSPORT: 'fetch' } } },
  ];
}
