import { defineConfig } from 'tsdown';
import { providerConfig } from '../../tsdown.base.ts';

// The paginator has its own entry (`@msgkit/<p>/paginate`), so the client entry stays small.
export default defineConfig({ ...providerConfig, entry: { ...(providerConfig.entry as Record<string, string>), paginate: 'src/paginate.ts' } });
