import { createServer } from 'node:http';
import { parseAmioWebhook } from '@msgkit/amio/webhooks';
import { type HeadersLike, toNodeHandler } from '@msgkit/core/webhooks';
import { parseMessenteCallback } from '@msgkit/messente/webhooks';
import { parseOllyWebhook } from '@msgkit/olly/webhooks';
import { parseVollyWebhook } from '@msgkit/volly/webhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findProvider, MOCK_SECRET, type RunningMock, startMocks } from '../src/index.js';
import { pathOf } from './helpers.js';

const SECRET = 'channel-webhook-secret';

/** Receivers built like an integrator would: core's toNodeHandler around the package parser. */
const parsers: Record<string, (raw: Uint8Array, headers: HeadersLike) => unknown> = {
  // The mock signs Messente's delivery reports with its documented secret.
  messente: (raw, headers) => parseMessenteCallback(raw, headers, { secret: MOCK_SECRET }),
  olly: (raw, headers) => parseOllyWebhook(raw, headers),
  amio: (raw, headers) => parseAmioWebhook(raw, headers, { secret: SECRET }),
  volly: (raw, headers) => parseVollyWebhook(raw, headers),
};
const handled: Record<string, any[]> = {};
const answers: Record<string, number[]> = {};
let receiverUrl = '';
let closeReceiver: () => void;
let mocks: RunningMock[] = [];
const log: string[] = [];

const mockUrl = (name: string) => mocks.find((m) => m.provider.name === name)?.url ?? '';
const post = (url: string, body: unknown, headers: Record<string, string>) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

beforeAll(async () => {
  const handlers = Object.fromEntries(
    Object.entries(parsers).map(([name, parse]) => [
      name,
      toNodeHandler({
        parse,
        handler: (event) => {
          handled[name] = [...(handled[name] ?? []), event];
        },
      }),
    ]),
  );
  const server = createServer((request, response) => {
    const name = request.url?.split('/')[1] ?? '';
    response.on('finish', () => {
      answers[name] = [...(answers[name] ?? []), response.statusCode];
    });
    const handle = handlers[name];
    if (handle) void handle(request, response);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  receiverUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  closeReceiver = () => server.close();
  mocks = await startMocks({
    providers: ['olly', 'amio', 'volly', 'messente'].map(findProvider),
    portBase: 0,
    deliver: { webhooksTo: `${receiverUrl}/volly`, log: (line) => log.push(line) },
  });
});

afterAll(async () => {
  await Promise.all(mocks.map((m) => m.stop()));
  closeReceiver();
});

describe('msgkit mock --deliver', () => {
  it('sends Olly QUEUED → SENT → DELIVERED for a sent message, to the URL registered with POST /api/webhook', async () => {
    const auth = { authorization: 'Basic test-key' };
    expect((await post(`${mockUrl('olly')}${pathOf('olly', 'updateWebhook')}`, { url: `${receiverUrl}/olly` }, auth)).status).toBe(200);
    const message = { number: '+16208039306', provider_number: '+12020304444', content: 'hello world', group_id: 'group-1' };
    expect((await post(`${mockUrl('olly')}${pathOf('olly', 'sendMessage')}`, message, auth)).status).toBe(200);

    await expect.poll(() => handled.olly?.length ?? 0).toBe(3);
    const events = handled.olly ?? [];
    expect(events.map((e) => [e.type, e.status])).toEqual([
      ['OutgoingMessageStatus', 'QUEUED'],
      ['OutgoingMessageStatus', 'SENT'],
      ['OutgoingMessageStatus', 'DELIVERED'],
    ]);
    expect(new Set(events.map((e) => e.guid)).size).toBe(1);
    expect(events[0]).toMatchObject({ number: message.number, provider_number: message.provider_number, group_id: 'group-1' });
    expect(answers.olly).toEqual([200, 200, 200]);
  });

  it("sends Amio message_echo then messages_delivered to the channel's webhook, signed with its secret", async () => {
    const auth = { authorization: 'Bearer test-token' };
    const created = await post(
      `${mockUrl('amio')}${pathOf('amio', 'createChannel')}`,
      { type: 'amio_chat', name: 'Web chat', webhook: { url: `${receiverUrl}/amio`, secret: SECRET } },
      auth,
    );
    expect(created.status).toBe(201);
    const channel = (await created.json()) as { id: string };
    const message = { channel: { id: channel.id }, contact: { id: '6456078781510718339' }, content: { type: 'text', payload: 'hi' }, metadata: { order: 7 } };
    expect((await post(`${mockUrl('amio')}${pathOf('amio', 'sendMessage')}`, message, auth)).status).toBe(201);

    // parseAmioWebhook verified X-Hub-Signature with the channel secret before the handler saw each event.
    await expect.poll(() => handled.amio?.length ?? 0).toBe(2);
    const [echo, delivered] = handled.amio ?? [];
    expect(echo).toMatchObject({
      event: 'message_echo',
      data: { channel: { id: channel.id }, contact: message.contact, content: message.content, metadata: message.metadata },
    });
    expect(delivered).toMatchObject({
      event: 'messages_delivered',
      data: { channel: { id: channel.id }, contact: message.contact, messages: [{ id: echo.data.id }] },
    });
  });

  it('sends Volly email.queued then email.delivered for a direct send, to --webhooks-to when no URL is registered', async () => {
    const send = { message: 'intro', agent: 'jane.agent@email.com', lead: { source: 'velocify', id: '29309023' } };
    expect((await post(`${mockUrl('volly')}${pathOf('volly', 'sendDirectMessage')}`, send, { authorization: 'Key test-key' })).status).toBe(202);

    await expect.poll(() => handled.volly?.length ?? 0).toBe(2);
    const [queued, delivered] = handled.volly ?? [];
    expect(queued).toMatchObject({ type: 'email.queued', message: 'intro', lead: { external: send.lead } });
    expect(delivered).toMatchObject({ type: 'email.delivered', email: queued.email, lead: queued.lead });
    // The mock logs a delivery once the receiver's answer is in, which may be just after the handler ran.
    await expect
      .poll(() => log.filter((line) => line.startsWith('volly: ')))
      .toEqual([
        expect.stringMatching(/^volly: email\.queued → http:\/\/127\.0\.0\.1:\d+\/volly 200 \d+ ms$/),
        expect.stringMatching(/^volly: email\.delivered → http:\/\/127\.0\.0\.1:\d+\/volly 200 \d+ ms$/),
      ]);
  });

  it("POSTs Messente's delivery report to dlr_url, signed with the mock secret", async () => {
    const send = { to: '+37251234567', messages: [{ channel: 'sms', text: 'hi' }], dlr_url: `${receiverUrl}/messente` };
    const answer = await post(`${mockUrl('messente')}${pathOf('messente', 'sendOmnimessage')}`, send, { authorization: `Basic ${btoa('user:pass')}` });
    expect(answer.status).toBe(201);
    await expect.poll(() => handled.messente?.length ?? 0).toBe(1);
    expect(handled.messente?.[0]).toMatchObject({ to: send.to, channel: 'sms' });
  });

  it('delivers nothing for a request the mock refuses', async () => {
    const before = handled.olly?.length ?? 0;
    const refused = await post(`${mockUrl('olly')}${pathOf('olly', 'sendMessage')}`, { number: '+16208039306', provider_number: '+12020304444' }, {});
    expect(refused.status).toBe(401);
    // A later accepted send is delivered, so nothing is merely late.
    await post(`${mockUrl('olly')}${pathOf('olly', 'sendMessage')}`, { number: '+16208039306', provider_number: '+12020304444' }, { authorization: 'Basic k' });
    await expect.poll(() => handled.olly?.length ?? 0).toBe(before + 3);
  });
});

describe('msgkit mock --deliver without a URL', () => {
  it('says that no webhook URL is registered instead of dropping the events silently', async () => {
    const lines: string[] = [];
    const [volly] = await startMocks({ providers: [findProvider('volly')], portBase: 0, deliver: { log: (line) => lines.push(line) } });
    try {
      const send = { message: 'intro', agent: 'jane.agent@email.com', lead: { source: 'velocify', id: '1' } };
      expect((await post(`${volly?.url}${pathOf('volly', 'sendDirectMessage')}`, send, { authorization: 'Key k' })).status).toBe(202);
      await expect
        .poll(() => lines)
        .toEqual([expect.stringMatching(/^volly: POST \/(?:v1\/)?send succeeded, but no webhook URL is registered .*--webhooks-to/)]);
    } finally {
      await volly?.stop();
    }
  });
});
