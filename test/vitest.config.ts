import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { transportProjects } from '../vitest.transports.js';

/** Runs the root package.json scripts for real: `pnpm start` rebuilds through turbo, which rewrites every dist/ from its cache. */
const REPO_SCRIPTS = 'readme/commands.test.ts';
/** Reads no dist/ once started (it builds the site into a temporary folder), so it can run beside REPO_SCRIPTS. */
const BROWSER = 'browser/docs.test.ts';
/** The files that pack and npm-install the packages, slowest first: started first, so none of them is left running alone at the end. */
const SLOWEST = ['packages/install.test.ts', 'consumer/readme-examples.test.ts', 'packages/packages.test.ts'];

/** Vitest's order (earlier failures, then longer durations, from its cache), with SLOWEST first within each group. */
class SlowestFirst extends BaseSequencer {
  async sort(files: TestSpecification[]) {
    const rank = (file: TestSpecification) => {
      const i = SLOWEST.findIndex((name) => file.moduleId.endsWith(name));
      return i === -1 ? SLOWEST.length : i;
    };
    const order = (file: TestSpecification) => file.project.config.sequence.groupOrder;
    return (await super.sort(files)).sort((a, b) => order(a) - order(b) || rank(a) - rank(b));
  }
}

const skipped = ['**/node_modules/**', 'consumer/.scratch/**'];

export default defineConfig({
  test: {
    exclude: skipped,
    globalSetup: ['./setup/mocks.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    sequence: { sequencer: SlowestFirst },
    // Two files at a time (most of them wait on npm, Chromium or Prism; this package is the end of the pipeline),
    // in two groups: first REPO_SCRIPTS beside BROWSER only, so no other file packs or runs a dist/ that turbo is
    // rewriting; then every other test on the default transport (undici) and the contract tests once more on
    // fetch. All projects use the one set of Prism mocks the global setup starts.
    projects: [
      { extends: true, test: { name: 'repo scripts', include: [REPO_SCRIPTS], maxWorkers: 2, sequence: { groupOrder: 1 } } },
      { extends: true, test: { name: 'browser', include: [BROWSER], maxWorkers: 2, sequence: { groupOrder: 1 } } },
      ...transportProjects({
        undici: { include: ['**/*.test.ts'], exclude: [REPO_SCRIPTS, BROWSER, ...skipped], maxWorkers: 2, sequence: { groupOrder: 2 } },
        fetch: { include: ['contract/**/*.test.ts'], maxWorkers: 2, sequence: { groupOrder: 2 } },
      }),
    ],
  },
});
