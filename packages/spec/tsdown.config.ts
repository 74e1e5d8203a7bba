import { fileURLToPath } from 'node:url';
import { defineConfig } from 'tsdown';

export default defineConfig({
  entry: { index: 'src/index.ts', generate: 'src/generate.ts' },
  format: ['esm'],
  dts: true,
  platform: 'node',
  fixedExtension: false,
  // The provider list's data stays in specs/providers.json; it is bundled in as a module.
  alias: { '#providers.json': fileURLToPath(new URL('../../specs/providers.json', import.meta.url)) },
});
