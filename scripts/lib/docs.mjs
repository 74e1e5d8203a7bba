// The reference site: one offline Redoc page per provider spec and an index. Used by
// scripts/build-docs.mjs (docs/dist/) and bundled into `msgkit docs` (packages/cli), so both build
// the same site.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

/** The badge Redoc shows next to operations and schema properties the provider did not document. */
export const INFERRED_BADGE = { name: 'Inferred', color: '#b45309', position: 'after' };

/** Redoc options of every page: examples fully expanded, required properties first. */
export const REDOC_OPTIONS = { jsonSamplesExpandLevel: 'all', sortRequiredPropsFirst: true };

/**
 * A copy of a spec where every node marked `x-inferred: true` carries a visible note in its
 * description and an "Inferred" badge (shown by Redoc on operations and schema properties), so
 * readers of the reference know what the provider did not document.
 * @param {any} doc
 */
export function markInferred(doc) {
  const walk = (node) => {
    if (Array.isArray(node)) return node.map(walk);
    if (!node || typeof node !== 'object') return node;
    const out = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v)]));
    if (node['x-inferred'] === true && !node.$ref) {
      const note = `> **Inferred** — not in the provider's docs. ${node['x-inferred-reason'] ?? ''}`.trim();
      out.description = node.description ? `${node.description}\n\n${note}` : note;
      out['x-badges'] = [...(node['x-badges'] ?? []), INFERRED_BADGE];
    }
    return out;
  };
  return walk(doc);
}

/** @param {any} doc @param {any} node */
const deref = (doc, node) =>
  node?.$ref?.startsWith('#/')
    ? deref(
        doc,
        node.$ref
          .slice(2)
          .split('/')
          .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'))
          .reduce((n, k) => n?.[k], doc),
      )
    : node;

/** Every operation of `paths`, with its method and path. @param {any} doc */
export function operationsOf(doc) {
  return Object.entries(doc.paths ?? {}).flatMap(([path, rawItem]) => {
    const item = deref(doc, rawItem) ?? {};
    return METHODS.filter((m) => item[m]).map((method) => ({ method, path, operation: item[method] }));
  });
}

/** Every callback of every operation: the operation, the callback's name, URL expression and POSTed operation. @param {any} doc */
export function callbacksOf(doc) {
  return operationsOf(doc).flatMap(({ operation }) =>
    Object.entries(operation.callbacks ?? {}).flatMap(([name, rawCallback]) =>
      Object.entries(deref(doc, rawCallback) ?? {}).flatMap(([expression, rawItem]) => {
        const item = deref(doc, rawItem) ?? {};
        return METHODS.filter((m) => item[m]).map((method) => ({ parent: operation, name, expression, method, operation: item[method] }));
      }),
    ),
  );
}

/** Every top-level webhook: its name and POSTed operation. @param {any} doc */
export function webhooksOf(doc) {
  return Object.entries(doc.webhooks ?? {}).flatMap(([name, rawItem]) => {
    const item = deref(doc, rawItem) ?? {};
    return METHODS.filter((m) => item[m]).map((method) => ({ name, method, operation: item[method] }));
  });
}

/** Counts of operations, webhooks, callbacks and inferred nodes of a spec. @param {any} doc */
export function summarize(doc) {
  let inferred = 0;
  const walk = (node) => {
    if (!node || typeof node !== 'object') return;
    if (node['x-inferred'] === true) inferred++;
    Object.values(node).forEach(walk);
  };
  walk(doc);
  return { operations: operationsOf(doc).length, webhooks: webhooksOf(doc).length, callbacks: callbacksOf(doc).length, inferred };
}

const cell = (text) =>
  String(text ?? '')
    .replaceAll('|', '\\|')
    .replaceAll('\n', ' ');

/** How a security scheme is sent, in one line of Markdown. @param {any} scheme */
function howToSend(scheme) {
  if (scheme.type === 'apiKey') return `API key in the ${scheme.in} ${scheme.in === 'header' ? 'header' : 'parameter'} \`${scheme.name}\``;
  if (scheme.type === 'http') return `HTTP \`${scheme.scheme}\` authentication (\`Authorization: ${scheme.scheme === 'basic' ? 'Basic' : 'Bearer'} …\`)`;
  if (scheme.type === 'oauth2') {
    const flows = Object.entries(scheme.flows ?? {}).map(([flow, f]) => `${flow}${f.tokenUrl ? ` (token URL \`${f.tokenUrl}\`)` : ''}`);
    return `OAuth 2.0: ${flows.join(', ')}`;
  }
  if (scheme.type === 'mutualTLS') return 'Mutual TLS';
  return scheme.type;
}

/**
 * A copy of a spec whose overview lists the auth schemes (and which combinations each operation
 * accepts) and every webhook and callback with where it is delivered: Redoc shows neither at a glance.
 * @param {any} doc
 */
export function describeOverview(doc) {
  const sections = [];
  const schemes = Object.entries(doc.components?.securitySchemes ?? {});
  if (schemes.length) {
    const rows = schemes.map(([name, raw]) => {
      const scheme = deref(doc, raw);
      const inferred = scheme['x-inferred'] === true ? ' **Inferred**' : '';
      return `| \`${name}\`${inferred} | ${cell(howToSend(scheme))} | ${cell(scheme.description?.trim())} |`;
    });
    const global = (doc.security ?? []).map(
      (requirement) =>
        Object.keys(requirement)
          .map((k) => `\`${k}\``)
          .join(' + ') || 'none',
    );
    sections.push(
      [
        '## Authentication',
        '',
        '| Scheme | How to send it | Details |',
        '| --- | --- | --- |',
        ...rows,
        '',
        global.length ? `Unless an operation says otherwise, send one of: ${global.join(', or ')}.` : 'Operations say which scheme they need.',
      ].join('\n'),
    );
  }
  const webhooks = webhooksOf(doc).map(({ name, operation }) => `| \`${name}\` | webhook | the URL you configure | ${cell(operation.summary)} |`);
  const callbacks = callbacksOf(doc).map(
    ({ parent, name, expression, operation }) =>
      `| \`${operation.operationId ?? name}\` | callback \`${name}\` of \`${parent.operationId}\` | \`${cell(expression)}\` | ${cell(operation.summary)} |`,
  );
  if (webhooks.length || callbacks.length) {
    sections.push(
      [
        '## Webhooks and callbacks',
        '',
        'Events the provider POSTs to you. Webhooks are listed in their own section below; callbacks under the operation that registers them.',
        '',
        '| Event | Kind | Delivered to | Summary |',
        '| --- | --- | --- | --- |',
        ...webhooks,
        ...callbacks,
      ].join('\n'),
    );
  }
  if (!sections.length) return doc;
  const description = [doc.info?.description?.trim(), ...sections].filter(Boolean).join('\n\n');
  return { ...doc, info: { ...doc.info, description } };
}

/** The spec as the reference shows it: overview sections added, inferred parts marked. @param {any} doc */
export function prepareSpec(doc) {
  return markInferred(describeOverview(doc));
}

/** A small inline stand-in for the Redocly logo, so the attribution stays without a CDN request. */
const LOGO = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="60" height="16"><text x="0" y="12" font-family="sans-serif" font-size="12" fill="#0044d4">Redocly</text></svg>',
)}`;

/**
 * Makes a Redoc page fully offline: the logo Redoc loads from its CDN becomes an inline image and
 * the icon CDN base becomes a same-origin path (our specs use no icons). Throws when a CDN
 * reference remains or telemetry is not disabled, so a Redocly upgrade cannot silently add a request.
 * @param {string} html
 */
export function offline(html) {
  const out = html
    .replaceAll('https://cdn.redoc.ly/redoc/logo-mini-full.svg', LOGO)
    .replaceAll('https://cdn.redoc.ly/redoc/logo-mini.svg', LOGO)
    .replaceAll('https://cdn.redocly.com/icons/', './redoc-icons/');
  const left = /https?:\/\/cdn\.redoc(ly\.com|\.ly)[^\s"'`)]*/.exec(out);
  if (left) throw new Error(`The Redoc page still loads ${left[0]}: extend offline() in scripts/lib/docs.mjs`);
  if (!out.includes('"disableTelemetry":true')) throw new Error('The Redoc page does not disable telemetry');
  return out;
}

const escapeHtml = (text) => String(text).replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/**
 * The index page: every provider with its counts, package, install line and mock command.
 * @param {{ name: string, title: string, port: number, operations: number, webhooks: number, callbacks: number, inferred: number }[]} pages
 */
export function renderIndex(pages) {
  const rows = pages
    .map(
      (p) => `
      <tr>
        <td><a href="./${p.name}.html">${escapeHtml(p.title)}</a></td>
        <td class="n">${p.operations}</td><td class="n">${p.webhooks}</td><td class="n">${p.callbacks}</td><td class="n">${p.inferred}</td>
        <td><code>@msgkit/${p.name}</code><br><code>npm install @msgkit/${p.name}</code></td>
        <td><code>npx msgkit mock ${p.name}</code><br>→ <code>http://127.0.0.1:${p.port}</code></td>
      </tr>`,
    )
    .join('');
  const first = pages[0]?.name ?? 'olly';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>msgkit API reference</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 76rem; padding: 0 1rem; color: #1f2933; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: .5rem .75rem; border-bottom: 1px solid #d9e2ec; vertical-align: top; }
  td.n { text-align: right; font-variant-numeric: tabular-nums; }
  code { background: #f0f4f8; padding: .1rem .3rem; border-radius: 3px; font-size: .9em; }
  pre { background: #f0f4f8; padding: .75rem 1rem; border-radius: 4px; overflow-x: auto; }
  .badge { background: #b45309; color: #fff; border-radius: 3px; padding: 0 .35rem; font-size: .8em; }
</style>
</head>
<body>
<h1>msgkit API reference</h1>
<p>Typed TypeScript clients, webhook parsers and offline mock servers for ${pages.length} messaging providers,
generated from one OpenAPI 3.1 spec per provider. Every page shows each operation, webhook and callback with
its examples and auth schemes. Parts a provider does not document carry an <span class="badge">Inferred</span>
badge and a note with the reason.</p>
<table>
  <thead><tr><th>Provider</th><th>Operations</th><th>Webhooks</th><th>Callbacks</th><th>Inferred parts</th><th>Package</th><th>Mock</th></tr></thead>
  <tbody>${rows}
  </tbody>
</table>
<h2 id="mock">Work offline with the msgkit CLI</h2>
<pre><code>npx msgkit mock                      # every provider's mock on 127.0.0.1, ports as above
npx msgkit mock ${first} --dynamic        # responses generated from the schemas
npx msgkit mock --deliver --webhooks-to http://127.0.0.1:3000/hooks   # lifecycle webhooks after each send
npx msgkit webhooks list             # every webhook and callback event
npx msgkit webhooks trigger &lt;provider&gt; &lt;event&gt; --to http://127.0.0.1:3000/hooks
npx msgkit docs --serve              # this site on http://127.0.0.1:4000</code></pre>
</body>
</html>
`;
}

/** Runs `redocly build-docs` for one prepared spec. */
function buildPage(input, output, title, cwd) {
  const redocly = createRequire(import.meta.url).resolve('@redocly/cli/bin/cli.js');
  const args = [redocly, 'build-docs', input, '--output', output, '--inlineBundle', '--title', title, '--openapi', JSON.stringify(REDOC_OPTIONS)];
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      args,
      { cwd, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } },
      (error, stdout, stderr) => (error ? reject(new Error(`redocly build-docs failed for ${title}:\n${stdout}\n${stderr}`)) : resolve(undefined)),
    );
  });
}

/**
 * Builds the site into `out`: `<name>.html` per provider and `index.html`. Only those files are
 * written; nothing else in `out` is touched. Redocly runs in a scratch directory with telemetry off,
 * so no config of the caller's working directory leaks in.
 * @param {{ out: string, providers: { name: string, title: string, port: number, specPath: string }[] }} options
 * @returns {Promise<{ name: string, title: string, port: number, file: string, operations: number, webhooks: number, callbacks: number, inferred: number }[]>}
 */
export async function buildSite({ out, providers }) {
  mkdirSync(out, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'msgkit-docs-'));
  try {
    writeFileSync(join(work, 'redocly.yaml'), 'telemetry: off\n');
    const pages = await Promise.all(
      providers.map(async (provider) => {
        const doc = JSON.parse(readFileSync(provider.specPath, 'utf8'));
        const input = join(work, `${provider.name}.json`);
        const raw = join(work, `${provider.name}.html`);
        writeFileSync(input, JSON.stringify(prepareSpec(doc)));
        await buildPage(input, raw, `${provider.title} API · msgkit`, work);
        const file = join(out, `${provider.name}.html`);
        writeFileSync(file, offline(readFileSync(raw, 'utf8')));
        return { name: provider.name, title: provider.title, port: provider.port, file, ...summarize(doc) };
      }),
    );
    writeFileSync(join(out, 'index.html'), renderIndex(pages));
    return pages;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
