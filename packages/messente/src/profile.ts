import type { WebhookProfile } from '@msgkit/core/webhooks';
import { signMessenteWebhook } from './webhooks.js';

/** Name of the header carrying the delivery report's HMAC-SHA256 signature. */
export const MESSENTE_SIGNATURE_HEADER = 'X-Messente-Signature';

/** What tools need to know about Messente's callbacks: HMAC-SHA256 signed; a report per `message_id`, `omnimessage_id` groups one send. */
export const messenteProfile: WebhookProfile<string> = {
  name: 'messente',
  scheme: `${MESSENTE_SIGNATURE_HEADER}: <hex HMAC-SHA256 of the body>`,
  signatureHeader: MESSENTE_SIGNATURE_HEADER,
  eventIdFields: ['message_id', 'omnimessage_id'],
  signing: { credential: 'secret', required: true, sign: async (body, secret) => ({ body, headers: await signMessenteWebhook(body, secret) }) },
};
