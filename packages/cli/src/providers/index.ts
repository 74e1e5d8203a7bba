// The providers the CLI knows beyond their specs: one file each. A new provider adds its file here.
import { amio } from './amio.js';
import { messente } from './messente.js';
import { ocelot } from './ocelot.js';
import { olly } from './olly.js';
import type { ProviderRules } from './rules.js';
import { volly } from './volly.js';

export type { ProviderRules } from './rules.js';

/** Per provider name: its rules. */
export const providerRules: Readonly<Record<string, ProviderRules>> = { olly, ocelot, messente, amio, volly };
