import { buildSite } from '@msgkit/spec';
import type { Provider } from './providers.js';
import { specPath } from './specs.js';

/** One page of the reference site. */
export interface DocsPage {
  /** Provider name; the page is `<name>.html`. */
  name: string;
  /** Provider display name. */
  title: string;
  /** Absolute path of the written page. */
  file: string;
  /** Number of operations under `paths`. */
  operations: number;
  /** Number of top-level webhooks. */
  webhooks: number;
  /** Number of operation callbacks. */
  callbacks: number;
  /** Number of spec nodes marked `x-inferred`. */
  inferred: number;
}

/** Options of `buildDocs`. */
export interface DocsOptions {
  /** Directory to write `<provider>.html` and `index.html` to (created if missing; other files are left alone). */
  out: string;
  /** Providers to document (their packages must be installed). */
  providers: readonly Provider[];
}

/**
 * Builds the reference site from the providers' bundled specs: one offline Redoc page each (no CDN,
 * no telemetry; inferred parts badged) and an index. The same build as the repository's `pnpm docs`.
 */
export async function buildDocs(options: DocsOptions): Promise<DocsPage[]> {
  const pages = await buildSite({ out: options.out, providers: options.providers.map((p) => ({ ...p, specPath: specPath(p) })) });
  return pages.map(({ name, title, file, operations, webhooks, callbacks, inferred }) => ({ name, title, file, operations, webhooks, callbacks, inferred }));
}
