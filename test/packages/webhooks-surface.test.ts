// Issue 15's table, read across the five packages: every `@msgkit/<p>/webhooks` exports the same
// names (the provider's name written as <P>), the shared ones are core's own objects, every parse
// function is async, and only the providers that sign ship a signer next to their verifier.

import * as amio from '@msgkit/amio/webhooks';
import * as core from '@msgkit/core/webhooks';
import * as messente from '@msgkit/messente/webhooks';
import * as ocelot from '@msgkit/ocelot/webhooks';
import * as olly from '@msgkit/olly/webhooks';
import * as volly from '@msgkit/volly/webhooks';
import { describe, expect, it } from 'vitest';

const entries: [string, { title: string; entry: Record<string, unknown> }][] = [
  ['olly', { title: 'Olly', entry: olly }],
  ['ocelot', { title: 'Ocelot', entry: ocelot }],
  ['messente', { title: 'Messente', entry: messente }],
  ['amio', { title: 'Amio', entry: amio }],
  ['volly', { title: 'Volly', entry: volly }],
];

/** Options a parser needs to run at all (Amio always verifies, so it needs its secret). */
const parseOptions: Record<string, object> = { amio: { secret: 'channel-secret' } };

/** What every entry exports, as issue 15's table lists it (the provider's name written as <P>). */
const surface = ['parse<P>Webhook', '<p>Profile', 'WebhookError', 'SignatureError', 'UnknownEventError', 'createDeduper', 'toNodeHandler', 'toFetchHandler'];

/** The signer beside each verifier, for the providers that sign their deliveries. */
const signers: Record<string, string> = { messente: 'signMessenteWebhook', amio: 'signAmioWebhook', volly: 'sealVollyWebhook' };

/** Names that belong to one provider only, each with why. */
const ownNames: Record<string, Record<string, string>> = {
  ocelot: { parseOcelotSmsStatusCallback: 'the SMS status callback of a send request, a second payload shape' },
  messente: { parseMessenteCallback: 'kept as an alias of parseMessenteWebhook', MESSENTE_SIGNATURE_HEADER: 'the header its signer writes' },
  amio: { AMIO_SIGNATURE_HEADER: 'the header its signer writes' },
  volly: { JWS_ALGORITHMS: 'the algorithms a sealed delivery may use', DEFAULT_JWS_ALGORITHM: 'the one its sealer uses' },
};

/** An entry's value names, with the provider's name written as <P>. */
const shapeOf = (title: string, entry: Record<string, unknown>, except: string[] = []) =>
  Object.keys(entry)
    .filter((name) => !except.includes(name))
    .map((name) => name.replace(title, '<P>').replace(new RegExp(`^${title.toLowerCase()}(?=Profile$)`), '<p>'));

describe("every provider's /webhooks entry has issue 15's shape", () => {
  it.each(entries)('%s exports the whole surface and, when it signs, its signer', (provider, { title, entry }) => {
    const names = shapeOf(title, entry);
    expect(surface.filter((name) => !names.includes(name))).toEqual([]);
    const signer = signers[provider];
    if (signer) expect(typeof entry[signer]).toBe('function');
    else expect(Object.keys(entry).filter((name) => /^(sign|seal)/.test(name))).toEqual([]);
  });

  it('exports the same names in all five, apart from the listed provider-only ones', () => {
    const shared = entries.map(([provider, { title, entry }]) =>
      shapeOf(title, entry, [...Object.keys(ownNames[provider] ?? {}), signers[provider] ?? '']).sort(),
    );
    for (const names of shared.slice(1)) expect(names).toEqual(shared[0]);
  });

  it.each(entries)("%s re-exports core's own handlers, deduper and errors (one implementation, one instanceof)", (_, { entry }) => {
    for (const name of Object.keys(entry).filter((n) => n in core)) expect(entry[name], name).toBe((core as Record<string, unknown>)[name]);
  });

  it.each(entries)('%s parses asynchronously: a malformed or unsigned body is a rejected promise, never a throw', async (provider, { title, entry }) => {
    const parse = entry[`parse${title}Webhook`] as (raw: string, headers: Record<string, string>, options?: object) => unknown;
    let result: unknown;
    expect(() => {
      result = parse('{', { 'content-type': 'application/json' }, parseOptions[provider] ?? {});
    }).not.toThrow();
    expect(result).toBeInstanceOf(Promise);
    const error = await (result as Promise<unknown>).catch((e: unknown) => e);
    expect(error instanceof core.WebhookError || error instanceof core.SignatureError, String(error)).toBe(true);
  });
});
