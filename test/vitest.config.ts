import { defineConfig } from 'vitest/config';
import { transportProjects } from '../vitest.transports.js';

export default defineConfig({
  test: {
    exclude: ['**/node_modules/**', 'consumer/.scratch/**'],
    globalSetup: ['./setup/mocks.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Every test on the default transport (undici), and the contract tests once more on fetch in the same
    // run: both projects use the one set of Prism mocks the global setup starts.
    projects: transportProjects({ undici: { include: ['**/*.test.ts'] }, fetch: { include: ['contract/**/*.test.ts'] } }),
  },
});
