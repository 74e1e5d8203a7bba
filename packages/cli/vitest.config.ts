import { defineConfig } from 'vitest/config';

// Generous limits: these tests start real Prism processes, which is slow while turbo runs other tasks.
export default defineConfig({ test: { testTimeout: 60_000, hookTimeout: 60_000 } });
