#!/usr/bin/env node
// Builds docs/dist/: one offline Redoc page per provider (x-inferred marks made visible) and an index.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { markInferred, summarize } from './lib/docs.mjs';
import { bundledSpecPath, root } from './lib/paths.mjs';
import { providers } from './providers.mjs';

const redocly = createRequire(import.meta.url).resolve('@redocly/cli/bin/cli.js');
const out = join(root, 'docs', 'dist');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const work = mkdtempSync(join(tmpdir(), 'msgkit-docs-'));

const built = [];
try {
  for (const provider of providers) {
    const source = bundledSpecPath(provider.name);
    if (!existsSync(source)) continue;
    const doc = JSON.parse(readFileSync(source, 'utf8'));
    const input = join(work, `${provider.name}.json`);
    writeFileSync(input, JSON.stringify(markInferred(doc)));
    const args = ['build-docs', input, '--output', join(out, `${provider.name}.html`), '--inlineBundle', '--title', `${provider.title} API · msgkit`];
    const result = spawnSync(process.execPath, [redocly, ...args], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    });
    if (result.status !== 0) {
      console.error(result.stdout, result.stderr);
      throw new Error(`redocly build-docs failed for ${provider.name}`);
    }
    built.push({ provider, ...summarize(doc) });
    console.log(`docs/dist/${provider.name}.html`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const rows = built
  .map(
    ({ provider, operations, webhooks, callbacks, inferred }) => `
      <tr>
        <td><a href="./${provider.name}.html">${provider.title}</a></td>
        <td>${operations}</td><td>${webhooks}</td><td>${callbacks}</td><td>${inferred}</td>
        <td><code>npm install @msgkit/${provider.name}</code></td>
        <td><code>npx msgkit mock ${provider.name}</code> → <code>http://127.0.0.1:${provider.port}</code></td>
      </tr>`,
  )
  .join('');
writeFileSync(
  join(out, 'index.html'),
  `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>msgkit API reference</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #1f2933; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: .5rem .75rem; border-bottom: 1px solid #d9e2ec; vertical-align: top; }
  code { background: #f0f4f8; padding: .1rem .3rem; border-radius: 3px; font-size: .9em; }
</style>
</head>
<body>
<h1>msgkit API reference</h1>
<p>Typed TypeScript clients, webhook parsers and offline mock servers for ${built.length} messaging providers,
generated from one OpenAPI 3.1 spec per provider. Parts a provider does not document are marked
<strong>Inferred</strong> on each page, with the reason.</p>
<table>
  <thead><tr><th>Provider</th><th>Operations</th><th>Webhooks</th><th>Callbacks</th><th>Inferred parts</th><th>Install</th><th>Mock</th></tr></thead>
  <tbody>${rows}
  </tbody>
</table>
<p>Start every mock at once with <code>npx msgkit mock</code>, or <code>pnpm start</code> in the msgkit repository.</p>
</body>
</html>
`,
);
console.log('docs/dist/index.html');
