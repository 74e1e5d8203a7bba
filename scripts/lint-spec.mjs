#!/usr/bin/env node
// Lints one provider's spec (or all) with Redocly; any error or warning fails.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { provider } from '@msgkit/spec';
import { repoRoot } from '@msgkit/spec/generate';

const names = process.argv.slice(2);
for (const name of names) provider(name);
const redocly = createRequire(import.meta.url).resolve('@redocly/cli/bin/cli.js');
const result = spawnSync(process.execPath, [redocly, 'lint', ...names, '--max-problems', '1000'], {
  cwd: repoRoot(),
  encoding: 'utf8',
  env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
});
const output = `${result.stdout}${result.stderr}`
  .split('\n')
  .filter((line) => !/[║╔╚]/.test(line))
  .join('\n');
process.stdout.write(output);
if (result.status !== 0 || /warning/i.test(output)) {
  console.error(`\nSpec lint failed for ${names.join(', ') || 'all specs'}: fix every error and warning.`);
  process.exit(1);
}
