import type { WebhookProfile } from '@msgkit/core/webhooks';

/** What tools need to know about Olly's webhooks: unsigned, deduplicated by `guid` (the docs: "deduplicate by guid"). */
export const ollyProfile: WebhookProfile = {
  name: 'olly',
  scheme: 'unsigned',
  signatureHeader: null,
  eventIdFields: ['guid'],
};
