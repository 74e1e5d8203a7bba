import { defineConfig } from 'tsdown';

export default defineConfig({
  entry: { index: 'src/index.ts', bin: 'src/bin.ts' },
  format: ['esm'],
  dts: true,
  platform: 'node',
  fixedExtension: false,
  // @msgkit/spec is private (never published): what the CLI uses of it is bundled in.
  deps: { alwaysBundle: [/^@msgkit\/spec/], onlyBundle: ['@msgkit/spec'] },
});
