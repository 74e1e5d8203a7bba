import { defineConfig } from 'tsdown';
import { providerConfig } from '../../tsdown.base.ts';

export default defineConfig(providerConfig);
