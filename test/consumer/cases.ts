// What the consumer scripts do per provider: create the client from the packed package, make one
// call to the provider's Prism mock, and parse one webhook body (signed where the provider signs).
import { readFileSync } from 'node:fs';
import { signAmioWebhook } from '@msgkit/amio/webhooks';
import { signMessenteWebhook } from '@msgkit/messente/webhooks';

/** One provider's consumer scenario, serialised to JSON for the scratch project. */
export interface ConsumerCase {
  provider: string;
  factory: string;
  /** Factory options; the script adds `baseUrl` (the mock). */
  options: Record<string, unknown>;
  call: { method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; path: string; init: Record<string, unknown>; status: number };
  /** `expect` is matched against the parsed event (the first one, for parsers that return a batch). */
  webhook: { parser: string; rawBody: string; headers: Record<string, string>; options?: Record<string, unknown>; expect: Record<string, unknown> };
}

const amioEvent = JSON.stringify({
  event: 'message_received',
  timestamp: '2016-10-06T13:42:48Z',
  data: { id: 'm-1', channel: { id: 'c-1', type: 'facebook_messenger' }, contact: { id: 'k-1' }, content: { type: 'text', payload: 'hi' } },
});
const messenteReport = JSON.stringify({
  status: 'DELIVRD',
  sender: 'MySender',
  err: 0,
  message_id: '9a3d1f8e-1111-4c2b-8d6e-0a1b2c3d4e5f',
  to: '+37251234567',
  channel: 'sms',
  error: null,
  omnimessage_id: '0c3a2b1d-2222-4e5f-8a9b-1c2d3e4f5a6b',
  timestamp: '2020-02-04T08:09:42.389630',
});

/** The scenarios, with webhook signatures computed the way each provider signs. */
export async function consumerCases(): Promise<ConsumerCase[]> {
  return [
    ...staticCases,
    {
      provider: 'messente',
      factory: 'createMessenteClient',
      options: { username: 'api-user', password: 'api-password' },
      call: {
        method: 'GET',
        path: '/v1/omnimessage/{omnimessageId}/status',
        init: { params: { path: { omnimessageId: '0c3a2b1d-2222-4e5f-8a9b-1c2d3e4f5a6b' } } },
        status: 200,
      },
      webhook: {
        parser: 'parseMessenteWebhook',
        rawBody: messenteReport,
        headers: { 'content-type': 'application/json', ...(await signMessenteWebhook(messenteReport, 'api-password')) },
        options: { secret: 'api-password' },
        expect: { status: 'DELIVRD', err: 0 },
      },
    },
    {
      provider: 'amio',
      factory: 'createAmioClient',
      options: { accessToken: 'amio-token' },
      call: { method: 'GET', path: '/v1/channels', init: {}, status: 200 },
      webhook: {
        parser: 'parseAmioWebhook',
        rawBody: amioEvent,
        headers: { 'content-type': 'application/json', ...(await signAmioWebhook(amioEvent, 'channel-secret')) },
        options: { secret: 'channel-secret' },
        expect: { event: 'message_received' },
      },
    },
  ];
}

const staticCases: ConsumerCase[] = [
  {
    provider: 'olly',
    factory: 'createOllyClient',
    options: { apiKey: 'consumer-key' },
    call: {
      method: 'POST',
      path: '/api/message',
      init: { body: { number: '+16208039306', content: 'hello world', provider_number: '+12020304444' } },
      status: 200,
    },
    webhook: {
      parser: 'parseOllyWebhook',
      rawBody: JSON.stringify({
        type: 'IncomingMessage',
        guid: 'g-1',
        number: '+16208039306',
        content: 'hi',
        group_id: null,
        provider_number: '+12020304444',
        service: 'SMS',
      }),
      headers: { 'content-type': 'application/json' },
      expect: { type: 'IncomingMessage', guid: 'g-1' },
    },
  },
  {
    provider: 'ocelot',
    factory: 'createOcelotClient',
    options: { username: 'ocelot-user', password: 'ocelot-password' },
    call: {
      method: 'POST',
      path: '/api/v1/texting/sms',
      init: { body: { from: '123-456-7890', operator: 'jon.smith@example.edu', messages: [{ to: '123-456-7891', message: 'Hi!' }] } },
      status: 200,
    },
    webhook: {
      parser: 'parseOcelotWebhook',
      rawBody: JSON.stringify({
        eventId: '2b3c4d5e-6f70-4182-93a4-b5c6d7e8f901',
        dateTime: '2019-08-24T14:15:22Z',
        name: 'PhoneNumber.optedIn',
        referenceField: { type: 'PhoneNumber', name: 'Phone_Number', value: '123-456-7890' },
      }),
      headers: { 'content-type': 'application/json' },
      expect: { name: 'PhoneNumber.optedIn' },
    },
  },
  {
    provider: 'volly',
    factory: 'createVollyClient',
    options: { auth: { apiKey: 'volly-key' } },
    call: { method: 'GET', path: '/v1/groups', init: {}, status: 200 },
    webhook: {
      parser: 'parseVollyWebhook',
      rawBody: readFileSync(new URL('../fixtures/volly/webhook.optout.json', import.meta.url), 'utf8'),
      headers: { 'content-type': 'application/json' },
      expect: { type: 'optout' },
    },
  },
];
