// The discriminator finding: the property every event of a group pins to distinct values.
import { type Doc, deref } from './ref.js';

/** The property that tells a group's events apart, and the values each event (by name) pins it to. */
export interface Discriminator {
  /** Property name, e.g. `event` or `type`. */
  property: string;
  /** Values each event pins the property to, by event name. */
  values: Record<string, unknown[]>;
}

/**
 * Values a schema allows for a property when it is required and pinned by const/enum, else null.
 * A oneOf/anyOf schema pins the union of its branches' values when every branch pins the property.
 */
export function pinnedValues(doc: Doc, schemaRef: string, property: string): unknown[] | null {
  const schema = deref(doc, { $ref: schemaRef });
  const union: any[] | undefined = schema.oneOf ?? schema.anyOf;
  if (union) {
    const values = union.map((branch) => (branch.$ref ? pinnedValues(doc, branch.$ref, property) : null));
    return values.every(Boolean) ? values.flatMap((v) => v ?? []) : null;
  }
  const branches: any[] = schema.allOf ? schema.allOf.map((s: unknown) => deref(doc, s)) : [schema];
  for (const branch of branches) {
    const prop = deref(doc, branch.properties?.[property]);
    if (!prop || !branch.required?.includes(property)) continue;
    if (prop.const !== undefined) return [prop.const];
    if (Array.isArray(prop.enum)) return prop.enum;
  }
  return null;
}

/** Property names a schema (or the first branch of its oneOf/anyOf, or all parts of its allOf) declares. */
function propertyNames(doc: Doc, schemaRef: string): string[] {
  const schema = deref(doc, { $ref: schemaRef });
  const first = (schema.oneOf ?? schema.anyOf)?.[0];
  if (first?.$ref) return propertyNames(doc, first.$ref);
  const parts: any[] = schema.allOf ? schema.allOf.map((s: unknown) => deref(doc, s)) : [schema];
  return parts.flatMap((part) => Object.keys(part.properties ?? {}));
}

/**
 * The property every event of a group pins to distinct values, or null for a single-event group.
 * Throws (naming `where`) when a group of several events has none.
 */
export function findDiscriminator(doc: Doc, events: { name: string; schemaRef: string }[], where: string): Discriminator | null {
  if (events.length <= 1) return null;
  const [first] = events;
  for (const property of first ? propertyNames(doc, first.schemaRef) : []) {
    const values = events.map((e) => pinnedValues(doc, e.schemaRef, property));
    if (!values.every(Boolean)) continue;
    const flat = values.flatMap((v) => v ?? []);
    if (new Set(flat).size === flat.length) {
      return { property, values: Object.fromEntries(events.map((e, i) => [e.name, values[i] ?? []])) };
    }
  }
  throw new Error(`${where}: events must share a required property pinned by const/enum to distinct values`);
}
