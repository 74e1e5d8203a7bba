import { type Doc, isMethod } from '@msgkit/spec';

/** One operation of a spec, found by method and request path. */
export interface FoundOperation {
  /** The path template, e.g. `/v1/omnimessage/{omnimessageId}`. */
  template: string;
  /** Lower-case method. */
  method: string;
  /** The operation object. */
  operation: Record<string, any>;
  /** Path parameters by name, decoded. */
  params: Record<string, string>;
}

/** `/a/{id}/b` → a RegExp matching one path segment per parameter, captured by name. */
function templatePattern(template: string): RegExp {
  const escaped = template.split(/\{[^}]+\}/).map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.map((part, i) => (i === 0 ? part : `(?<p${i - 1}>[^/]+)${part}`)).join('')}/?$`);
}

/** Path parameters of `path` under `template`, by name. */
function paramsOf(template: string, path: string): Record<string, string> {
  const names = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? '');
  const groups = templatePattern(template).exec(path)?.groups ?? {};
  return Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(groups[`p${i}`] ?? '')]));
}

/** The spec operation a request goes to, as Prism routes it (a literal template wins over a templated one); undefined when none. */
export function findOperation(doc: Doc, method: string, path: string): FoundOperation | undefined {
  const wanted = method.toLowerCase();
  if (!isMethod(wanted)) return undefined;
  const matches = Object.entries(doc.paths ?? {})
    .filter(([template, item]) => (item as Doc)?.[wanted] && templatePattern(template).test(path))
    .sort(([a], [b]) => (a.match(/\{/g)?.length ?? 0) - (b.match(/\{/g)?.length ?? 0));
  const [template, item] = matches[0] ?? [];
  return template === undefined ? undefined : { template, method: wanted, operation: (item as Doc)[wanted], params: paramsOf(template, path) };
}
