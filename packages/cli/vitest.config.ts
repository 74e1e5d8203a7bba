import { defineConfig } from 'vitest/config';

// Generous limits: these tests start real Prism processes, which is slow while turbo runs other tasks.
// Two files at a time: most of them wait on the CLI and Prism processes they start, and this suite runs
// until near the end of the pipeline, when the other tasks are done.
export default defineConfig({ test: { testTimeout: 60_000, hookTimeout: 60_000, maxWorkers: 2 } });
