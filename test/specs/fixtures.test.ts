// Every JSON example saved from the providers' docs (test/fixtures/<provider>/) validates against
// the schema of the operation, response, webhook or callback it documents. Webhook and callback
// payloads are checked as we receive them: constraints on `x-inferred` nodes are not enforced.
import { existsSync, readFileSync } from 'node:fs';
import { findProvider, hasSpec, loadSpec, providers } from '@msgkit/cli';
import { operationsOf } from '@msgkit/spec';
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
  /** Public URL of the docs page the example comes from. */
  source?: string;
}

const fixturesOf = (name: string) => new URL(`../fixtures/${name}/`, import.meta.url);
const withFixtures = providers.filter((p) => existsSync(new URL('fixtures.json', fixturesOf(p.name))));

/** Keywords whose constraint an `x-inferred` node does not enforce on received payloads (`type` and `const` stay). */
const INFERRED_CONSTRAINTS = [
  'format',
  'pattern',
  'enum',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'required',
];

/** A copy of the components in which every `x-inferred` node drops its inferred constraints, as a receiver applies them; a discriminator (a required property pinned with `const`) stays required. */
function received(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(received);
  if (!node || typeof node !== 'object') return node;
  const schema = node as Record<string, any>;
  const inferred = schema['x-inferred'] === true;
  const out = Object.fromEntries(
    Object.entries(schema)
      .filter(([k]) => !(inferred && INFERRED_CONSTRAINTS.includes(k)))
      .map(([k, v]) => [k, received(v)]),
  );
  const pinned = (Array.isArray(schema.required) ? schema.required : []).filter((name: string) => schema.properties?.[name]?.const !== undefined);
  if (inferred && pinned.length) out.required = pinned;
  return out;
}

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
  ajv.addSchema({ $id: 'received', components: received(stripMappings(doc.components ?? {})) });
  const operations = operationsOf(doc).map(({ operation }) => operation);

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

  const rewrite = (node: unknown, id: string): unknown =>
    JSON.parse(JSON.stringify(node), (k, v) => (k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `${id}${v}` : v));
  const fixtures: Fixture[] = JSON.parse(readFileSync(new URL('fixtures.json', fixturesOf(name)), 'utf8'));

  it.each(fixtures.map((f) => [`${f.file} (doc line ${f.docLine})`, f]))('%s matches the spec', (_, f) => {
    const schema = schemaFor(f);
    expect(schema, `${f.file} documents nothing with a JSON schema`).toBeDefined();
    const body = readFileSync(new URL(f.file, fixturesOf(name)), 'utf8');
    const asReceived = f.kind === 'webhook' || f.kind === 'callback';
    const validate = ajv.compile(asReceived ? (rewrite(received(schema), 'received') as object) : (rewrite(schema, 'spec') as object));
    const valid = validate(JSON.parse(body));
    expect(validate.errors ?? [], f.file).toEqual([]);
    expect(valid).toBe(true);
  });
});
