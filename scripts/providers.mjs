import { readFileSync } from 'node:fs';

/**
 * The providers msgkit covers, from specs/providers.json (the one list; the CLI bundles it too).
 * @type {{ name: string, title: string, port: number, factory: string, parser: string }[]}
 */
export const providers = JSON.parse(readFileSync(new URL('../specs/providers.json', import.meta.url), 'utf8'));

/** @param {string} name */
export function provider(name) {
  const found = providers.find((p) => p.name === name);
  if (!found) {
    throw new Error(`Unknown provider "${name}". Known: ${providers.map((p) => p.name).join(', ')}`);
  }
  return found;
}
