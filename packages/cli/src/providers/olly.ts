import { randomUUID } from 'node:crypto';
import { ollyProfile } from '@msgkit/olly/webhooks';
import { called, isObject } from './kit.js';
import type { ProviderRules } from './rules.js';

/** olly: its webhook profile and what its mock delivers after a send. */
export const olly: ProviderRules = {
  profile: ollyProfile,
  lifecycle: {
    describe: '{sendMessage} → OutgoingMessageStatus QUEUED, SENT, DELIVERED to the {updateWebhook} URL',
    register: (x) =>
      called(x, 'updateWebhook') && isObject(x.requestBody) && typeof x.requestBody.url === 'string' ? { key: 'account', url: x.requestBody.url } : undefined,
    lifecycle(x, example) {
      if (!called(x, 'sendMessage') || !isObject(x.requestBody)) return undefined;
      const { number, provider_number, group_id } = x.requestBody;
      const guid = randomUUID();
      const status = (value: string) => ({
        ...example('OutgoingMessageStatus'),
        guid,
        number,
        provider_number,
        group_id: group_id ?? null,
        error: 0,
        status: value,
      });
      return {
        key: 'account',
        events: ['QUEUED', 'SENT', 'DELIVERED'].map((value) => ({ name: 'OutgoingMessageStatus', payload: status(value) })),
      };
    },
  },
};
