import { parseMessenteCallback } from '@msgkit/messente/webhooks';
import { parseOcelotSmsStatusCallback } from '@msgkit/ocelot/webhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findProvider, isPlaceholder, loadSpec, MOCK_SECRET, type RunningMock, startMocks } from '../src/index.js';
import { startReceiver } from './helpers.js';

// The mocks as `msgkit mock` runs them (Prism behind the proxy), on free ports.
let mocks: RunningMock[] = [];
const logged: string[] = [];
beforeAll(async () => {
  mocks = await startMocks({ providers: ['olly', 'ocelot', 'messente', 'amio', 'volly'].map(findProvider), portBase: 0, log: (line) => logged.push(line) });
});
afterAll(() => Promise.all(mocks.map((m) => m.stop())));

/** Method, path (parameters filled with `x`) and first request example of an operation, read from the spec (so path layout changes follow). */
function operation(provider: string, operationId: string) {
  const spec = loadSpec(findProvider(provider));
  for (const [path, item] of Object.entries<Record<string, any>>(spec.paths)) {
    for (const [method, op] of Object.entries<any>(item)) {
      if (op?.operationId !== operationId) continue;
      const media = op.requestBody?.content?.['application/json'];
      const example = media?.example ?? (Object.values(media?.examples ?? {})[0] as { value?: unknown } | undefined)?.value;
      return { method: method.toUpperCase(), path: path.replace(/\{[^}]+\}/g, 'x'), example: structuredClone(example) };
    }
  }
  throw new Error(`${provider} has no operation ${operationId}`);
}

async function call(
  provider: string,
  operationId: string,
  { headers = {}, body, query = '' }: { headers?: Record<string, string>; body?: unknown; query?: string },
) {
  const op = operation(provider, operationId);
  const url = `${mocks.find((m) => m.provider.name === provider)?.url}${op.path}${query}`;
  const payload = body === undefined ? op.example : body;
  const response = await fetch(url, {
    method: op.method,
    headers: { ...(payload === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: payload === undefined ? undefined : JSON.stringify(payload),
  });
  return { status: response.status, text: await response.text() };
}

const basic = (user: string, password: string) => `Basic ${btoa(`${user}:${password}`)}`;
const olly = operation('olly', 'sendMessage').example as Record<string, unknown>;
const { provider_number: _, ...ollyWithoutProviderNumber } = olly;

describe('mock answers name the real problem', () => {
  it.each([
    [
      'olly without provider_number',
      { provider: 'olly', op: 'sendMessage', headers: { authorization: 'Basic k' }, body: ollyWithoutProviderNumber, status: 400, want: /'provider_number'/ },
    ],
    [
      'messente without to',
      {
        provider: 'messente',
        op: 'sendOmnimessage',
        headers: { authorization: basic('u', 'p') },
        body: { messages: [{ channel: 'sms', text: 'hi' }] },
        status: 400,
        want: /"detail":"[^"]*'to'/,
      },
    ],
    [
      'ocelot without operator',
      { provider: 'ocelot', op: 'listPhoneNumbers', headers: { authorization: basic('u', 'p') }, body: {}, status: 400, want: /'operator'|required/ },
    ],
  ])('%s', async (_, { provider, op, headers, body, status, want }) => {
    const answer = await call(provider, op, { headers, body });
    expect(answer.status).toBe(status);
    expect(answer.text).toMatch(want);
    expect(answer.text).not.toMatch(/number is required|not a valid omnimessage|Invalid request body/);
  });
});

type AuthCase = { provider: string; op: string; headers: Record<string, string>; query?: string; status: number; want?: RegExp };

describe('mocks enforce the documented auth scheme', () => {
  it.each<[string, AuthCase]>([
    ['olly with Basic', { provider: 'olly', op: 'sendMessage', headers: { authorization: 'Basic k' }, status: 200 }],
    ['olly with Bearer', { provider: 'olly', op: 'sendMessage', headers: { authorization: 'Bearer k' }, status: 401, want: /Authorization: Basic/ }],
    ['olly without credentials', { provider: 'olly', op: 'sendMessage', headers: {}, status: 401, want: /Authorization: Basic/ }],
    ['volly with Key', { provider: 'volly', op: 'getLeadById', headers: { authorization: 'Key 59b9e8a83d0f4266abc485e0237072b2' }, status: 200 }],
    ['volly OAuth with client_id', { provider: 'volly', op: 'getLeadById', headers: { authorization: 'Bearer t', client_id: 'c' }, status: 200 }],
    ['volly OAuth without client_id', { provider: 'volly', op: 'getLeadById', headers: { authorization: 'Bearer t' }, status: 401, want: /client_id/ }],
    ['volly with Basic', { provider: 'volly', op: 'getLeadById', headers: { authorization: 'Basic k' }, status: 401, want: /Authorization: Key/ }],
    ['volly token request needs no credentials', { provider: 'volly', op: 'requestAccessToken', headers: {}, status: 200 }],
    ['amio with Bearer', { provider: 'amio', op: 'listChannels', headers: { authorization: 'Bearer t' }, status: 200 }],
    ['amio with ?access_token', { provider: 'amio', op: 'listChannels', headers: {}, query: '?access_token=t', status: 200 }],
    ['amio with Basic', { provider: 'amio', op: 'listChannels', headers: { authorization: 'Basic t' }, status: 401, want: /Authorization: Bearer/ }],
    [
      'messente with Bearer',
      { provider: 'messente', op: 'sendOmnimessage', headers: { authorization: 'Bearer t' }, status: 401, want: /Authorization: Basic/ },
    ],
  ])('%s', async (_, { provider, op, headers, query, status, want }) => {
    const answer = await call(provider, op, { headers, query });
    expect(answer.status, answer.text).toBe(status);
    if (want) expect(answer.text).toMatch(want);
  });
});

describe('mock answers and callbacks are realistic and signed like the provider', () => {
  it('answers without placeholders (Amio send: the docs write its id as "...")', async () => {
    const answer = await call('amio', 'sendMessage', { headers: { authorization: 'Bearer t' } });
    expect(answer.status).toBe(201);
    const strings = (node: unknown): string[] =>
      typeof node === 'string' ? [node] : node && typeof node === 'object' ? Object.values(node).flatMap(strings) : [];
    expect(strings(JSON.parse(answer.text)).filter(isPlaceholder)).toEqual([]);
    expect(JSON.parse(answer.text).id).toMatch(/^\d{19}$/);
  });

  it(`Messente's delivery report is signed with the mock secret "${MOCK_SECRET}" and names the sent message`, async () => {
    const receiver = await startReceiver(async (request) => {
      await parseMessenteCallback(request.body, request.headers as Record<string, string>, { secret: MOCK_SECRET });
      return 200;
    });
    try {
      const body = { ...(operation('messente', 'sendOmnimessage').example as object), dlr_url: `${receiver.url}/dlr` };
      const answer = await call('messente', 'sendOmnimessage', { headers: { authorization: basic('u', 'p') }, body });
      expect(answer.status).toBe(201);
      await expect.poll(() => logged.find((line) => line.includes(`${receiver.url}/dlr`))).toMatch(/ 200 /);
      const report = JSON.parse(receiver.received[0]?.body.toString() ?? '{}');
      expect(report.message_id).toBe(JSON.parse(answer.text).messages[0].message_id);
      expect(receiver.received[0]?.headers['x-messente-signature']).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      await receiver.stop();
    }
  });

  it("Ocelot's delivery statuses go to smsWebhookUri, parse, and carry the request's own ids", async () => {
    const receiver = await startReceiver(async (request) => {
      await parseOcelotSmsStatusCallback(request.body, request.headers as Record<string, string>);
      return 200;
    });
    try {
      const example = operation('ocelot', 'sendSms').example as { messages: Record<string, unknown>[] };
      const body = { ...example, smsWebhookUri: `${receiver.url}/status`, messages: example.messages.map((m) => ({ ...m, customerMessageId: 'order-1042' })) };
      const answer = await call('ocelot', 'sendSms', { headers: { authorization: basic('u', 'p') }, body });
      expect(answer.status).toBe(200);
      await expect.poll(() => logged.find((line) => line.includes(`${receiver.url}/status`))).toMatch(/ 200 /);
      const [status] = JSON.parse(receiver.received[0]?.body.toString() ?? '[]');
      expect(status.customerMessageId).toBe('order-1042');
      expect(isPlaceholder(status.customerContactId)).toBe(false);
    } finally {
      await receiver.stop();
    }
  });
});
