import { defineConfig } from 'vitest/config';
import { SLOW_MACHINE, transportProjects } from '../../vitest.transports.ts';

// Every test runs on both transports of @msgkit/core's Node entry: undici (default) and fetch.
export default defineConfig({ test: { ...SLOW_MACHINE, projects: transportProjects() } });
