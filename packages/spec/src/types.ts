import openapiTS, { astToString } from 'openapi-typescript';
import type { Group } from './events.js';
import type { Doc } from './ref.js';

const schemaType = (name: string) => `components["schemas"][${JSON.stringify(name)}]`;

const jsdoc = (text: string) => `/** ${text.replaceAll('*/', '*\\/')} */`;

/**
 * TypeScript types for a bundled spec (module source without header): openapi-typescript's `paths`,
 * `components`, `webhooks`, `operations`, plus what it drops or leaves hard to reach: callback
 * payloads and a union of webhook events.
 */
export async function generateTypes(doc: Doc, events: { webhooks: Group | null; callbacks: Group[] }): Promise<string> {
  // defaultNonNullable: false, so a request property with a `default` stays optional (openapi-typescript makes it required otherwise).
  const ast = await openapiTS(structuredClone(doc) as any, { alphabetize: false, defaultNonNullable: false });
  const lines = [astToString(ast).trimEnd(), ''];

  const webhookEvents = events.webhooks?.events ?? [];
  lines.push(jsdoc('Payload of every webhook event, by event name (one item of a batch for batched events).'));
  lines.push('export interface webhookPayloads {');
  for (const event of webhookEvents) {
    lines.push(`  ${jsdoc(event.summary)}`, `  ${JSON.stringify(event.name)}: ${schemaType(event.typeName)};`);
  }
  lines.push('}', '');
  lines.push(jsdoc('Any webhook event, discriminated by its event-type property.'));
  lines.push(`export type WebhookEvent = ${webhookEvents.length ? 'webhookPayloads[keyof webhookPayloads]' : 'never'};`, '');

  lines.push(
    jsdoc(
      'Payload of every callback (one item of a batch), keyed `<operationId>.<callbackName>`. openapi-typescript drops callbacks, so they are generated here.',
    ),
  );
  lines.push('export interface callbacks {');
  for (const group of events.callbacks) {
    const union = [...new Set(group.events.map((e) => schemaType(e.typeName)))].join(' | ');
    lines.push(`  ${jsdoc(group.events.map((e) => e.summary).join('; '))}`, `  ${JSON.stringify(group.name)}: ${union};`);
  }
  lines.push('}', '');
  return lines.join('\n');
}
