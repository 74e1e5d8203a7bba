import type { WebhookProfile } from '@msgkit/core/webhooks';
import { signAmioWebhook } from './webhooks.js';

/** The header Amio signs every webhook with: `sha1=<hex HMAC-SHA1 of the raw body>`. */
export const AMIO_SIGNATURE_HEADER = 'X-Hub-Signature';

/** What tools need to know about Amio's webhooks: HMAC-SHA1 signed, no event id (a new `timestamp` and message ids make a new event). */
export const amioProfile: WebhookProfile<string> = {
  name: 'amio',
  scheme: `${AMIO_SIGNATURE_HEADER}: sha1=<hex HMAC-SHA1 of the body>`,
  signatureHeader: AMIO_SIGNATURE_HEADER,
  eventIdFields: ['timestamp', 'data.id', 'data.message.id', 'data.messages[].id'],
  signing: { credential: 'secret', required: true, sign: async (body, secret) => ({ body, headers: await signAmioWebhook(body, secret) }) },
};
