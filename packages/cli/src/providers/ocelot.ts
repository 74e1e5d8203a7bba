import { ocelotProfile } from '@msgkit/ocelot/webhooks';
import type { ProviderRules } from './rules.js';

/** ocelot: its webhook profile. */
export const ocelot: ProviderRules = {
  profile: ocelotProfile,
};
