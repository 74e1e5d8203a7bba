import type { WebhookProfile } from '@msgkit/core/webhooks';
import type { VollyMtlsOptions } from './jwt.js';
import { sealVollyWebhook } from './webhooks.js';

/** What tools need to know about Volly's webhooks: plain JSON, or sealed into `{"jwt": ...}` for mTLS accounts; no event id (`at` and `email`). */
export const vollyProfile: WebhookProfile<VollyMtlsOptions> = {
  name: 'volly',
  scheme: 'plain JSON; mTLS accounts: {"jwt": <signed, then encrypted>}',
  signatureHeader: null,
  eventIdFields: ['at', 'email'],
  signing: { credential: 'jwt-keys', required: false, sign: async (body, keys) => ({ body: await sealVollyWebhook(body, keys), headers: {} }) },
};
