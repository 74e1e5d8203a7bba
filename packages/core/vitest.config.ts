import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** The tests that build clients also run against the Node entry (`src/node.ts`, the undici transport). */
const CLIENT_TESTS = [
  'test/client.test.ts',
  'test/faults.test.ts',
  'test/auth.test.ts',
  'test/retry.test.ts',
  'test/redaction.test.ts',
  'test/transport.test.ts',
];

export default defineConfig({
  test: {
    // Set here because a project does not take them from the command line.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      // The tests import `../src/index.js`, the edge entry: the fetch transport.
      { extends: true, test: { name: 'fetch' } },
      {
        extends: true,
        test: { name: 'undici', include: CLIENT_TESTS },
        resolve: { alias: [{ find: /^\.\.\/src\/index\.js$/, replacement: fileURLToPath(new URL('src/node.ts', import.meta.url)) }] },
      },
    ],
  },
});
