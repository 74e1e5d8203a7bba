import { defineConfig } from 'tsdown';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    node: 'src/node.ts',
    errors: 'src/errors.ts',
    webhooks: 'src/webhooks/index.ts',
    'webhooks-surface': 'src/webhooks/surface.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  platform: 'neutral',
  // Bundled so core has no runtime dependencies: the validator runtime helpers (no ajv at run time)
  // and openapi-fetch (whose CommonJS build cannot be required as core's CJS output would). undici (the Node
  // entry's transport) stays a dependency.
  deps: {
    alwaysBundle: [/^ajv-formats/, /^openapi-fetch/, /^openapi-typescript-helpers/],
    onlyBundle: ['ajv-formats', 'openapi-fetch', 'openapi-typescript-helpers'],
  },
});
