// 3. Size: esbuild bundles (minified, ESM, browser) of one-line consumers of each package's client and
// webhook entries, gzip-compressed, next to the official messente_api SDK and a bare openapi-fetch client.
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { builtEntry, createConsumerProject, packageDir, providers } from './workspace.mjs';

/**
 * Targets from issue 14 (point 4), min+gz in bytes (1 kB = 1000 B): every client entry ≤ 6.5 kB, except Volly's,
 * which carries OAuth client credentials (≤ 8 kB; its mTLS mode is the `@msgkit/volly/mtls` entry), and every
 * `/webhooks` entry ≤ 25 kB.
 */
export const SIZE_TARGETS = { client: 6500, webhooks: 25000, clientOf: { volly: 8000 } };

/** The client-entry target of a provider. */
export const clientTarget = (name) => SIZE_TARGETS.clientOf[name] ?? SIZE_TARGETS.client;

/** min+gz in bytes of each entry before issue 14's size work (measured at commit a4f8f2c), shown beside today's figure. */
export const SIZE_BEFORE = {
  olly: { client: 9169, webhooks: 6118 },
  ocelot: { client: 9249, webhooks: 5732 },
  messente: { client: 9194, webhooks: 7062 },
  amio: { client: 9285, webhooks: 10662 },
  volly: { client: 11736, webhooks: 17422 },
};

/** Bundles one consumer module; returns minified and gzipped sizes and the files it pulled in. */
async function bundle(dir, contents, external = []) {
  const result = await build({
    external,
    stdin: { contents, resolveDir: dir, sourcefile: 'consumer.js', loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  return { min: code.byteLength, gzip: gzipSync(code, { level: 9 }).byteLength, inputs: Object.keys(result.metafile.inputs), text: result.outputFiles[0].text };
}

/** True when a client bundle contains webhook code: a `webhooks` dist entry or compiled validator code. */
function pullsWebhooks(result) {
  return result.inputs.some((file) => /\/dist\/webhooks\.[cm]?js$|webhook-validators/.test(file)) || /instancePath/.test(result.text);
}

/** One row per provider entry, plus the references; each bundle is built once (esbuild output is deterministic). */
export async function bundleSizes() {
  const project = createConsumerProject();
  try {
    const rows = [];
    // The SDK's ApiClient requires Node's `querystring`; left external (a browser bundler would add a polyfill), so the SDK figure is a lower bound.
    const sdk = await bundle(project.dir, "export { ApiClient, Omnimessage, OmnimessageApi, SMS } from 'messente_api';", ['querystring']);
    for (const { name, factory, parser } of providers) {
      const row = { name };
      if (!builtEntry(name)) row.client = { reason: `not available yet (packages/${name}/dist/index.js is not built)` };
      else row.client = await bundleOrReason(project.dir, `export { ${factory} } from '@msgkit/${name}';`);
      if (!builtEntry(name, 'webhooks')) row.webhooks = { reason: `not available yet (packages/${name}/dist/webhooks.js is not built)` };
      else row.webhooks = await bundleOrReason(project.dir, `export { ${parser} } from '@msgkit/${name}/webhooks';`);
      if (row.client.gzip !== undefined) row.client.pullsWebhooks = pullsWebhooks(row.client);
      rows.push(row);
    }
    const bare = await bundle(project.dir, "export { default } from 'openapi-fetch';");
    return {
      rows,
      sdk: { min: sdk.min, gzip: sdk.gzip, consumer: 'ApiClient, Omnimessage, OmnimessageApi, SMS' },
      bare: { min: bare.min, gzip: bare.gzip, from: join(packageDir('core'), 'node_modules', 'openapi-fetch') },
    };
  } finally {
    project.remove();
  }
}

/** A bundle's sizes, or the build error (e.g. an export that does not exist yet) as the reason. */
async function bundleOrReason(dir, contents) {
  try {
    const { min, gzip, inputs, text } = await bundle(dir, contents);
    return { min, gzip, inputs, text, consumer: contents };
  } catch (error) {
    const first = error.errors?.[0]?.text ?? error.message;
    return { reason: `not available yet (esbuild: ${first})`, consumer: contents };
  }
}
