// Runs the scenario's Workers bundle in workerd through miniflare, started by the matrix with its Node 24
// (miniflare needs Node >= 22; Node 24 runs this TypeScript file as is).
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

// Arguments: the miniflare entry, the Worker bundle and the input JSON; the report is printed.
const [miniflareEntry, bundle, input] = process.argv.slice(2) as [string, string, string];
const { Miniflare } = await import(pathToFileURL(miniflareEntry).href);
const miniflare = new Miniflare({
  modules: true,
  script: readFileSync(bundle, 'utf8'),
  scriptPath: bundle,
  // No nodejs_compat flag: the packages must run on plain Workers APIs.
  compatibilityDate: '2026-07-01',
  // workerd itself connects to the test's server; loopback addresses only.
  outboundService: { network: { allow: ['local'] } },
});
try {
  const response = await miniflare.dispatchFetch('http://scenario.invalid/', { method: 'POST', body: input });
  console.log(await response.text());
} finally {
  await miniflare.dispose();
}
