// Messente's official SDK (`messente_api` from npm, code nobody here wrote) against `msgkit mock`'s
// Messente mock: only its basePath changes. It must get typed successes, and precise 4xx answers.
import { createRequire } from 'node:module';
import { describe, expect, inject, it } from 'vitest';

/** The parts of the SDK this test uses (the package ships no types). */
interface Sdk {
  ApiClient: new () => { basePath: string; authentications: { basicAuth: { username?: string; password?: string } } };
  OmnimessageApi: new (client: unknown) => Record<string, (...args: unknown[]) => void>;
  DeliveryReportApi: new (client: unknown) => Record<string, (...args: unknown[]) => void>;
  Omnimessage: { constructFromObject(data: unknown): unknown };
  SMS: { constructFromObject(data: unknown): unknown };
  Viber: { constructFromObject(data: unknown): unknown };
  OmniMessageCreateSuccessResponse: new () => object;
  MessageResult: new () => object;
  DeliveryReportResponse: new () => object;
  DeliveryResult: new () => object;
  EmptyObject: new () => object;
}

const sdk: Sdk = createRequire(import.meta.url)('messente_api');
const mockUrl = inject('mockUrls').messente;

/** An SDK client whose basePath points at the mock (the SDK's default is https://api.messente.com/v1). */
function apis() {
  const client = new sdk.ApiClient();
  client.basePath = `${mockUrl}/v1`;
  client.authentications.basicAuth.username = 'msgkit-user';
  client.authentications.basicAuth.password = 'msgkit-password';
  return { omnimessage: new sdk.OmnimessageApi(client), deliveryReport: new sdk.DeliveryReportApi(client) };
}

/** Calls an SDK method in its callback style; resolves with its data or its error. */
function call(api: Record<string, (...args: unknown[]) => void>, method: string, ...args: unknown[]) {
  return new Promise<{ error?: { status?: number; response?: { body?: unknown } }; data?: unknown }>((resolve) =>
    api[method]?.(...args, (error: unknown, data: unknown) => resolve(error ? { error: error as never } : { data })),
  );
}

const sms = (fields: object) => sdk.SMS.constructFromObject({ sender: 'MySender', text: 'Your code is 4242', ...fields });
const omnimessage = (fields: object) => sdk.Omnimessage.constructFromObject(fields);

describe.skipIf(!mockUrl)('messente_api 1.5.0 against the Messente mock', () => {
  it.each([
    ['an SMS', { given: omnimessage({ to: '+37251234567', messages: [sms({})] }) }],
    [
      'Viber falling back to SMS, with a delivery report URL',
      {
        given: omnimessage({
          to: '+37251234567',
          dlr_url: 'http://127.0.0.1:9/dlr',
          messages: [sdk.Viber.constructFromObject({ sender: 'MySender', text: 'Hello from Viber', validity: 360 }), sms({})],
        }),
      },
    ],
  ])('sendOmnimessage: %s gets a typed OmniMessageCreateSuccessResponse', async (_, { given }) => {
    const { error, data } = await call(apis().omnimessage, 'sendOmnimessage', given);
    expect(error).toBeUndefined();
    expect(data).toBeInstanceOf(sdk.OmniMessageCreateSuccessResponse);
    const response = data as { omnimessage_id: string; to: string; messages: object[] };
    expect(response.omnimessage_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.messages.length).toBeGreaterThan(0);
    for (const message of response.messages) expect(message).toBeInstanceOf(sdk.MessageResult);
  });

  it('retrieveDeliveryReport gets a typed DeliveryReportResponse', async () => {
    const { error, data } = await call(apis().deliveryReport, 'retrieveDeliveryReport', 'd7248cda-6c1a-4436-acf5-aaf249bb67d3');
    expect(error).toBeUndefined();
    expect(data).toBeInstanceOf(sdk.DeliveryReportResponse);
    for (const result of (data as { statuses: object[] }).statuses) expect(result).toBeInstanceOf(sdk.DeliveryResult);
  });

  it('cancelScheduledMessage succeeds', async () => {
    const { error } = await call(apis().omnimessage, 'cancelScheduledMessage', 'd7248cda-6c1a-4436-acf5-aaf249bb67d3');
    expect(error).toBeUndefined();
  });

  it.each([
    ['no recipient', { given: omnimessage({ messages: [sms({})] }), names: "'to'" }],
    ['an SMS without text', { given: omnimessage({ to: '+37251234567', messages: [sdk.SMS.constructFromObject({ sender: 'MySender' })] }), names: 'text' }],
  ])('sendOmnimessage with %s gets a 400 naming the missing field', async (_, { given, names }) => {
    const { error } = await call(apis().omnimessage, 'sendOmnimessage', given);
    expect(error?.status).toBe(400);
    const body = error?.response?.body as { errors: { detail: string; code: string }[] };
    expect(body.errors.length).toBeGreaterThan(0);
    expect(body.errors.map((e) => e.detail).join(' ')).toContain(names);
  });
});
