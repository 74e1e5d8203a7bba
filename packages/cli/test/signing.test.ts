import { readFileSync } from 'node:fs';
import { verifyHmac } from '@msgkit/core/webhooks';
import { describe, expect, it } from 'vitest';
import { checkSigningKeys, findProvider, signEvent, UsageError } from '../src/index.js';

/** Amio's documented X-Hub-Signature test vector. */
const vector = JSON.parse(readFileSync(new URL('../../../test/fixtures/amio/signature-vector.json', import.meta.url), 'utf8')) as {
  body: string;
  secret: string;
  header: string;
};

describe('signing rules', () => {
  it('signs Amio events exactly like the documented test vector', async () => {
    const signed = await signEvent(findProvider('amio'), vector.body, { secret: vector.secret });
    expect(signed).toEqual({ body: vector.body, headers: { 'X-Hub-Signature': vector.header } });
  });

  it('signs Messente delivery reports with a hex HMAC-SHA256 that core verifies', async () => {
    const body = '{"status":"DELIVRD"}';
    const signed = await signEvent(findProvider('messente'), body, { secret: 'api-password' });
    expect(signed.headers['X-Messente-Signature']).toMatch(/^[0-9a-f]{64}$/);
    await expect(
      verifyHmac({ rawBody: body, secret: 'api-password', signature: signed.headers['X-Messente-Signature'], algorithm: 'SHA-256', encoding: 'hex' }),
    ).resolves.toBeUndefined();
    await expect(
      verifyHmac({ rawBody: body, secret: 'other', signature: signed.headers['X-Messente-Signature'], algorithm: 'SHA-256', encoding: 'hex' }),
    ).rejects.toThrow(/does not match/);
  });

  it.each([['olly'], ['ocelot']])('sends %s events as they are: the provider does not sign', async (name) => {
    expect(await signEvent(findProvider(name), '{"a":1}', {})).toEqual({ body: '{"a":1}', headers: {} });
  });

  it('sends unsigned when asked to, even for a signing provider', async () => {
    expect(await signEvent(findProvider('amio'), '{}', {}, { unsigned: true })).toEqual({ body: '{}', headers: {} });
  });

  it.each([
    ['a signing provider without its secret', { provider: 'amio', keys: {}, unsigned: false, error: /amio signs every event .*--secret/ }],
    [
      'a secret for a provider that does not sign',
      { provider: 'olly', keys: { secret: 's' }, unsigned: false, error: /olly does not sign its events; --secret does not apply/ },
    ],
    ['--unsigned with a secret', { provider: 'amio', keys: { secret: 's' }, unsigned: true, error: /contradict/ }],
  ])('refuses %s', (_, { provider, keys, unsigned, error }) => {
    expect(() => checkSigningKeys(findProvider(provider), keys, { unsigned })).toThrow(UsageError);
    expect(() => checkSigningKeys(findProvider(provider), keys, { unsigned })).toThrow(error);
  });

  it.each([
    ['amio with its secret', { provider: 'amio', keys: { secret: 's' }, unsigned: false }],
    ['amio deliberately unsigned', { provider: 'amio', keys: {}, unsigned: true }],
    ['olly without credentials', { provider: 'olly', keys: {}, unsigned: false }],
  ])('accepts %s', (_, { provider, keys, unsigned }) => {
    expect(() => checkSigningKeys(findProvider(provider), keys, { unsigned })).not.toThrow();
  });
});
