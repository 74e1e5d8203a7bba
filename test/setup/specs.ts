import { isPlaceholder, loadSpec, providers } from '@msgkit/cli';
import { deref, operationsOf } from '@msgkit/spec';
import { expect, inject } from 'vitest';

/** The bundled spec of a provider. */
export const spec = (name: string) => loadSpec(providers.find((p) => p.name === name) ?? { name, title: name, port: 0, factory: '', parser: '' });

/** Every `operationId` under `paths` (webhooks and callbacks excluded). */
export function pathOperationIds(name: string): string[] {
  const doc = spec(name);
  return operationsOf(doc).flatMap(({ operation }) => (operation.operationId ? [operation.operationId as string] : []));
}

/** A function that follows internal `$ref`s of a bundled spec until it reaches a non-reference node. */
export function resolver(doc: Record<string, any>) {
  return (node: any): any => deref(doc, node);
}

/** Keys of an error body that carry its human text, which the mock replaces with the real problem (packages/cli violations.ts). */
const TEXT_KEYS = ['detail', 'message', 'error', 'description', 'error_description'];
const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** A success example as the mock serves it: a placeholder (`...`, `string`, lorem ipsum) becomes some realistic string. */
function served(example: unknown): unknown {
  if (isPlaceholder(example)) return expect.not.stringMatching(/^(?:\.\.\.|string|\{\{.*\}\})$|lorem ipsum/i);
  if (Array.isArray(example)) return example.map(served);
  return isObject(example) ? Object.fromEntries(Object.entries(example).map(([key, value]) => [key, served(value)])) : example;
}

/** An error example as the mock serves it: its shape and codes, with the text (and Amio's `field`) naming the real problem. */
function servedError(example: unknown): unknown {
  if (typeof example === 'string') return expect.any(String);
  if (!isObject(example)) return example;
  const entry = (item: unknown) =>
    isObject(item) ? expect.objectContaining(Object.fromEntries(Object.entries(item).filter(([key]) => !TEXT_KEYS.includes(key) && key !== 'field'))) : item;
  return Object.fromEntries(
    Object.entries(example).map(([key, value]) => [
      key,
      key === 'errors' && Array.isArray(value)
        ? expect.arrayContaining([entry(value[0])])
        : TEXT_KEYS.includes(key) && typeof value === 'string'
          ? expect.any(String)
          : value,
    ]),
  );
}

/**
 * The example of an operation's response for a status, as `msgkit mock` answers it: Prism's example,
 * with realistic values for placeholders and, for a 4xx, the real problem as the text.
 */
export function responseExample(name: string, operationId: string, status: string): unknown {
  const example = documentedExample(name, operationId, status);
  return status.startsWith('4') ? servedError(example) : served(example);
}

/** The example of an operation's response for a status, as the spec documents it. */
export function documentedExample(name: string, operationId: string, status: string): unknown {
  const doc = spec(name);
  const resolve = resolver(doc);
  for (const { operation } of operationsOf(doc)) {
    if (operation.operationId !== operationId) continue;
    const media = resolve(operation.responses?.[status])?.content?.['application/json'];
    return media?.example ?? Object.values(media?.examples ?? {}).map((e: any) => resolve(e).value)[0];
  }
  throw new Error(`No operation ${operationId} in ${name}`);
}

/** URL of a provider's Prism mock, started by the global setup. */
export function mockUrl(name: string): string {
  const url = inject('mockUrls')[name];
  if (!url) throw new Error(`No mock is running for ${name}`);
  return url;
}
