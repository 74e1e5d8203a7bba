// Opens every page of the reference site in headless Chromium (Debian's package, driven by
// playwright-core) from a local static server: each operation, webhook and callback title is
// rendered, no request leaves 127.0.0.1, no page names an internal file (provenance cites the
// providers' public docs), every provider page links back to the index, the sidebar repeats no
// title, webhooks show their own security (never the API's auth), and inferred notes render as
// Markdown. A screenshot of each page lands in test/.artifacts/ (gitignored; the path is printed).
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDocs, hasSpec, loadSpec, type Provider, providers, type StaticServer, serveStatic } from '@msgkit/cli';
import { callbacksOf, operationsOf, webhooksOf } from '@msgkit/spec';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const artifacts = fileURLToPath(new URL('../.artifacts/', import.meta.url));
const documented = providers.filter(hasSpec);
/**
 * Internal names that must never reach a reader: the providers' docs are cited by their public URLs.
 * (Redoc's bundle lists the SVG attribute `.seed.` among others: a preceding dot is not a match.)
 */
const INTERNAL = /\b(?:olly|ocelot|messente|amio|volly)\.txt\b|\b[a-z]+\.txt:\d+|(?<![.\w])seeds?\b|\bINVENTORY(?:\.md)?\b|\.\.\/shared\b/gi;

/** The text a reader can reach on a page: every element's text, hidden panels included, scripts excluded. */
async function renderedText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const root = document.body.cloneNode(true) as HTMLElement;
    for (const el of root.querySelectorAll('script, style')) el.remove();
    return root.textContent ?? '';
  });
}

/** Internal names in a served page: its whole HTML, so the spec Redoc embeds is checked too. */
async function internalNames(url: string): Promise<string[]> {
  return (await (await fetch(url)).text()).match(INTERNAL) ?? [];
}

/** Titles a reader must find on a provider's page, read straight from its bundled spec. */
function titlesOf(provider: Provider) {
  const doc = loadSpec(provider);
  const operations = operationsOf(doc).map(({ operation }) => operation);
  const titleOf = (operation: any) => String(operation.summary ?? operation.operationId);
  return {
    /** Operations and webhooks: each is a sidebar entry with its own heading. */
    pages: [...operations, ...webhooksOf(doc).map(({ operation }) => operation)].map(titleOf),
    /** Webhooks: their titles, to check the security each one shows. */
    webhooks: webhooksOf(doc).map(({ operation }) => titleOf(operation)),
    /** Callbacks: shown on the page of the operation that registers them. */
    callbacks: callbacksOf(doc).map(({ parent, operation }) => ({ parent: titleOf(parent), title: titleOf(operation) })),
  };
}

const missingChromium = !existsSync(CHROMIUM);
if (missingChromium && process.env.CI !== 'true') {
  console.warn(
    `\n${'!'.repeat(78)}\n  SKIPPING the docs browser test: ${CHROMIUM} is missing.\n  Install it with: apt-get update && apt-get install -y chromium\n${'!'.repeat(78)}\n`,
  );
}

describe.skipIf(missingChromium && process.env.CI !== 'true')('the reference site in Chromium', () => {
  let site: string;
  let server: StaticServer;
  let profile: string;
  let context: BrowserContext;
  /** Every URL the browser requested that is not on 127.0.0.1 (they are also blocked), per test. */
  const leaks: string[] = [];

  beforeAll(async () => {
    if (missingChromium) return;
    site = mkdtempSync(join(tmpdir(), 'msgkit-site-'));
    profile = mkdtempSync(join(tmpdir(), 'msgkit-chromium-'));
    mkdirSync(artifacts, { recursive: true });
    console.log(`Screenshots of the reference site: ${artifacts}`);
    await buildDocs({ out: site, providers: documented });
    server = await serveStatic(site, 0);
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: { width: 1400, height: 1000 },
    });
    context.on('request', (request) => {
      const url = new URL(request.url());
      if (url.protocol !== 'data:' && url.protocol !== 'blob:' && url.hostname !== '127.0.0.1') leaks.push(request.url());
    });
    await context.route('**/*', (route) => (new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort('blockedbyclient')));
  });

  afterAll(async () => {
    await context?.close();
    await server?.stop();
    for (const dir of [site, profile]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('has Chromium (CI installs it; locally this test is skipped without it)', () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get update && apt-get install -y chromium`).toBe(true);
  });

  it.skipIf(missingChromium)('opens the index: every provider with its page, counts and mock command, and honest install lines', async () => {
    leaks.splice(0);
    const page = await context.newPage();
    await page.goto(`${server.url}/index.html`, { waitUntil: 'load' });
    const rows = page.locator('tbody tr');
    expect(await rows.count()).toBe(documented.length);
    for (const provider of documented) {
      const row = rows.filter({ has: page.locator(`a[href="./${provider.name}.html"]`) });
      const titles = titlesOf(provider);
      const cells = await row.locator('td').allTextContents();
      expect(cells[1]).toBe(String(operationsOf(loadSpec(provider)).length));
      expect(cells[3]).toBe(String(titles.callbacks.length));
      expect(cells[6]).toContain(`npx -p @msgkit/cli msgkit mock ${provider.name}`);
    }
    const text = await renderedText(page);
    // The unscoped npm package "msgkit" is not ours; the packages are not on npm yet.
    expect(text.match(/npx msgkit/g) ?? []).toEqual(['npx msgkit']); // only in "never `npx msgkit`"
    expect(text).toContain('not on the npm registry yet');
    expect(text).toMatch(/After the first release/);
    expect(await internalNames(`${server.url}/index.html`)).toEqual([]);
    await page.screenshot({ path: join(artifacts, 'docs-index.png'), fullPage: true });
    await page.close();
    expect(leaks).toEqual([]);
  });

  it.skipIf(missingChromium).each(documented.map((p) => [p.name, p] as const))(
    '%s: links back to the index, repeats no sidebar title, names no internal file, renders inferred notes as Markdown',
    async (_, provider) => {
      const page = await context.newPage();
      await page.goto(`${server.url}/${provider.name}.html`, { waitUntil: 'load' });
      const menu = page.locator('[data-component-name="Menu/Menu"]').first();
      await menu.waitFor({ state: 'visible' });
      await expect.poll(() => page.locator(`a[href="./index.html"]:visible`).count()).toBeGreaterThan(0);
      const groups = menu.locator(':scope > [data-component-name="Menu/MenuItem"]');
      const top = (await groups.locator(':scope > a').allTextContents()).map((t) => t.trim());
      const duplicates = (list: string[]) => list.filter((title, i) => list.indexOf(title) !== i);
      expect(duplicates(top), `sidebar: ${top.join(' | ')}`).toEqual([]);
      for (let g = 0; g < (await groups.count()); g++) {
        const children = await groups
          .nth(g)
          .locator(':scope > div span[data-text]')
          .evaluateAll((els) => els.map((e) => e.getAttribute('data-text') ?? ''));
        expect(duplicates(children), `sidebar group ${top[g]}`).toEqual([]);
      }
      expect(await internalNames(`${server.url}/${provider.name}.html`)).toEqual([]);
      const rendered = await renderedText(page);
      // Markdown is rendered: no raw "> **Inferred** —" anywhere a reader looks (server list included).
      expect(rendered).not.toMatch(/\*\*Inferred\*\*/);
      await page.close();
    },
  );

  it.skipIf(missingChromium).each(documented.map((p) => [p.name, p] as const))(
    'renders every operation, webhook and callback title of %s without leaving 127.0.0.1',
    async (_, provider) => {
      leaks.splice(0);
      const page = await context.newPage();
      await page.goto(`${server.url}/${provider.name}.html`, { waitUntil: 'load' });
      await expect.poll(() => page.title()).toBe(`${provider.title} API · msgkit`);
      await page.screenshot({ path: join(artifacts, `docs-${provider.name}.png`) });
      const { pages, callbacks, webhooks } = titlesOf(provider);
      const seen = await visitEveryEntry(page, new Set(pages), callbacks, new Set(webhooks), join(artifacts, `docs-${provider.name}-webhook.png`));
      expect([...new Set(pages)].filter((title) => !seen.has(title))).toEqual([]);
      expect(callbacks.filter((c) => !seen.has(`callback:${c.title}`))).toEqual([]);
      // A webhook is a request the provider sends us: it shows its signature header or "Unsigned", never the API's auth.
      expect(webhooks.filter((title) => !seen.has(`secured:${title}`))).toEqual([]);
      await page.close();
      expect(leaks).toEqual([]);
    },
    120_000,
  );
});

/**
 * Opens each sidebar group, clicks each entry whose title is expected, and waits for its heading
 * (and, on an operation with callbacks, their titles) to be visible; a webhook also counts as
 * `secured:<title>` when its section shows its own security and no "Authorizations" (the first one is
 * screenshot to `webhookShot`). Returns what was seen.
 */
async function visitEveryEntry(
  page: Page,
  titles: Set<string>,
  callbacks: { parent: string; title: string }[],
  webhooks: Set<string>,
  webhookShot: string,
): Promise<Set<string>> {
  const seen = new Set<string>();
  const menu = page.locator('[data-component-name="Menu/Menu"]').first();
  const groups = menu.locator(':scope > [data-component-name="Menu/MenuItem"]');
  const count = await groups.count();
  for (let g = 0; g < count; g++) {
    const group = groups.nth(g);
    await group.locator(':scope > a').click();
    const labels = await group.locator(':scope > div span[data-text]').evaluateAll((els) => els.map((e) => e.getAttribute('data-text') ?? ''));
    for (const title of labels) {
      if (!titles.has(title) || seen.has(title)) continue;
      await group.locator(':scope > div span[data-text]').filter({ hasText: title }).first().click();
      const heading = page.locator('h2').filter({ hasText: title }).first();
      if (
        await heading.waitFor({ state: 'visible', timeout: 10_000 }).then(
          () => true,
          () => false,
        )
      )
        seen.add(title);
      if (webhooks.has(title)) {
        const section = await heading.evaluate((el) => el.closest('[data-section-id]')?.textContent ?? '');
        if (/Security:\s*(Signed|Unsigned|Secured)/.test(section) && !/Authorizations:/.test(section)) seen.add(`secured:${title}`);
        // The first webhook, for a reviewer: its security line under the heading.
        if (![...seen].some((s) => s.startsWith('shot:'))) {
          await page.screenshot({ path: webhookShot });
          seen.add('shot:');
        }
      }
      for (const callback of callbacks.filter((c) => c.parent === title)) {
        // The panel Redoc shows under the operation, not the overview table that also names it.
        const shown = await page
          .locator('[data-component-name="Panel/PanelHeaderTitle"]')
          .filter({ hasText: callback.title })
          .first()
          .waitFor({ state: 'visible', timeout: 10_000 })
          .then(
            () => true,
            () => false,
          );
        if (shown) seen.add(`callback:${callback.title}`);
      }
    }
  }
  return seen;
}
