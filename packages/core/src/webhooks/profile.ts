/** An event as a provider POSTs it: the exact body and the headers that carry its signature. */
export interface SignedDelivery {
  /** The exact body to POST. */
  body: string;
  /** Signature headers to add (none for an unsigned or sealed body). */
  headers: Record<string, string>;
}

/** How a provider signs what it POSTs, with the package's own signer (beside its verifier). */
export interface WebhookSigning<Credential> {
  /** What the credential is: a shared `secret`, or `jwt-keys` (a signing and an encryption key). */
  credential: 'secret' | 'jwt-keys';
  /** True when the provider signs every delivery, so a receiver always needs the credential. */
  required: boolean;
  /** Signs (or seals) the exact JSON body as the provider does. */
  sign(body: string, credential: Credential): Promise<SignedDelivery>;
}

/** What tools (the CLI, tests, benchmarks) need to know about a provider's deliveries. Exported by each `@msgkit/<p>/webhooks`. */
export interface WebhookProfile<Credential = never> {
  /** Provider name, as in `@msgkit/<name>`. */
  name: string;
  /** How deliveries are secured, in one line (`unsigned` when they are not). */
  scheme: string;
  /** The header that carries the signature; null when there is none. */
  signatureHeader: string | null;
  /** Fields that identify one event (what a receiver deduplicates by), as dotted paths; `[]` means every array item. */
  eventIdFields: readonly string[];
  /** The signer; absent when the provider does not sign. */
  signing?: WebhookSigning<Credential>;
}
