/**
 * axe-core over every page of the example site and of a documentation-style fixture site (code blocks, tables,
 * images, task lists, nested sections), as served by `fleuron preview`, at 320 px and 1280 px, in light and dark
 * schemes. JavaScript is on only because axe needs timers (a page with scripts off never runs them); the pages carry
 * no script of their own (the preview's reload script is off, and example-site.test.ts opens them with scripts off). Also: local images
 * carry their intrinsic size and load lazily after the first, and the stylesheet is fingerprinted and served
 * `immutable` for a year, as Garage would serve it after a publish.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { imageSizeFromFile } from 'image-size/fromFile';
import type { BrowserContext, Page } from 'playwright-core';
import { CACHE_IMMUTABLE } from '../../lib/headers/header-rules.js';
import { copyExampleSite, fetchRaw, REPO_ROOT } from '../preview/support/http.js';
import { describeWithBrowser, NARROW } from './support/chromium.js';
import { previewInChromium, visitorPaths } from './support/preview-in-chromium.js';

const WIDE = 1280;
const DOCS_FIXTURE = path.join(REPO_ROOT, '__tests__/fixtures/docs-site');

/**
 * Rules left out because what they judge is the writer's content, not the theme: a page may go from an h1 to an
 * h3 (`heading-order`). Every other rule of axe's WCAG 2.x A/AA and best-practice sets must pass.
 */
const CONTENT_RULES = ['heading-order'];

interface AxeViolation {
  id: string;
  impact: string | null;
  nodes: { target: string[]; failureSummary?: string }[];
}

const axeSource = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

async function axeViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.evaluate(await axeSource);
  const options = { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] }, rules: Object.fromEntries(CONTENT_RULES.map((id) => [id, { enabled: false }])) };
  const results = (await page.evaluate(`axe.run(document, ${JSON.stringify(options)})`)) as { violations: AxeViolation[] };
  return results.violations.map(({ id, impact, nodes }) => ({ id, impact, nodes: nodes.map(({ target, failureSummary }) => ({ target, ...(failureSummary ? { failureSummary } : {}) })) }));
}

const SITES: [string, (root: string) => Promise<string>][] = [
  ['the example site', copyExampleSite],
  ['the documentation fixture site', async () => DOCS_FIXTURE],
];

describe.each(SITES)('%s', (_name, sourceOf) => {
  describeWithBrowser('in Chromium with axe-core', () => {
    const site = previewInChromium('fleuron-axe-', sourceOf);
    let pagePaths: string[];

    beforeAll(async () => {
      // Every page, and the 404 page by a missing URL.
      pagePaths = [...(await visitorPaths(site.outDir)), '/page-that-does-not-exist.html'];
    });

    async function openTab(width: number, colorScheme: 'light' | 'dark'): Promise<{ context: BrowserContext; tab: Page }> {
      const context = await site.browser.newContext({ javaScriptEnabled: true, colorScheme, viewport: { width, height: width === NARROW ? 640 : 800 } });
      return { context, tab: await context.newPage() };
    }

    it.each([
      [NARROW, 'light'],
      [NARROW, 'dark'],
      [WIDE, 'light'],
      [WIDE, 'dark'],
    ] as const)('every page passes axe at %i px in the %s scheme', async (width, colorScheme) => {
      const { context, tab } = await openTab(width, colorScheme);
      const found: Record<string, AxeViolation[]> = {};
      for (const rawPath of pagePaths) {
        await tab.goto(new URL(rawPath, site.preview.url).href, { waitUntil: 'load' });
        expect(await tab.locator('script').count()).toBe(0);
        const violations = await axeViolations(tab);
        if (violations.length > 0) found[decodeURI(rawPath)] = violations;
      }
      await context.close();
      if (Object.keys(found).length > 0) console.warn(`axe at ${width} px, ${colorScheme}:\n${JSON.stringify(found, null, 2)}`);
      expect(Object.fromEntries(Object.entries(found).map(([page, violations]) => [page, violations.map((violation) => violation.id)]))).toEqual({});
    }, 180000);

    it('gives every local image its intrinsic width and height, and loads all but the first of a page lazily', async () => {
      const { context, tab } = await openTab(NARROW, 'light');
      let images = 0;
      for (const rawPath of pagePaths) {
        await tab.goto(new URL(rawPath, site.preview.url).href, { waitUntil: 'load' });
        const found = (await tab.evaluate(`[...document.querySelectorAll('main img')].map((img) => ({ src: img.getAttribute('src'), url: img.src, width: img.getAttribute('width'), height: img.getAttribute('height'), loading: img.getAttribute('loading') }))`)) as { src: string; url: string; width: string | null; height: string | null; loading: string | null }[];
        for (const [index, image] of found.entries()) {
          images++;
          const file = path.join(site.outDir, decodeURIComponent(new URL(image.url).pathname));
          const intrinsic = await imageSizeFromFile(file);
          expect({ page: rawPath, src: image.src, width: image.width, height: image.height, loading: image.loading }).toEqual({
            page: rawPath,
            src: image.src,
            width: String(intrinsic.width),
            height: String(intrinsic.height),
            loading: index === 0 ? null : 'lazy',
          });
        }
      }
      await context.close();
      expect(images).toBeGreaterThan(0);
    }, 120000);

    it('gives menu links touch targets at least 44 px tall, spaces the menu without flexbox gap, and shades scrolling boxes', async () => {
      for (const width of [NARROW, WIDE]) {
        const { context, tab } = await openTab(width, 'light');
        await tab.goto(site.preview.url, { waitUntil: 'load' });
        const heights = (await tab.evaluate(`[...document.querySelectorAll('.menu a')].map((a) => a.getBoundingClientRect().height)`)) as number[];
        expect(heights.length).toBeGreaterThan(1);
        expect({ width, short: heights.filter((height) => height < 44) }).toEqual({ width, short: [] });
        // iOS Safari before 14.5 and Android WebView before 84 ignore gap: the menu must not rely on it.
        const gaps = (await tab.evaluate(`[...document.querySelectorAll('.site-header, .menu ul, .breadcrumb ol')].map((element) => getComputedStyle(element).columnGap)`)) as string[];
        expect(gaps.every((gap) => gap === 'normal' || gap === '0px')).toBe(true);
        await context.close();
      }
      const css = (await fetchRaw(site.preview.url, '/')).body.toString('utf8');
      const stylesheet = (await fetchRaw(site.preview.url, `/${/<link rel="stylesheet" href="([^"]+)">/.exec(css)![1]}`)).body.toString('utf8');
      expect(stylesheet).not.toMatch(/[{;]\s*(row-|column-)?gap\s*:/);
      expect(stylesheet).toMatch(/pre,\.table\{background:[^}]*radial-gradient[^}]*background-attachment:local,local,scroll,scroll/);
    }, 60000);

    it('links a fingerprinted stylesheet that the preview serves immutable for a year, as the published site would', async () => {
      const home = await fetchRaw(site.preview.url, '/');
      const sheets = [...home.body.toString('utf8').matchAll(/<link rel="stylesheet" href="([^"]+)"/g)].map((match) => match[1]!);
      expect(sheets).toHaveLength(1);
      expect(sheets[0]).toMatch(/^theme\.(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{8,}\.css$/);
      const css = await fetchRaw(site.preview.url, `/${sheets[0]}`);
      expect({ status: css.status, type: css.headers['content-type'], cache: css.headers['cache-control'] }).toEqual({ status: 200, type: 'text/css; charset=utf-8', cache: CACHE_IMMUTABLE });
      // A page is still revalidated at every visit, so a new stylesheet name reaches readers at once.
      expect(home.headers['cache-control']).toBe('public, max-age=0, must-revalidate');
      expect((await fetchRaw(site.preview.url, '/theme.css')).status).toBe(404);
    });
  });
});
