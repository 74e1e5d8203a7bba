import type { WebhookProfile } from '@msgkit/core/webhooks';

/** What tools need to know about Ocelot's webhooks: unsigned; webhooks carry `eventId`, delivery statuses `messageUuid` in a `batchUuid` batch. */
export const ocelotProfile: WebhookProfile = {
  name: 'ocelot',
  scheme: 'unsigned',
  signatureHeader: null,
  eventIdFields: ['eventId', 'messageUuid', 'batchUuid'],
};
