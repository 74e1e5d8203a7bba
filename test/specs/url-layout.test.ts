import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// Amio and Volly: the production URL layout (servers = bare origin, version prefix in paths), the
// webhooks' own security, and the doc request replay fixtures matching a documented operation.
const load = (path: string) => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8'));
const providers: [string, { origin: string; unversioned: string[] }][] = [
  ['amio', { origin: 'https://api.amio.io', unversioned: [] }],
  ['volly', { origin: 'https://api.vollyma.com', unversioned: ['/oauth/token'] }],
];

/** The spec path template that matches a concrete pathname, if any. */
function matchPath(paths: Record<string, unknown>, pathname: string): string | undefined {
  const exact = Object.keys(paths).find((p) => p === pathname);
  if (exact) return exact;
  return Object.keys(paths).find((p) => new RegExp(`^${p.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(pathname));
}

describe.each(providers)('%s', (name, { origin, unversioned }) => {
  const spec = load(`../../packages/${name}/src/generated/openapi.json`);
  const requests: { docLine: number; source: string; method: string; url: string; status: number }[] = load(`../fixtures/${name}/requests.json`);

  it('serves the bare production origin, with /v1 in every path', () => {
    expect(spec.servers.map((s: { url: string }) => s.url)).toEqual([origin]);
    expect(Object.keys(spec.paths).filter((p) => !p.startsWith('/v1/') && !unversioned.includes(p))).toEqual([]);
    expect(Object.values(spec.paths).filter((item) => (item as { servers?: unknown }).servers)).toEqual([]);
  });

  it('gives every webhook its own security instead of the API credentials', () => {
    const webhooks = Object.entries(spec.webhooks as Record<string, { post: { security?: unknown } }>);
    expect(webhooks.filter(([, w]) => !Array.isArray(w.post.security)).map(([n]) => n)).toEqual([]);
  });

  it('cites public doc URLs, never internal file names', () => {
    expect(JSON.stringify(spec)).not.toMatch(/seeds?\b|amio\.txt|volly\.txt|INVENTORY|scrape/i);
  });

  it.each(requests.map((r) => [`${r.method} ${r.url} (docs line ${r.docLine})`, r] as const))('replays %s on a documented operation', (_, r) => {
    const url = new URL(r.url);
    expect(url.origin).toBe(origin);
    expect(r.source).toMatch(/^https:\/\/(docs\.amio\.io\/reference|api\.vollyma\.com\/)/);
    const path = matchPath(spec.paths, url.pathname);
    expect(path, `no spec path for ${url.pathname}`).toBeDefined();
    const operation = spec.paths[path as string][r.method.toLowerCase()];
    expect(operation, `${r.method} ${path} is not in the spec`).toBeDefined();
    expect(Object.keys(operation.responses)).toContain(String(r.status));
  });
});

describe('volly security schemes', () => {
  it('declares the mutual-TLS scheme of its mTLS mode', () => {
    expect(load('../../packages/volly/src/generated/openapi.json').components.securitySchemes.mtls.type).toBe('mutualTLS');
  });
});

describe('amio platform-specific rules', () => {
  const schemas = load('../../packages/amio/src/generated/openapi.json').components.schemas;
  it.each([
    ['metadata reserves no key on every platform', { given: schemas.MessageMetadata.properties, want: undefined }],
    [
      "Facebook Messenger's reserved metadata keys",
      { given: Object.keys(schemas.FacebookMessengerMetadata.properties), want: ['platform_metadata', 'tag', 'type'] },
    ],
    ['the content-type list is marked an inference', { given: schemas.MessageContent['x-inferred'], want: true }],
  ])('%s', (_, { given, want }) => {
    expect(given).toEqual(want);
  });
});
