import type { VollyMtlsOptions } from '@msgkit/volly/webhooks';
import { providerRules } from './providers/index.js';
import { type Provider, UsageError } from './providers.js';

/** What a signed event is sent as: the body (possibly wrapped) and the headers that carry the signature. */
export interface SignedEvent {
  /** The exact body to POST. */
  body: string;
  /** Signature headers to add. */
  headers: Record<string, string>;
}

/** The credentials `msgkit webhooks trigger` and `msgkit mock --deliver` sign with. */
export interface SigningKeys {
  /** Shared secret of HMAC-signing providers (`--secret`). */
  secret?: string;
  /** Volly mTLS keys (`--jwt-keys`): Volly's private signing key and your public encryption key. */
  jwtKeys?: JwtKeys;
}

/** Keys that seal a Volly event into `{"jwt": ...}` (the sender's private signing key, the receiver's public encryption key), as a `--jwt-keys` file gives them. */
export type JwtKeys = VollyMtlsOptions;

/** How one provider signs the events it POSTs. */
export interface SigningRule {
  /** How it signs, in a few words, for `msgkit webhooks list` and errors. */
  scheme: string;
  /** The option that holds the credential. */
  option: 'secret' | 'jwt-keys';
  /** True when the provider always signs, so the credential is required. */
  required: boolean;
  /** Signs the exact JSON body. */
  sign(body: string, keys: SigningKeys): Promise<SignedEvent>;
}

/**
 * Per provider that signs: its rule, from the provider package's own profile and signer (providers/<name>.ts), so the
 * CLI signs exactly as the package verifies. Providers not listed send unsigned events.
 */
export const signingRules: Readonly<Record<string, SigningRule>> = Object.fromEntries(
  Object.entries(providerRules).flatMap(([name, { profile }]) => {
    const signing = profile.signing;
    if (!signing) return [];
    const option = signing.credential;
    const rule: SigningRule = {
      scheme: option === 'jwt-keys' ? `${profile.scheme} (--jwt-keys)` : profile.scheme,
      option,
      required: signing.required,
      sign: (body, keys) => signing.sign(body, option === 'secret' ? (keys.secret ?? '') : keys.jwtKeys),
    };
    return [[name, rule]];
  }),
);

/** How a provider signs, for display. */
export function signingScheme(provider: Provider): string {
  return signingRules[provider.name]?.scheme ?? 'unsigned';
}

/**
 * Checks that the given credentials fit the provider: a provider that always signs needs its
 * credential, and a credential the provider would not use is refused instead of silently ignored.
 */
export function checkSigningKeys(provider: Provider, keys: SigningKeys, { unsigned = false } = {}): void {
  const rule = signingRules[provider.name];
  const given = [keys.secret !== undefined && 'secret', keys.jwtKeys !== undefined && 'jwt-keys'].filter((o): o is string => Boolean(o));
  for (const option of given) {
    if (rule?.option !== option) {
      throw new UsageError(`${provider.name} ${rule ? `signs with --${rule.option}` : 'does not sign its events'}; --${option} does not apply.`);
    }
  }
  if (unsigned && given.length) throw new UsageError('--unsigned and a signing credential contradict each other.');
  if (rule?.required && !unsigned && given.length === 0) {
    throw new UsageError(
      `${provider.name} signs every event (${rule.scheme}): pass --${rule.option} <value>, or --unsigned to test that your endpoint rejects it.`,
    );
  }
}

/** The body and signature headers of an event, signed the way the provider signs (or as is when it does not, or `unsigned`). */
export async function signEvent(provider: Provider, body: string, keys: SigningKeys, { unsigned = false } = {}): Promise<SignedEvent> {
  const rule = signingRules[provider.name];
  const credential = rule?.option === 'secret' ? keys.secret : keys.jwtKeys;
  if (!rule || unsigned || credential === undefined) return { body, headers: {} };
  return rule.sign(body, keys);
}
