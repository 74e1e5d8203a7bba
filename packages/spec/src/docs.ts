// The reference site: one offline Redoc page per provider spec and an index. Used by
// scripts/build-docs.mjs (docs/dist/) and bundled into `msgkit docs` (packages/cli), so both build
// the same site.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Doc, deref } from './ref.js';
import { callbacksOf, isMethod, operationsOf, webhooksOf } from './walk.js';

/** The badge Redoc shows next to operations and schema properties the provider did not document. */
export const INFERRED_BADGE = { name: 'Inferred', color: '#b45309', position: 'after' };

/**
 * Redoc options of every page: examples fully expanded, required properties first, and no
 * automatic "Authentication" entry (the overview's "Security schemes" section lists the schemes, and
 * a provider may have an "Authentication" tag of its own).
 */
export const REDOC_OPTIONS = { jsonSamplesExpandLevel: 'all', sortRequiredPropsFirst: true, noAutoAuth: true };

/** The Node.js versions every msgkit package supports (their `engines.node`). */
export const NODE_RANGE = '^20.19.0 || >=22.12.0';

/** Where every provider page links back to: the site's index, beside it. */
export const INDEX_HREF = './index.html';

/** The "Inferred" note added to a marked node's description. */
const inferredNote = (node: any) => `> **Inferred** — not in the provider's docs. ${node['x-inferred-reason'] ?? ''}`.trim();

/**
 * Markdown reduced to plain text, for the places Redoc prints text as is (the server list).
 */
export function plainText(text: unknown): string {
  return String(text ?? '')
    .replace(/\[([^\]]*)\]\(([^)]*)\)/g, '$1 ($2)')
    .replace(/^\s*>\s?/gm, '')
    .replace(/(\*\*|__|`)/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * A copy of a spec where every node marked `x-inferred: true` carries a visible note in its
 * description and an "Inferred" badge (shown by Redoc on operations and schema properties), so
 * readers of the reference know what the provider did not document. Server descriptions, which
 * Redoc prints as plain text, get the note as plain text; the overview's "Servers" section shows
 * them as Markdown.
 */
export function markInferred(doc: Doc): Doc {
  const walk = (node: any, key?: string): any => {
    if (Array.isArray(node)) return key === 'servers' ? node.map(plainServer) : node.map((n) => walk(n));
    if (!node || typeof node !== 'object') return node;
    const out = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, k)]));
    if (node['x-inferred'] === true && !node.$ref) {
      out.description = node.description ? `${node.description}\n\n${inferredNote(node)}` : inferredNote(node);
      out['x-badges'] = [...(node['x-badges'] ?? []), INFERRED_BADGE];
    }
    return out;
  };
  return walk(doc);
}

/** A server whose description is plain text, with "Inferred: <reason>" when it is marked. */
function plainServer(server: any): any {
  if (!server || typeof server !== 'object') return server;
  const inferred = server['x-inferred'] === true ? `Inferred (not in the provider's docs): ${server['x-inferred-reason'] ?? ''}` : '';
  const description = plainText([server.description, inferred].filter(Boolean).join(' — '));
  return { ...server, ...(description ? { description } : {}) };
}

/** Counts of operations, webhooks, callbacks and inferred nodes of a spec. */
export function summarize(doc: Doc): { operations: number; webhooks: number; callbacks: number; inferred: number } {
  let inferred = 0;
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if ((node as Record<string, unknown>)['x-inferred'] === true) inferred++;
    Object.values(node).forEach(walk);
  };
  walk(doc);
  return { operations: operationsOf(doc).length, webhooks: webhooksOf(doc).length, callbacks: callbacksOf(doc).length, inferred };
}

const cell = (text: unknown) =>
  String(text ?? '')
    .replaceAll('|', '\\|')
    .replaceAll('\n', ' ');

/** How a security scheme is sent, in one line of Markdown. */
function howToSend(scheme: any): string {
  if (scheme.type === 'apiKey') return `API key in the ${scheme.in === 'header' ? 'header' : `${scheme.in} parameter`} \`${scheme.name}\``;
  if (scheme.type === 'http') return `HTTP \`${scheme.scheme}\` authentication (\`Authorization: ${scheme.scheme === 'basic' ? 'Basic' : 'Bearer'} …\`)`;
  if (scheme.type === 'oauth2') {
    const flows = Object.entries(scheme.flows ?? {}).map(([flow, f]: [string, any]) => `${flow}${f.tokenUrl ? ` (token URL \`${f.tokenUrl}\`)` : ''}`);
    return `OAuth 2.0: ${flows.join(', ')}`;
  }
  if (scheme.type === 'mutualTLS') return 'Mutual TLS';
  return scheme.type;
}

/** The header parameters of an operation that carry a signature (`X-Hub-Signature`, …). */
function signatureHeaders(doc: Doc, operation: any): string[] {
  return (operation.parameters ?? [])
    .map((p: unknown) => deref(doc, p))
    .filter((p: any) => p?.in === 'header' && /signature|hmac/i.test(p.name))
    .map((p: any) => p.name);
}

/**
 * How a webhook or callback delivery is secured, in one line of Markdown: its own security
 * requirements, else its signature header, else "unsigned". Never the API's auth: a delivery is
 * inbound, and a missing `security` on it means none (the global requirement is for calls we make).
 */
export function deliverySecurity(doc: Doc, operation: any): string {
  const schemes = (operation.security ?? []).flatMap((requirement: object) => Object.keys(requirement));
  if (schemes.length) {
    return `Secured with ${schemes.map((name: string) => `\`${name}\` (${howToSend(deref(doc, doc.components?.securitySchemes?.[name]) ?? { type: 'unknown' })})`).join(', or ')}.`;
  }
  const headers = signatureHeaders(doc, operation);
  if (headers.length)
    return `Signed: the provider sends ${headers.map((h) => `\`${h}\``).join(' and ')}; verify it against the raw body before trusting the payload.`;
  return 'Unsigned: the provider documents no signature or credential for this delivery.';
}

/** The short form of `deliverySecurity` for the overview table. */
function securityCell(doc: Doc, operation: any): string {
  const schemes = (operation.security ?? []).flatMap((requirement: object) => Object.keys(requirement));
  if (schemes.length) return schemes.map((name: string) => `\`${name}\``).join(' or ');
  const headers = signatureHeaders(doc, operation);
  return headers.length ? `signed (${headers.map((h) => `\`${h}\``).join(', ')})` : 'unsigned';
}

/** A delivery operation with its own (empty unless stated) security and a "Security" line. */
function secureDelivery(doc: Doc, operation: any): any {
  const line = `**Security:** ${deliverySecurity(doc, operation)}`;
  return { ...operation, security: operation.security ?? [], description: [line, operation.description?.trim()].filter(Boolean).join('\n\n') };
}

/** A path item (resolved) whose operations went through `secureDelivery`. */
function secureItem(doc: Doc, rawItem: unknown): any {
  const item = deref(doc, rawItem) ?? {};
  return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, isMethod(k) ? secureDelivery(doc, v) : v]));
}

/**
 * A copy of a spec where every webhook and callback shows its own security: `security: []` unless
 * the spec gives it one (so Redoc never shows the API's auth on an inbound delivery), and a
 * "Security" line naming its signature header, its scheme, or "unsigned".
 */
export function secureDeliveries(doc: Doc): Doc {
  const webhooks = doc.webhooks && Object.fromEntries(Object.entries(doc.webhooks as object).map(([name, item]) => [name, secureItem(doc, item)]));
  const secureOperation = (operation: any) =>
    operation.callbacks
      ? {
          ...operation,
          callbacks: Object.fromEntries(
            Object.entries(operation.callbacks).map(([name, raw]) => [
              name,
              Object.fromEntries(Object.entries(deref(doc, raw) ?? {}).map(([expression, item]) => [expression, secureItem(doc, item)])),
            ]),
          ),
        }
      : operation;
  const paths = Object.fromEntries(
    Object.entries(doc.paths ?? {}).map(([path, raw]) => {
      const item = deref(doc, raw) ?? {};
      return [path, Object.fromEntries(Object.entries(item).map(([k, v]) => [k, isMethod(k) ? secureOperation(v) : v]))];
    }),
  );
  return { ...doc, ...(doc.paths ? { paths } : {}), ...(webhooks ? { webhooks } : {}) };
}

/**
 * A copy of a spec whose overview links back to the index and lists the servers (as Markdown), the
 * security schemes (and which combinations operations accept by default), and every webhook and
 * callback with where it is delivered and how it is secured: Redoc shows none of these at a glance.
 */
export function describeOverview(doc: Doc): Doc {
  const sections = [`[← All providers (msgkit API reference)](${INDEX_HREF})`];
  const servers = doc.servers ?? [];
  if (servers.length) {
    const rows = servers.map((server: any) => {
      const inferred = server['x-inferred'] === true ? ` **Inferred** — ${server['x-inferred-reason'] ?? ''}` : '';
      return `| \`${cell(server.url)}\` | ${cell(`${server.description?.trim() ?? ''}${inferred}`.trim())} |`;
    });
    sections.push(['## Servers', '', '| URL | Description |', '| --- | --- |', ...rows].join('\n'));
  }
  const schemes = Object.entries(doc.components?.securitySchemes ?? {});
  if (schemes.length) {
    const rows = schemes.map(([name, raw]) => {
      const scheme = deref(doc, raw);
      const inferred = scheme['x-inferred'] === true ? ' **Inferred**' : '';
      return `| \`${name}\`${inferred} | ${cell(howToSend(scheme))} | ${cell(scheme.description?.trim())} |`;
    });
    const global = (doc.security ?? []).map(
      (requirement: object) =>
        Object.keys(requirement)
          .map((k) => `\`${k}\``)
          .join(' + ') || 'none',
    );
    sections.push(
      [
        '## Security schemes',
        '',
        '| Scheme | How to send it | Details |',
        '| --- | --- | --- |',
        ...rows,
        '',
        global.length ? `Unless an operation says otherwise, send one of: ${global.join(', or ')}.` : 'Operations say which scheme they need.',
        'Webhooks and callbacks are requests the provider sends to you: their security is listed with them.',
      ].join('\n'),
    );
  }
  const webhooks = webhooksOf(doc).map(
    ({ name, operation }) => `| \`${name}\` | webhook | the URL you configure | ${securityCell(doc, operation)} | ${cell(operation.summary)} |`,
  );
  const callbacks = callbacksOf(doc).map(
    ({ parent, name, expression, operation }) =>
      `| \`${operation.operationId ?? name}\` | callback \`${name}\` of \`${parent.operationId}\` | \`${cell(expression)}\` | ${securityCell(doc, operation)} | ${cell(operation.summary)} |`,
  );
  if (webhooks.length || callbacks.length) {
    sections.push(
      [
        '## Webhooks and callbacks',
        '',
        'Events the provider POSTs to you. Webhooks are listed in their own section below; callbacks under the operation that registers them.',
        '',
        '| Event | Kind | Delivered to | Security | Summary |',
        '| --- | --- | --- | --- | --- |',
        ...webhooks,
        ...callbacks,
      ].join('\n'),
    );
  }
  const [link, ...overview] = sections;
  const description = [link, doc.info?.description?.trim(), ...overview].filter(Boolean).join('\n\n');
  return { ...doc, info: { ...doc.info, description } };
}

/** Every tag name of a spec: declared, and used by operations and webhooks. */
function tagNames(doc: Doc): Set<string> {
  const used = [...operationsOf(doc), ...webhooksOf(doc)].flatMap(({ operation }) => operation.tags ?? []);
  return new Set([...(doc.tags ?? []).map((t: any) => t.name), ...used].map((name) => String(name).toLowerCase()));
}

/**
 * A copy of a spec whose overview headings (which Redoc lists in the sidebar beside the tags) never
 * repeat a tag's name or each other: such a heading becomes "About <heading>".
 */
export function uniqueHeadings(doc: Doc): Doc {
  const taken = tagNames(doc);
  const description = String(doc.info?.description ?? '').replace(/^(#{1,2})[ \t]+(.+?)[ \t]*$/gm, (_, hashes: string, text: string) => {
    const title = taken.has(text.toLowerCase()) ? `About ${text.charAt(0).toLowerCase()}${text.slice(1)}` : text;
    taken.add(title.toLowerCase());
    return `${hashes} ${title}`;
  });
  return doc.info?.description ? { ...doc, info: { ...doc.info, description } } : doc;
}

/** The logo at the top of every page's sidebar: it links back to the index. */
const INDEX_LOGO = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="220" height="28"><text x="0" y="20" font-family="sans-serif" font-size="16" fill="#1f2933">← msgkit API reference</text></svg>',
)}`;

/**
 * The spec as the reference shows it: the logo and the overview link back to the index, overview
 * sections added, deliveries with their own security, headings unique, inferred parts marked.
 */
export function prepareSpec(doc: Doc): Doc {
  const prepared = uniqueHeadings(describeOverview(secureDeliveries(doc)));
  const logo = { url: INDEX_LOGO, href: INDEX_HREF, altText: 'msgkit API reference: all providers' };
  return markInferred({ ...prepared, info: { ...prepared.info, 'x-logo': logo } });
}

/** A small inline stand-in for the Redocly logo, so the attribution stays without a CDN request. */
const LOGO = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="60" height="16"><text x="0" y="12" font-family="sans-serif" font-size="12" fill="#0044d4">Redocly</text></svg>',
)}`;

/**
 * Makes a Redoc page fully offline: the logo Redoc loads from its CDN becomes an inline image and
 * the icon CDN base becomes a same-origin path (our specs use no icons). Throws when a CDN
 * reference remains or telemetry is not disabled, so a Redocly upgrade cannot silently add a request.
 */
export function offline(html: string): string {
  const out = html
    .replaceAll('https://cdn.redoc.ly/redoc/logo-mini-full.svg', LOGO)
    .replaceAll('https://cdn.redoc.ly/redoc/logo-mini.svg', LOGO)
    .replaceAll('https://cdn.redocly.com/icons/', './redoc-icons/');
  const left = /https?:\/\/cdn\.redoc(ly\.com|\.ly)[^\s"'`)]*/.exec(out);
  if (left) throw new Error(`The Redoc page still loads ${left[0]}: extend offline() in packages/spec/src/docs.ts`);
  if (!out.includes('"disableTelemetry":true')) throw new Error('The Redoc page does not disable telemetry');
  return out;
}

const escapeHtml = (text: unknown) => String(text).replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/** A built provider page and what its spec holds. */
export interface Page {
  /** Provider name. */
  name: string;
  /** Provider display name. */
  title: string;
  /** Fixed mock port. */
  port: number;
  /** The written HTML file. */
  file: string;
  /** Number of operations under `paths`. */
  operations: number;
  /** Number of top-level webhooks. */
  webhooks: number;
  /** Number of callback deliveries. */
  callbacks: number;
  /** Number of `x-inferred` nodes. */
  inferred: number;
}

/** The index page: every provider with its counts, package and mock command, and how to install today. */
export function renderIndex(pages: Omit<Page, 'file'>[]): string {
  const rows = pages
    .map(
      (p) => `
      <tr>
        <td><a href="./${p.name}.html">${escapeHtml(p.title)}</a></td>
        <td class="n">${p.operations}</td><td class="n">${p.webhooks}</td><td class="n">${p.callbacks}</td><td class="n">${p.inferred}</td>
        <td><code>@msgkit/${p.name}</code></td>
        <td><code>npx -p @msgkit/cli msgkit mock ${p.name}</code><br>→ <code>http://127.0.0.1:${p.port}</code></td>
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
  pre code { padding: 0; background: none; }
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
<h2 id="install">Install</h2>
<p>The packages are <strong>not on the npm registry yet</strong>, and the unscoped npm package <code>msgkit</code> is
not ours: run the CLI as <code>npx -p @msgkit/cli msgkit …</code>, never <code>npx msgkit</code>. What works today:</p>
<p><strong>In a clone of the repository</strong> (Node ${escapeHtml(NODE_RANGE)}):</p>
<pre><code>npx -y pnpm@12.4.2 install &amp;&amp; npx -y pnpm@12.4.2 build
npx -y pnpm@12.4.2 mock ${first}                 # the ${first} mock; the docs: npx -y pnpm@12.4.2 start</code></pre>
<p><strong>From packed tarballs</strong>, in your own project. Pack <code>@msgkit/core</code> with the provider
packages, then install the tarballs together in one <code>npm install</code>, so that each package's
<code>@msgkit/core</code> dependency is the packed one (one tarball alone fails: npm looks for
<code>@msgkit/core@^0.0.0</code> on the registry):</p>
<pre><code># in the msgkit clone, after the build above
mkdir -p /tmp/msgkit
for p in core ${pages.map((p) => p.name).join(' ')} cli; do (cd packages/$p &amp;&amp; npx -y pnpm@12.4.2 pack --pack-destination /tmp/msgkit); done
# in your project: a client library (core + one provider) …
npm install /tmp/msgkit/msgkit-core-0.0.0.tgz /tmp/msgkit/msgkit-${first}-0.0.0.tgz
# … or everything, with the CLI (it needs every provider package)
npm install --save-dev /tmp/msgkit/*.tgz
npx -p @msgkit/cli msgkit mock ${first}</code></pre>
<p><strong>After the first release</strong> to npm: <code>npm install @msgkit/${first}</code> and
<code>npm install --save-dev @msgkit/cli</code>.</p>
<h2 id="mock">Work offline with the msgkit CLI</h2>
<pre><code>npx -p @msgkit/cli msgkit mock                      # every provider's mock on 127.0.0.1, ports as above
npx -p @msgkit/cli msgkit mock ${first} --dynamic        # responses generated from the schemas
npx -p @msgkit/cli msgkit mock --deliver --webhooks-to http://127.0.0.1:3000/hooks   # lifecycle webhooks after each send
npx -p @msgkit/cli msgkit webhooks list             # every webhook and callback event
npx -p @msgkit/cli msgkit webhooks trigger &lt;provider&gt; &lt;event&gt; --to http://127.0.0.1:3000/hooks
npx -p @msgkit/cli msgkit docs --serve              # this site on http://127.0.0.1:4000</code></pre>
</body>
</html>
`;
}

/** Runs `redocly build-docs` for one prepared spec. */
function buildPage(input: string, output: string, title: string, cwd: string): Promise<void> {
  const redocly = createRequire(import.meta.url).resolve('@redocly/cli/bin/cli.js');
  const args = [redocly, 'build-docs', input, '--output', output, '--inlineBundle', '--title', title, '--openapi', JSON.stringify(REDOC_OPTIONS)];
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      args,
      { cwd, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } },
      (error, stdout, stderr) => (error ? reject(new Error(`redocly build-docs failed for ${title}:\n${stdout}\n${stderr}`)) : resolve()),
    );
  });
}

/** What `buildSite` builds. */
export interface SiteOptions {
  /** Output folder. */
  out: string;
  /** The providers to build a page for, each with the path of its bundled spec. */
  providers: readonly { name: string; title: string; port: number; specPath: string }[];
}

/**
 * Builds the site into `out`: `<name>.html` per provider and `index.html`. Only those files are
 * written; nothing else in `out` is touched. Redocly runs in a scratch directory with telemetry off,
 * so no config of the caller's working directory leaks in.
 */
export async function buildSite({ out, providers }: SiteOptions): Promise<Page[]> {
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
