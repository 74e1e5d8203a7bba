import { defineConfig } from 'tsdown';

export default defineConfig({
  entry: { index: 'src/index.ts', webhooks: 'src/webhooks/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  platform: 'neutral',
  // The validator runtime helpers are bundled so webhook entries need no ajv at run time.
  deps: { alwaysBundle: [/^ajv-formats/], onlyBundle: ['ajv-formats'] },
});
