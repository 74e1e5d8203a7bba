import { defineConfig } from 'tsdown';
import { providerConfig } from '../../tsdown.base.ts';

// mTLS mode (jose) has its own entry, `@msgkit/volly/mtls`, so the client entry stays small.
export default defineConfig({ ...providerConfig, entry: { ...(providerConfig.entry as Record<string, string>), mtls: 'src/mtls.ts' } });
