import type { UserConfig } from 'tsdown';

/** Build of a provider package: the client entry and the webhooks entry, ESM + CJS + types. */
export const providerConfig: UserConfig = {
  entry: { index: 'src/index.ts', webhooks: 'src/webhooks.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  platform: 'neutral',
};
