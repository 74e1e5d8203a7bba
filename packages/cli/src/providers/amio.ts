import { amioProfile } from '@msgkit/amio/webhooks';
import type { Registration } from '../lifecycle.js';
import { called, digits, isObject, now } from './kit.js';
import type { ProviderRules } from './rules.js';

/** The parts of an Amio send request's contact that a webhook's contact summary has. */
function contactSummary(contact: unknown): Record<string, string> {
  if (!isObject(contact)) return {};
  return Object.fromEntries(['id', 'phone_number', 'user_ref'].filter((k) => typeof contact[k] === 'string').map((k) => [k, contact[k]]));
}

/** Amio channel webhook settings from a create or update request. */
function amioWebhook(key: string | undefined, body: unknown): Registration | undefined {
  const webhook = isObject(body) ? body.webhook : undefined;
  if (!key || !isObject(webhook) || typeof webhook.url !== 'string') return undefined;
  return { key, url: webhook.url, secret: typeof webhook.secret === 'string' ? webhook.secret : undefined };
}

/** amio: its webhook profile and what its mock delivers after a send. */
export const amio: ProviderRules = {
  profile: amioProfile,
  lifecycle: {
    describe: "{sendMessage} → message_echo, messages_delivered to the channel's webhook.url, signed with its secret",
    register(x) {
      if (called(x, 'createChannel')) return amioWebhook(isObject(x.responseBody) ? x.responseBody.id : undefined, x.requestBody);
      const id = x.pathParams?.channel_id;
      return called(x, 'updateChannel') && id ? amioWebhook(id, x.requestBody) : undefined;
    },
    lifecycle(x, example) {
      if (!called(x, 'sendMessage') || !isObject(x.requestBody) || !isObject(x.requestBody.channel)) return undefined;
      const request = x.requestBody;
      const response = isObject(x.responseBody) ? x.responseBody : {};
      const echo = example('MessageEcho');
      const channel = { ...(isObject(response.channel) ? response.channel : echo.data?.channel), id: request.channel.id };
      const contact = contactSummary(request.contact);
      const id = typeof response.id === 'string' ? response.id : digits(19);
      const data = { id, channel, contact, content: request.content, ...(request.metadata === undefined ? {} : { metadata: request.metadata }) };
      const delivered = example('MessagesDelivered');
      return {
        key: String(request.channel.id),
        events: [
          { name: 'MessageEcho', payload: { ...echo, timestamp: now(), data } },
          {
            name: 'MessagesDelivered',
            payload: { ...delivered, timestamp: now(), data: { channel, contact, messages: [{ id }], delivered_timestamp: now() } },
          },
        ],
      };
    },
  },
};
