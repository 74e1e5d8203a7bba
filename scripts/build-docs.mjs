#!/usr/bin/env node
// Builds docs/dist/: one offline Redoc page per provider whose package has a bundled spec, and an index.
// The logic lives in @msgkit/spec (packages/spec/src/docs.ts), which `msgkit docs` (packages/cli) bundles too.
import { existsSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { buildSite, providers } from '@msgkit/spec';
import { bundledSpecPath, repoRoot } from '@msgkit/spec/generate';

const root = repoRoot();

const out = join(root, 'docs', 'dist');
rmSync(out, { recursive: true, force: true });
const available = providers.filter((p) => existsSync(bundledSpecPath(p.name))).map((p) => ({ ...p, specPath: bundledSpecPath(p.name) }));
const pages = await buildSite({ out, providers: available });
for (const page of pages) console.log(relative(root, page.file));
console.log(relative(root, join(out, 'index.html')));
