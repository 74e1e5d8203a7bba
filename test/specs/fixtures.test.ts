// Every JSON example saved from the providers' docs (test/fixtures/<provider>/) validates against
// the schema of the operation, response, webhook or callback it documents.
import { existsSync, readFileSync } from 'node:fs';
import { findProvider, hasSpec, loadSpec, providers } from '@msgkit/cli';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { resolver } from '../setup/specs.js';

interface Fixture {
  file: string;
  docLine: number;
  kind: 'request' | 'response' | 'webhook' | 'callback';
  operationId?: string;
  webhook?: string;
  callback?: string;
  status?: number;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];
const fixturesOf = (name: string) => new URL(`../fixtures/${name}/`, import.meta.url);
const withFixtures = providers.filter((p) => existsSync(new URL('fixtures.json', fixturesOf(p.name))));

/** Removes `discriminator.mapping`, which ajv refuses. */
function stripMappings(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(stripMappings);
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node).map(([k, v]) => [k, k === 'discriminator' ? { propertyName: (v as { propertyName: string }).propertyName } : stripMappings(v)]),
  );
}

describe.each(withFixtures.map((p) => [p.name]))('%s doc examples', (name) => {
  const available = hasSpec(findProvider(name));
  it(`has @msgkit/${name} with its bundled spec to check the examples against`, () => {
    expect(available, `test/fixtures/${name} exists but @msgkit/${name} (and its bundled spec) does not`).toBe(true);
  });
  if (!available) return;

  const doc = loadSpec(findProvider(name));
  const resolve = resolver(doc);
  const ajv = new Ajv2020({ strict: false, discriminator: true, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: 'spec', components: stripMappings(doc.components ?? {}) });
  const operations = Object.values(doc.paths ?? {}).flatMap((item: any) => METHODS.flatMap((m) => (item[m] ? [item[m]] : [])));

  /** The JSON schema a fixture documents, with `$ref`s pointing into the spec. */
  function schemaFor(f: Fixture): unknown {
    const media = (content: any) => resolve(content)?.content?.['application/json']?.schema;
    if (f.kind === 'request' || f.kind === 'response') {
      const op = operations.find((o: any) => o.operationId === f.operationId);
      if (!op) throw new Error(`${f.file}: no operation ${f.operationId}`);
      return f.kind === 'request' ? media(op.requestBody) : media(op.responses?.[String(f.status)]);
    }
    if (f.kind === 'webhook') return media(resolve(doc.webhooks?.[f.webhook ?? ''])?.post?.requestBody);
    for (const op of operations) {
      for (const [callbackName, callback] of Object.entries(op.callbacks ?? {})) {
        for (const item of Object.values(resolve(callback) as object)) {
          const post = resolve(item).post;
          if (f.callback === callbackName || f.callback === post?.operationId) return media(post.requestBody);
        }
      }
    }
    throw new Error(`${f.file}: no callback ${f.callback}`);
  }

  const rewrite = (node: unknown): unknown =>
    JSON.parse(JSON.stringify(node), (k, v) => (k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `spec${v}` : v));
  const fixtures: Fixture[] = JSON.parse(readFileSync(new URL('fixtures.json', fixturesOf(name)), 'utf8'));

  it.each(fixtures.map((f) => [`${f.file} (doc line ${f.docLine})`, f]))('%s matches the spec', (_, f) => {
    const schema = schemaFor(f);
    expect(schema, `${f.file} documents nothing with a JSON schema`).toBeDefined();
    const body = readFileSync(new URL(f.file, fixturesOf(name)), 'utf8');
    const validate = ajv.compile(rewrite(schema) as object);
    const valid = validate(JSON.parse(body));
    expect(validate.errors ?? [], f.file).toEqual([]);
    expect(valid).toBe(true);
  });
});
