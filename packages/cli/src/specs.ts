import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type Provider, UsageError } from './providers.js';

const require = createRequire(import.meta.url);

/** Path of a provider's bundled spec, shipped in its package as `@msgkit/<name>/openapi.json`. */
export function specPath(provider: Provider): string {
  try {
    return require.resolve(`@msgkit/${provider.name}/openapi.json`);
  } catch {
    throw new UsageError(`The spec of ${provider.name} is not available: install @msgkit/${provider.name}.`);
  }
}

/** True when the provider's package (and so its spec) is installed. */
export function hasSpec(provider: Provider): boolean {
  try {
    specPath(provider);
    return true;
  } catch {
    return false;
  }
}

/** The provider's bundled OpenAPI document. */
export function loadSpec(provider: Provider): Record<string, any> {
  return JSON.parse(readFileSync(specPath(provider), 'utf8'));
}
