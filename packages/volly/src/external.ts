import { MsgkitError } from '@msgkit/core';
import type { components } from './generated/schema.js';

/** The `external` lookup of `GET /leads`: the `source` and `id` the lead was created with. */
export type LeadExternalQuery = components['schemas']['LeadExternalQuery'];

/**
 * Serialises `{ source, id }` into the JSON text of the `external` query parameter of `GET /leads`;
 * the client percent-encodes it. Example:
 * `client.GET('/v1/leads', { params: { query: { external: leadExternal({ source: 'crm', id: '12' }) } } })`.
 * @throws {MsgkitError} when `source` is not a string, `id` is not a string or number, or other keys are given.
 */
export function leadExternal(external: LeadExternalQuery): string {
  if (external === null || typeof external !== 'object') throw new MsgkitError('external must be an object { source, id }');
  const { source, id, ...rest } = external;
  const extra = Object.keys(rest);
  if (extra.length > 0) throw new MsgkitError(`external takes only source and id, got also ${extra.join(', ')}`);
  if (typeof source !== 'string' || source === '') throw new MsgkitError('external.source must be a non-empty string');
  if ((typeof id !== 'string' || id === '') && (typeof id !== 'number' || !Number.isFinite(id))) {
    throw new MsgkitError('external.id must be a non-empty string or a finite number');
  }
  return JSON.stringify({ source, id });
}
