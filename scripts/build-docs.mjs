#!/usr/bin/env node
// Builds docs/dist/: one offline Redoc page per provider whose package has a bundled spec, and an index.
// The logic lives in lib/docs.mjs, which `msgkit docs` (packages/cli) bundles too.
import { existsSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { buildSite } from './lib/docs.mjs';
import { bundledSpecPath, root } from './lib/paths.mjs';
import { providers } from './providers.mjs';

const out = join(root, 'docs', 'dist');
rmSync(out, { recursive: true, force: true });
const available = providers.filter((p) => existsSync(bundledSpecPath(p.name))).map((p) => ({ ...p, specPath: bundledSpecPath(p.name) }));
const pages = await buildSite({ out, providers: available });
for (const page of pages) console.log(relative(root, page.file));
console.log(relative(root, join(out, 'index.html')));
