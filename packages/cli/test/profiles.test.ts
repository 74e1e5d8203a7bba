import { parseAmioWebhook } from '@msgkit/amio/webhooks';
import { parseMessenteWebhook } from '@msgkit/messente/webhooks';
import { describe, expect, it } from 'vitest';
import { listEvents } from '../src/events.js';
import { providerRules } from '../src/providers/index.js';
import { providers } from '../src/providers.js';

describe('per-provider rules', () => {
  it('has one rules file per provider of specs/providers.json, each with that provider package profile', () => {
    expect(Object.keys(providerRules).sort()).toEqual(providers.map((p) => p.name).sort());
    for (const [name, { profile }] of Object.entries(providerRules)) expect(profile.name).toBe(name);
  });

  const SECRET = 'profile-secret';
  const parsers: Record<string, (raw: string, headers: Record<string, string>) => Promise<unknown>> = {
    amio: (raw, headers) => parseAmioWebhook(raw, headers, { secret: SECRET }),
    messente: (raw, headers) => parseMessenteWebhook(raw, headers, { secret: SECRET }),
  };
  it.each(Object.entries(parsers))("%s: the profile's signer signs what the package's parser accepts, in its signature header", async (name, parse) => {
    const { profile } = providerRules[name] ?? { profile: undefined };
    const provider = providers.find((p) => p.name === name);
    if (!provider) throw new Error(`no provider ${name}`);
    const event = listEvents(provider)[0];
    const raw = JSON.stringify(Object.values(event?.examples ?? {})[0]);
    const signed = await profile?.signing?.sign(raw, SECRET);
    expect(Object.keys(signed?.headers ?? {})).toEqual([profile?.signatureHeader]);
    await expect(parse(signed?.body ?? '', signed?.headers ?? {})).resolves.toBeDefined();
    await expect(parse(raw, {})).rejects.toMatchObject({ name: 'SignatureError' });
  });
});
