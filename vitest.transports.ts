import type { TestProjectInlineConfiguration } from 'vitest/config';

/**
 * The suite once per transport of @msgkit/core's Node entry (issue 14): `undici` (the default there) and
 * `fetch` (`MSGKIT_TRANSPORT=fetch`, what the edge entry and a user `fetch` use). Tests that inject their
 * own `fetch` run the fetch path in both.
 */
export function transportProjects(extra: { undici?: TestProjectInlineConfiguration['test'] } = {}): TestProjectInlineConfiguration[] {
  return [
    { extends: true, test: { name: 'undici', ...extra.undici } },
    { extends: true, test: { name: 'fetch', env: { MSGKIT_TRANSPORT: 'fetch' } } },
  ];
}
