import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { alias: { '#providers.json': fileURLToPath(new URL('../../specs/providers.json', import.meta.url)) } },
});
