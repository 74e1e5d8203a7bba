import type { WebhookProfile } from '@msgkit/core/webhooks';
import type { LifecycleRule } from '../lifecycle.js';

/** Everything the CLI knows about one provider beyond its spec: the package's webhook profile and the mock's lifecycle rule. */
export interface ProviderRules {
  /** The provider package's webhook profile (signer, signature header, event-id fields, scheme). */
  profile: WebhookProfile<any>;
  /** What `msgkit mock --deliver` emits after a successful request; absent when nothing. */
  lifecycle?: LifecycleRule;
}
