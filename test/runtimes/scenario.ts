// The one scenario every runtime of the matrix runs (runtimes.test.ts): from the packed packages, one
// typed call per provider against the test's local server, then each signing provider's webhook signed,
// verified and parsed, and a tampered copy refused. Web APIs only (fetch, WebCrypto): no node:, no files,
// so Node, Bun, Deno and workerd run this same code. Failures are reported, never thrown, so that the
// test shows every step's outcome.
import { createAmioClient } from '@msgkit/amio';
import { parseAmioWebhook } from '@msgkit/amio/webhooks';
import { signHmac } from '@msgkit/core/webhooks';
import { createMessenteClient } from '@msgkit/messente';
import { parseMessenteCallback } from '@msgkit/messente/webhooks';
import { createOcelotClient } from '@msgkit/ocelot';
import { parseOcelotWebhook } from '@msgkit/ocelot/webhooks';
import { createOllyClient } from '@msgkit/olly';
import { parseOllyWebhook } from '@msgkit/olly/webhooks';
import { createVollyClient } from '@msgkit/volly';
import { parseVollyWebhook, sealVollyWebhook } from '@msgkit/volly/webhooks';

/** What the test hands the scenario. */
export interface ScenarioInput {
  /** Origin of the test's recording server, e.g. `http://127.0.0.1:40123`; each provider lives under `/<provider>`. */
  origin: string;
}

/** One step's outcome: its value, or the error it ended with (class name, `code`, message). */
export type Outcome = { ok: true; value: unknown } | { ok: false; error: { name: string; code?: unknown; message: string } };

/** What the scenario tells the test. */
export interface ScenarioReport {
  /** `node 22.23.5`, `bun 1.4.5`, `deno 2.9.6` or `workerd`: proves which runtime ran it. */
  runtime: string;
  /** The `data` of each provider's call. */
  calls: Record<string, Outcome>;
  /** Each provider's webhook: the parsed event of the genuine delivery, and the outcome of a tampered one (when signed). */
  webhooks: Record<string, { genuine: Outcome; tampered?: Outcome }>;
}

/** Credentials the test's server expects (fake, local only). */
export const credentials = {
  olly: { apiKey: 'olly-key' },
  ocelot: { username: 'ocelot-user', password: 'ocelot-password' },
  messente: { username: 'messente-user', password: 'messente-password' },
  amio: { accessToken: 'amio-token', webhookSecret: 'amio-channel-secret' },
  volly: { clientId: 'volly-client', clientSecret: 'volly-secret' },
} as const;

// The one place each signing scheme is reached from. Switch Amio and Messente to the packages' own signers
// (`signAmioWebhook` / `signMessenteWebhook`, contract 2) by replacing the line with e.g. `amio: signAmioWebhook,`.
const signers: Record<'amio' | 'messente', (body: string, secret: string) => Promise<Record<string, string>>> = {
  amio: async (body, secret) => ({ 'X-Hub-Signature': await signHmac({ rawBody: body, secret, algorithm: 'SHA-1', prefix: 'sha1=' }) }),
  messente: async (body, secret) => ({ 'X-Messente-Signature': await signHmac({ rawBody: body, secret, algorithm: 'SHA-256' }) }),
};

/** Webhook bodies as the providers document them (Amio message_received, Messente delivery report, Volly optout, …). */
export const events = {
  olly: { type: 'IncomingMessage', guid: 'g-1', number: '+16208039306', content: 'hi', group_id: null, provider_number: '+12020304444', service: 'SMS' },
  ocelot: {
    eventId: '2b3c4d5e-6f70-4182-93a4-b5c6d7e8f901',
    dateTime: '2019-08-24T14:15:22Z',
    name: 'PhoneNumber.optedIn',
    referenceField: { type: 'PhoneNumber', name: 'Phone_Number', value: '123-456-7890' },
  },
  amio: {
    event: 'message_received',
    timestamp: '2016-10-06T13:42:48Z',
    data: { id: 'm-1', channel: { id: 'c-1', type: 'facebook_messenger' }, contact: { id: 'k-1' }, content: { type: 'text', payload: 'hi' } },
  },
  messente: {
    status: 'DELIVRD',
    sender: 'MySender',
    err: 0,
    message_id: '9a3d1f8e-1111-4c2b-8d6e-0a1b2c3d4e5f',
    to: '+37251234567',
    channel: 'sms',
    error: null,
    omnimessage_id: '0c3a2b1d-2222-4e5f-8a9b-1c2d3e4f5a6b',
    timestamp: '2020-02-04T08:09:42.389630',
  },
  volly: {
    at: '2016-05-18T16:31:45.682Z',
    type: 'optout',
    email: '20138672804',
    address: 'im.an.optout@email.com',
    lead: { id: '2d8e1fe74f9c426ab23e60913260439d', external: { id: '1234', source: 'crm' } },
  },
} as const;

const json = { 'content-type': 'application/json' };

/** Runs one step (sync or async: the parsers are becoming async) and reports how it ended. */
async function outcome(step: () => unknown): Promise<Outcome> {
  try {
    return { ok: true, value: await step() };
  } catch (error) {
    const e = error as { name?: string; code?: unknown; message?: string; constructor?: { name?: string } };
    return { ok: false, error: { name: e?.constructor?.name ?? e?.name ?? typeof error, code: e?.code, message: String(e?.message ?? error) } };
  }
}

/** Changes one character in the middle of `text`, so signatures and ciphertexts no longer match. */
function tamper(text: string): string {
  const at = Math.floor(text.length / 2);
  return text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
}

function runtimeName(): string {
  const g = globalThis as {
    Deno?: { version: { deno: string } };
    Bun?: { version: string };
    process?: { versions?: { node?: string } };
    navigator?: { userAgent?: string };
  };
  if (g.Deno) return `deno ${g.Deno.version.deno}`;
  if (g.Bun) return `bun ${g.Bun.version}`;
  if (g.navigator?.userAgent === 'Cloudflare-Workers') return 'workerd';
  return `node ${g.process?.versions?.node}`;
}

async function calls(origin: string): Promise<ScenarioReport['calls']> {
  const olly = createOllyClient({ ...credentials.olly, baseUrl: `${origin}/olly` });
  const ocelot = createOcelotClient({ ...credentials.ocelot, baseUrl: `${origin}/ocelot` });
  const messente = createMessenteClient({ ...credentials.messente, baseUrl: `${origin}/messente` });
  const amio = createAmioClient({ accessToken: credentials.amio.accessToken, tokenIn: 'query', baseUrl: `${origin}/amio` });
  // Volly's token URL defaults to /oauth/token on the origin of baseUrl.
  const volly = createVollyClient({ auth: { ...credentials.volly }, baseUrl: `${origin}/volly` });
  return {
    olly: await outcome(
      async () => (await olly.POST('/api/message', { body: { number: '+16208039306', content: 'hello world', provider_number: '+12020304444' } })).data,
    ),
    ocelot: await outcome(
      async () =>
        (
          await ocelot.POST('/api/v1/texting/sms', {
            body: { from: '123-456-7890', operator: 'jon.smith@example.edu', messages: [{ to: '123-456-7891', message: 'Hi!' }] },
          })
        ).data,
    ),
    messente: await outcome(
      async () =>
        (await messente.POST('/v1/omnimessage', { body: { to: '+37251234567', messages: [{ channel: 'sms', sender: 'MySender', text: 'hello' }] } })).data,
    ),
    amio: await outcome(async () => (await amio.GET('/v1/channels', { params: { query: { max: 2 } } })).data),
    volly: await outcome(async () => (await volly.GET('/v1/groups')).data),
  };
}

async function webhooks(): Promise<ScenarioReport['webhooks']> {
  const body = Object.fromEntries(Object.entries(events).map(([p, event]) => [p, JSON.stringify(event)])) as Record<keyof typeof events, string>;

  const amioSecret = credentials.amio.webhookSecret;
  const amioHeaders = { ...json, ...(await signers.amio(body.amio, amioSecret)) };
  const messenteSecret = credentials.messente.password;
  const messenteHeaders = { ...json, ...(await signers.messente(body.messente, messenteSecret)) };

  // Volly's mTLS webhook: Volly signs with its key and encrypts to ours; we decrypt with ours and verify with Volly's.
  const ours = await crypto.subtle.generateKey({ name: 'RSA-OAEP', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, [
    'encrypt',
    'decrypt',
  ]);
  const volly = await crypto.subtle.generateKey(
    { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    true,
    ['sign', 'verify'],
  );
  const sealed = await sealVollyWebhook(body.volly, { signingKey: volly.privateKey, encryptionKey: ours.publicKey });
  const vollyKeys = { jwt: { decryptionKey: ours.privateKey, verificationKey: volly.publicKey } };

  return {
    olly: { genuine: await outcome(() => parseOllyWebhook(body.olly, json)) },
    ocelot: { genuine: await outcome(() => parseOcelotWebhook(body.ocelot, json)) },
    amio: {
      genuine: await outcome(() => parseAmioWebhook(body.amio, amioHeaders, { secret: amioSecret })),
      tampered: await outcome(() => parseAmioWebhook(tamper(body.amio), amioHeaders, { secret: amioSecret })),
    },
    messente: {
      genuine: await outcome(() => parseMessenteCallback(body.messente, messenteHeaders, { secret: messenteSecret })),
      tampered: await outcome(() => parseMessenteCallback(tamper(body.messente), messenteHeaders, { secret: messenteSecret })),
    },
    volly: {
      genuine: await outcome(() => parseVollyWebhook(sealed, json, vollyKeys)),
      tampered: await outcome(() => parseVollyWebhook(tamper(sealed), json, vollyKeys)),
    },
  };
}

/** Runs the whole scenario. */
export async function run(input: ScenarioInput): Promise<ScenarioReport> {
  return { runtime: runtimeName(), calls: await calls(input.origin), webhooks: await webhooks() };
}
