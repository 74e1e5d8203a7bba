import { loadSpec, providers } from '@msgkit/cli';
import { inject } from 'vitest';
import { deref } from '../../scripts/lib/events.mjs';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;

/** The bundled spec of a provider. */
export const spec = (name: string) => loadSpec(providers.find((p) => p.name === name) ?? { name, title: name, port: 0, factory: '', parser: '' });

/** Every `operationId` under `paths` (webhooks and callbacks excluded). */
export function pathOperationIds(name: string): string[] {
  const doc = spec(name);
  return Object.values(doc.paths ?? {}).flatMap((item: any) => METHODS.flatMap((m) => (item[m]?.operationId ? [item[m].operationId as string] : [])));
}

/** A function that follows internal `$ref`s of a bundled spec until it reaches a non-reference node. */
export function resolver(doc: Record<string, any>) {
  return (node: any): any => deref(doc, node);
}

/** The example of an operation's response for a status, as Prism answers it. */
export function responseExample(name: string, operationId: string, status: string): unknown {
  const doc = spec(name);
  const resolve = resolver(doc);
  for (const item of Object.values(doc.paths ?? {}) as any[]) {
    for (const m of METHODS) {
      if (item[m]?.operationId !== operationId) continue;
      const media = resolve(item[m].responses?.[status])?.content?.['application/json'];
      return media?.example ?? Object.values(media?.examples ?? {}).map((e: any) => resolve(e).value)[0];
    }
  }
  throw new Error(`No operation ${operationId} in ${name}`);
}

/** URL of a provider's Prism mock, started by the global setup. */
export function mockUrl(name: string): string {
  const url = inject('mockUrls')[name];
  if (!url) throw new Error(`No mock is running for ${name}`);
  return url;
}
