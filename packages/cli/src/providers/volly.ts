import { randomBytes } from 'node:crypto';
import { vollyProfile } from '@msgkit/volly/webhooks';
import { called, digits, isObject, now } from './kit.js';
import type { ProviderRules } from './rules.js';

/** volly: its webhook profile and what its mock delivers after a send. */
export const volly: ProviderRules = {
  profile: vollyProfile,
  lifecycle: {
    describe: '{sendDirectMessage} → email.queued, email.delivered',
    lifecycle(x, example) {
      if (!called(x, 'sendDirectMessage') || !isObject(x.requestBody)) return undefined;
      const request = x.requestBody;
      const queued = example('email.queued');
      const lead = {
        id: randomBytes(16).toString('hex'),
        ...(isObject(request.lead) ? { external: { id: String(request.lead.id), source: String(request.lead.source) } } : {}),
      };
      const email = digits(12);
      return {
        key: 'account',
        events: [
          { name: 'email.queued', payload: { ...queued, at: now(), email, message: request.message ?? queued.message, lead } },
          { name: 'email.delivered', payload: { ...example('email.delivered'), at: now(), email, lead } },
        ],
      };
    },
  },
};
