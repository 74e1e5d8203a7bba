import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const specsDir = fileURLToPath(new URL('../../specs/', import.meta.url));
const yamlFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? yamlFiles(join(dir, entry.name)) : entry.name.endsWith('.yaml') ? [join(dir, entry.name)] : [],
  );

/** Every node of a document with its JSON pointer. */
function* nodes(node: unknown, pointer = ''): Generator<[string, Record<string, unknown>]> {
  if (!node || typeof node !== 'object') return;
  if (!Array.isArray(node)) yield [pointer, node as Record<string, unknown>];
  for (const [key, value] of Object.entries(node)) yield* nodes(value, `${pointer}/${key}`);
}

describe.each(yamlFiles(specsDir).map((file) => [relative(specsDir, file), file]))('%s', (_, file) => {
  const doc = parse(readFileSync(file, 'utf8'));

  it('gives a one-line reason for every x-inferred mark', () => {
    const problems = [...nodes(doc)].flatMap(([pointer, node]) => {
      const marked = node['x-inferred'] !== undefined;
      const reason = node['x-inferred-reason'];
      if (marked && node['x-inferred'] !== true) return [`${pointer}: x-inferred must be true`];
      if (marked && (typeof reason !== 'string' || reason.trim() === '' || reason.includes('\n')))
        return [`${pointer}: x-inferred needs a one-line x-inferred-reason`];
      if (!marked && reason !== undefined) return [`${pointer}: x-inferred-reason without x-inferred: true`];
      return [];
    });
    expect(problems).toEqual([]);
  });

  it('uses OpenAPI 3.1 nullability, not nullable: true', () => {
    expect([...nodes(doc)].filter(([, node]) => 'nullable' in node).map(([p]) => p)).toEqual([]);
  });
});
