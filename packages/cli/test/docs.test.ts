import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeOverview, markInferred, offline, summarize } from '@msgkit/spec';
import { afterAll, describe, expect, it } from 'vitest';
import { buildDocs, findProvider, loadSpec } from '../src/index.js';
import { runCli, startCli } from './helpers.js';

const dirs: string[] = [];
const scratch = () => {
  const dir = mkdtempSync(join(tmpdir(), 'msgkit-docs-test-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('the reference site build', () => {
  it.each([
    ['an operation', { given: { post: { 'x-inferred': true, 'x-inferred-reason': 'Not documented.', summary: 'S' } }, pointer: 'post' }],
    [
      'a property with a description',
      { given: { name: { type: 'string', description: 'The name.', 'x-inferred': true, 'x-inferred-reason': 'Guessed.' } }, pointer: 'name' },
    ],
  ])('marks %s x-inferred with a note and a badge', (_, { given, pointer }) => {
    const marked = markInferred(given) as Record<string, any>;
    const node = marked[pointer];
    const original = (given as Record<string, any>)[pointer];
    expect(node.description).toBe(
      `${original.description ? `${original.description}\n\n` : ''}> **Inferred** — not in the provider's docs. ${original['x-inferred-reason']}`,
    );
    expect(node['x-badges']).toEqual([{ name: 'Inferred', color: '#b45309', position: 'after' }]);
  });

  it('leaves nodes that are not marked alone', () => {
    const doc = { info: { title: 'T', description: 'D' }, components: { schemas: { A: { type: 'string' } } } };
    expect(markInferred(doc)).toEqual(doc);
  });

  it('adds the auth schemes and every webhook and callback to the overview', () => {
    const doc = loadSpec(findProvider('messente'));
    const description = describeOverview(doc).info.description as string;
    expect(description.split('\n\n')[0]).toContain('](./index.html)');
    expect(description).toContain(doc.info.description.trim());
    expect(description).toMatch(/## Security schemes[\s\S]*\| `basicAuth` \| HTTP `basic` authentication/);
    const callbackIds = Object.values(doc.paths).flatMap((item: any) =>
      Object.values(item).flatMap((op: any) => Object.values(op.callbacks ?? {}).flatMap((cb: any) => Object.values(cb).map((i: any) => i.post.operationId))),
    );
    expect(callbackIds.length).toBeGreaterThan(0);
    for (const id of callbackIds) expect(description).toContain(`| \`${id}\` | callback`);
  });

  it('makes a Redoc page offline, and refuses one that still loads from a CDN', () => {
    const page = '<img src="https://cdn.redoc.ly/redoc/logo-mini.svg"> Zo={"font-awesome":`https://cdn.redocly.com/icons/fa/7.0.0`} {"disableTelemetry":true}';
    const out = offline(page);
    expect(out).not.toMatch(/cdn\.redoc/);
    expect(out).toContain('data:image/svg+xml,');
    expect(() => offline(`${page} https://cdn.redocly.com/redoc/v3/bundles/redoc.standalone.js`)).toThrow(/still loads https:\/\/cdn\.redocly\.com/);
    expect(() => offline('{"disableTelemetry":false}')).toThrow(/telemetry/);
  });

  it('counts operations, webhooks, callbacks and inferred nodes', () => {
    const doc = {
      paths: { '/a': { get: { 'x-inferred': true }, post: { callbacks: { cb: { '{$url}': { post: {} } } } } } },
      webhooks: { one: { post: {} }, two: { post: {} } },
      components: { schemas: { A: { 'x-inferred': true } } },
    };
    expect(summarize(doc)).toEqual({ operations: 2, webhooks: 2, callbacks: 1, inferred: 2 });
  });

  it('builds an offline page per provider and an index with their counts', async () => {
    const out = scratch();
    writeFileSync(join(out, 'keep.txt'), 'not ours');
    const providers = ['olly', 'messente'].map(findProvider);
    const pages = await buildDocs({ out, providers });
    expect(readdirSync(out).sort()).toEqual(['index.html', 'keep.txt', 'messente.html', 'olly.html']);
    const index = readFileSync(join(out, 'index.html'), 'utf8');
    for (const provider of providers) {
      const doc = loadSpec(provider);
      const html = readFileSync(join(out, `${provider.name}.html`), 'utf8');
      expect(html).not.toMatch(/https?:\/\/cdn\.redoc/);
      expect(html).toContain('"disableTelemetry":true');
      expect(html).toContain(`<title>${provider.title} API · msgkit</title>`);
      const page = pages.find((p) => p.name === provider.name);
      expect(page).toMatchObject(summarize(doc));
      expect(index).toContain(`<a href="./${provider.name}.html">${provider.title}</a>`);
      expect(index).toContain(`<code>npx -p @msgkit/cli msgkit mock ${provider.name}</code><br>→ <code>http://127.0.0.1:${provider.port}</code>`);
      // The unscoped npm package "msgkit" is not ours: the index names it only to say "never".
      expect(index.replace('never <code>npx msgkit</code>', '')).not.toMatch(/npx msgkit/);
    }
  });
});

describe('msgkit docs', () => {
  it('builds the site into --out and lists the pages', async () => {
    const out = scratch();
    const result = await runCli(['docs', 'olly', '--out', out]);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^page\s+operations\s+webhooks\s+callbacks\s+inferred$/m);
    expect(readdirSync(out).sort()).toEqual(['index.html', 'olly.html']);
  });

  it('--serve serves the built site on 127.0.0.1 until stopped', async () => {
    const out = scratch();
    const { child, out: stdout } = await startCli(['docs', 'olly', '--out', out, '--serve', '--port', '0'], 'Press Ctrl-C');
    try {
      const url = /Serving (http:\/\/127\.0\.0\.1:\d+)\//.exec(stdout())?.[1];
      const index = await fetch(`${url}/`);
      expect(index.status).toBe(200);
      expect(await index.text()).toContain('./olly.html');
      expect((await fetch(`${url}/olly.html`)).headers.get('content-type')).toMatch(/text\/html/);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  });

  it.each([
    ['--port without --serve', { given: ['docs', '--port', '4100'], err: /--port only applies with --serve/ }],
    ['an unknown provider', { given: ['docs', 'amoi'], err: /Did you mean "amio"/ }],
  ])('exits 2 for %s', async (_, { given, err }) => {
    const result = await runCli(given);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(err);
  });
});
