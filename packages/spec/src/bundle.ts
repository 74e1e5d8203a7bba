import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './paths.js';
import type { Doc } from './ref.js';

const require = createRequire(import.meta.url);
const redocly = require.resolve('@redocly/cli/bin/cli.js');

/**
 * Bundles a provider's (possibly multi-file) spec into one JSON document with `redocly bundle`,
 * keeping internal `$ref`s. `name` is an `apis` key of redocly.yaml.
 */
export function bundleSpec(name: string): Doc {
  const dir = mkdtempSync(join(tmpdir(), 'msgkit-bundle-'));
  try {
    const out = join(dir, 'openapi.json');
    execFileSync(process.execPath, [redocly, 'bundle', name, '--output', out, '--ext', 'json'], {
      cwd: repoRoot(),
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    });
    return JSON.parse(readFileSync(out, 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
