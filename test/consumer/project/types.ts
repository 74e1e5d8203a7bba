// TypeScript consumer: proves the published types resolve (checked with tsc --noEmit, never run).
import { ApiError, createOllyClient, type paths } from '@msgkit/olly';
import { type OllyWebhookEvent, parseOllyWebhook, WebhookError } from '@msgkit/olly/webhooks';

export async function olly(raw: string): Promise<string> {
  const client = createOllyClient({ apiKey: 'k', baseUrl: 'http://127.0.0.1:4010' });
  const { data } = await client.POST('/api/message', { body: { number: '+1', provider_number: '+2', content: 'hi' } });
  // @ts-expect-error `number` is required by the spec
  await client.POST('/api/message', { body: { provider_number: '+2' } });
  const body: paths['/api/typing/start']['post']['requestBody']['content']['application/json'] = { number: '+1' };
  await client.POST('/api/typing/start', { body });
  const event: OllyWebhookEvent = await parseOllyWebhook(raw, {});
  const kind: 'OutgoingMessageStatus' | 'IncomingMessage' | 'IncomingAttachment' = event.type;
  return `${JSON.stringify(data)} ${kind} ${ApiError.name} ${WebhookError.name}`;
}

import { createAmioClient } from '@msgkit/amio';
import { paginate as paginateAmio } from '@msgkit/amio/paginate';
import { parseAmioWebhook } from '@msgkit/amio/webhooks';
import { createMessenteClient } from '@msgkit/messente';
import { parseMessenteCallback } from '@msgkit/messente/webhooks';
import { createOcelotClient } from '@msgkit/ocelot';
import { parseOcelotWebhook } from '@msgkit/ocelot/webhooks';
import { createVollyClient } from '@msgkit/volly';
import { parseVollyWebhook } from '@msgkit/volly/webhooks';

export async function others(raw: string): Promise<string[]> {
  const messente = createMessenteClient({ username: 'u', password: 'p' });
  await messente.POST('/v1/omnimessage', { body: { to: '+37251234567', messages: [{ channel: 'sms', text: 'hi' }] } });
  // @ts-expect-error an SMS cannot have both ttl and validity
  await messente.POST('/v1/omnimessage', { body: { to: '+37251234567', messages: [{ channel: 'sms', text: 'hi', ttl: 60, validity: 1 }] } });
  const report = await parseMessenteCallback(raw, {}, { secret: 'p' });

  const amio = createAmioClient({ accessToken: 't' });
  for await (const channel of paginateAmio(amio, '/v1/channels')) void channel.id;
  const amioEvent = await parseAmioWebhook(raw, {}, { secret: 's' });

  const ocelot = createOcelotClient({ baseUrl: 'http://127.0.0.1:4011', username: 'u', password: 'p' });
  // @ts-expect-error `operator` is required
  await ocelot.POST('/api/v1/texting/sms', { body: { from: '1', messages: [{ to: '2', message: 'x' }] } });
  const [ocelotEvent] = await parseOcelotWebhook(raw, {});

  const volly = createVollyClient({ auth: { apiKey: 'k' } });
  await volly.GET('/v1/groups');
  const vollyEvent = await parseVollyWebhook(raw, {});
  return [report.status ?? 'pending', amioEvent.event, ocelotEvent?.name ?? '', vollyEvent.type];
}
