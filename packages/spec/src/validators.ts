import Ajv2020Module from 'ajv/dist/2020.js';
import standaloneModule from 'ajv/dist/standalone/index.js';
import addFormatsModule from 'ajv-formats';
import type { Event, Group } from './events.js';
import type { Doc } from './ref.js';

// ajv and ajv-formats are CommonJS: their default export sits under `.default` when imported from ESM.
const Ajv2020 = (Ajv2020Module as unknown as { default: typeof Ajv2020Module }).default;
const standaloneCode = (standaloneModule as unknown as { default: typeof standaloneModule }).default;
const addFormats = (addFormatsModule as unknown as { default: typeof addFormatsModule }).default;

/** Keywords that only annotate: dropped before compiling so the validators stay small. */
const ANNOTATIONS = new Set(['description', 'title', 'example', 'examples', 'externalDocs', 'xml', 'deprecated', 'readOnly', 'writeOnly', '$comment']);
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'dependentSchemas']);
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
const SCHEMA_VALUES = new Set([
  'items',
  'not',
  'if',
  'then',
  'else',
  'additionalProperties',
  'propertyNames',
  'contains',
  'unevaluatedItems',
  'unevaluatedProperties',
]);

/**
 * Constraint keywords of an `x-inferred` node that received payloads are not held to (contract 6: the docs do not
 * state them). `type`, `properties`, `items`, `allOf` and `$ref` stay: they are the documented structure.
 */
const INFERRED_CONSTRAINTS = new Set([
  'format',
  'pattern',
  'enum',
  'const',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minContains',
  'maxContains',
  'contains',
  'minProperties',
  'maxProperties',
  'propertyNames',
  'oneOf',
  'anyOf',
  'not',
  'if',
  'then',
  'else',
  'required',
  'dependentRequired',
  'dependentSchemas',
  'discriminator',
]);

/** What the compiler reads of an event group. */
export type ValidatorGroup = Pick<Group, 'name' | 'discriminator'> & { events: Pick<Event, 'name' | 'schemaRef' | 'batched'>[] };

/** How `clean` transforms a schema. */
export interface CleanMode {
  /** Received payloads: inferred constraints and closed objects are not enforced. */
  lenient: boolean;
  /** Names of the event discriminator properties, whose const/enum always stays. */
  discriminators: Set<string>;
}

/**
 * A copy of a schema with annotations, `x-` keys and `discriminator.mapping` (ajv refuses it) removed.
 * `lenient` (received payloads): constraints of `x-inferred` nodes dropped (but the event discriminator's
 * const/enum), `additionalProperties: false` / `unevaluatedProperties: false` never enforced, `oneOf` read as `anyOf`.
 * `pinned` is true for the discriminator property's own schema.
 */
export function clean(schema: any, mode: CleanMode, pinned = false): any {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return schema;
  const inferred = mode.lenient && schema['x-inferred'] === true;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema as Record<string, any>)) {
    if (ANNOTATIONS.has(key) || key.startsWith('x-')) continue;
    if (inferred && INFERRED_CONSTRAINTS.has(key) && !(pinned && (key === 'const' || key === 'enum'))) continue;
    if (mode.lenient && (key === 'additionalProperties' || key === 'unevaluatedProperties') && value === false) continue;
    // Received payloads: `oneOf` becomes `anyOf`, as branches that were told apart only by closed objects may now
    // overlap; ajv's `discriminator` needs `oneOf` and is only a shortcut, so it goes too.
    if (mode.lenient && key === 'discriminator') continue;
    if (mode.lenient && key === 'oneOf') out.anyOf = value.map((v: unknown) => clean(v, mode, pinned));
    else if (key === 'discriminator') out[key] = { propertyName: value.propertyName };
    else if (key === 'properties') out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clean(v, mode, mode.discriminators.has(k))]));
    else if (SCHEMA_MAPS.has(key)) out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clean(v, mode)]));
    else if (SCHEMA_LISTS.has(key)) out[key] = value.map((v: unknown) => clean(v, mode, pinned));
    else if (SCHEMA_VALUES.has(key)) out[key] = clean(value, mode);
    else out[key] = value;
  }
  return out;
}

/** Runtime helpers the standalone code requires, mapped to the names `@msgkit/core/webhooks` exports. */
const RUNTIME: [RegExp, string][] = [
  [/require\("ajv\/dist\/runtime\/ucs2length"\)\.default/g, 'validatorRuntime.ucs2length'],
  [/require\("ajv\/dist\/runtime\/equal"\)\.default/g, 'validatorRuntime.equal'],
  [/require\("ajv-formats\/dist\/formats"\)\.fullFormats/g, 'validatorRuntime.formats'],
];

/**
 * Compiles one standalone validator per event into plain ES module code, with no schema
 * compilation at run time. The validators check RECEIVED payloads, so they are lenient (contract 6):
 * what the spec marks `x-inferred` is not enforced, nor `additionalProperties: false`; documented
 * types and required fields are. Requests and the mocks use the spec itself, strict. Returns the module
 * source (without header).
 */
export function compileValidators(doc: Doc, groups: ValidatorGroup[]): string {
  const discriminators = new Set(groups.flatMap((group) => (group.discriminator ? [group.discriminator.property] : [])));
  const mode: CleanMode = { lenient: true, discriminators };
  const schemas = Object.fromEntries(Object.entries(doc.components?.schemas ?? {}).map(([k, v]) => [k, clean(v, mode)]));
  const ajv = new Ajv2020({
    strictTypes: false,
    discriminator: true,
    allErrors: false,
    code: { source: true, esm: true, lines: false, optimize: true },
  });
  addFormats(ajv);
  ajv.addVocabulary(['components']);
  ajv.addSchema({ $id: 'spec', components: { schemas } });

  const refs: Record<string, string> = {};
  const ids = new Map<string, string>();
  for (const group of groups) {
    for (const event of group.events) {
      if (!ids.has(event.schemaRef)) {
        const id = `v${ids.size}`;
        ids.set(event.schemaRef, id);
        refs[id] = `spec${event.schemaRef}`;
      }
    }
  }
  let code = standaloneCode(ajv, refs).replace(/^"use strict";/, '');
  for (const [pattern, replacement] of RUNTIME) code = code.replace(pattern, replacement);
  const leftover = code.match(/require\([^)]*\)/);
  if (leftover) throw new Error(`Unsupported runtime dependency in compiled validator: ${leftover[0]}`);

  const groupCode = (group: ValidatorGroup) => {
    const events = group.events.map((event) => {
      const values = group.discriminator ? group.discriminator.values[event.name] : [];
      return `    { name: ${JSON.stringify(event.name)}, values: ${JSON.stringify(values)}, batched: ${event.batched}, validate: ${ids.get(event.schemaRef)} },`;
    });
    return `{\n  name: ${JSON.stringify(group.name)},\n  discriminator: ${JSON.stringify(group.discriminator?.property ?? null)},\n  events: [\n${events.join('\n')}\n  ],\n}`;
  };
  return [
    "import { validatorRuntime } from '@msgkit/core/webhooks';",
    '',
    code,
    '',
    ...groups.map((group) => `export const ${group.name === 'webhooks' ? 'webhookGroup' : identifier(group.name)} = ${groupCode(group)};`),
    '',
  ].join('\n');
}

/** `sendSms.smsStatus` → `sendSmsSmsStatusCallbackGroup` */
export function identifier(groupName: string): string {
  const camel = groupName.replace(/[^A-Za-z0-9]+(.)?/g, (_, c?: string) => (c ? c.toUpperCase() : ''));
  return `${camel}CallbackGroup`;
}
