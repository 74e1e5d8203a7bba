import { messenteProfile } from '@msgkit/messente/webhooks';
import type { ProviderRules } from './rules.js';

/** messente: its webhook profile. */
export const messente: ProviderRules = {
  profile: messenteProfile,
};
