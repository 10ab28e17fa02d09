/**
 * A real browser over the example site: headless Chromium (Debian's `chromium`, driven by
 * playwright-core) with JavaScript disabled opens every page as served by `fleuron preview` (the
 * same answers as Garage's web endpoint, reload script off): no console errors, no failed requests,
 * no horizontal scrolling at 320 px, and screenshots of the home page kept in test-artifacts/.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BrowserContext, ConsoleMessage, Page } from 'playwright-core';
import { copyExampleSite, REPO_ROOT } from '../preview/support/http.js';
import { describeWithBrowser, NARROW } from './support/chromium.js';
import { previewInChromium, visitorPaths } from './support/preview-in-chromium.js';
import { datesOnSeveralLines } from './support/layout-checks.js';

const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts');
const WIDE = 1280;

/**
 * Chromium asks for /favicon.ico by itself (not the page: no request event) when a page declares no
 * icon. The theme declares one on every page, so no such probe may happen (checked with the pages).
 */
function isFaviconProbe(message: ConsoleMessage): boolean {
  return new URL(message.location().url || 'about:blank').pathname === '/favicon.ico';
}
const faviconMisses = new Set<string>();

/** What went wrong while one page loaded. */
interface PageProblems {
  console: string[];
  failed: string[];
  errorResponses: string[];
}

describeWithBrowser('the example site in a real browser (Chromium, JavaScript off)', () => {
  const site = previewInChromium('fleuron-browser-', copyExampleSite);
  let context: BrowserContext;
  let pagePaths: string[];
  let tab: Page | undefined;
  let problems: PageProblems = { console: [], failed: [], errorResponses: [] };

  beforeAll(async () => {
    // Every page as a visitor reaches it: folders by their URL ending in /, the error page by a missing URL (below).
    pagePaths = await visitorPaths(site.outDir);
    context = await site.browser.newContext({ javaScriptEnabled: false, viewport: { width: NARROW, height: 640 } });
    await mkdir(ARTIFACTS, { recursive: true });
  });
  // Closing the browser (the fixture does, after this block) closes its contexts and tabs.

  /**
   * Opens `rawPath` in the shared tab, recording every console error, failed request and error
   * response of that navigation (one tab for all pages: a new tab costs half a second).
   */
  async function open(rawPath: string): Promise<{ page: Page; status: number | undefined; problems: PageProblems }> {
    if (!tab) {
      tab = await context.newPage();
      tab.on('console', (message) => {
        if (message.type() !== 'error') return;
        if (isFaviconProbe(message)) faviconMisses.add(message.text());
        else problems.console.push(message.text());
      });
      tab.on('pageerror', (error) => problems.console.push(error.message));
      tab.on('requestfailed', (request) => problems.failed.push(`${request.url()} (${request.failure()?.errorText ?? 'failed'})`));
      tab.on('response', (response) => {
        if (response.status() >= 400) problems.errorResponses.push(`${response.status()} ${response.url()}`);
      });
    }
    problems = { console: [], failed: [], errorResponses: [] };
    const response = await tab.goto(new URL(rawPath, site.preview.url).href, { waitUntil: 'load' });
    return { page: tab, status: response?.status(), problems };
  }

  it('finds the pages of the site', () => {
    expect(pagePaths).toEqual(expect.arrayContaining(['/', '/qui-sommes-nous.html', '/reunions/', '/documentation/', '/blog/']));
    expect(pagePaths.length).toBeGreaterThanOrEqual(12);
  });

  it('can measure the page with page.evaluate although the page itself runs no JavaScript', async () => {
    const page = await context.newPage();
    await page.goto(site.preview.url);
    expect(await page.evaluate('typeof document.documentElement.scrollWidth')).toBe('number');
    // The page's own scripts are really off: a <noscript> is rendered and an inline script does not run.
    await page.setContent('<noscript><p id="off">scripts are off</p></noscript><p id="text">unchanged</p><script>document.getElementById("text").textContent = "changed"</script>');
    expect(await page.locator('#off').count()).toBe(1);
    expect(await page.locator('#text').textContent()).toBe('unchanged');
    await page.close();
  });

  it('opens every page without console errors, failed requests or error responses, without horizontal scrolling or dates split over two lines at 320 px', async () => {
    const report: Record<string, unknown>[] = [];
    for (const rawPath of pagePaths) {
      const { page, status, problems } = await open(rawPath);
      const scrollWidth = (await page.evaluate('document.documentElement.scrollWidth')) as number;
      report.push({ page: decodeURI(rawPath), status, ...problems, scrollWidth, splitDates: await datesOnSeveralLines(page) });
    }
    const bad = report.filter((entry) => entry.status !== 200 || (entry.console as string[]).length + (entry.failed as string[]).length + (entry.errorResponses as string[]).length + (entry.splitDates as string[]).length > 0 || (entry.scrollWidth as number) > NARROW);
    if (bad.length > 0) console.warn(`pages with problems:\n${JSON.stringify(bad, null, 2)}`);
    expect(bad).toEqual([]);
    expect([...faviconMisses]).toEqual([]);
  }, 120000);

  it('shows the error page with status 404 for a missing page, its stylesheet loading fine', async () => {
    const { page, status, problems } = await open('/documentation/page-disparue.html');
    expect(status).toBe(404);
    expect(problems.errorResponses).toEqual([`404 ${new URL('/documentation/page-disparue.html', site.preview.url).href}`]);
    expect(problems.failed).toEqual([]);
    // The only console message allowed is Chromium's note about the document's own 404.
    expect(problems.console.filter((text) => !/status of 404/.test(text))).toEqual([]);
    expect(await page.evaluate('document.styleSheets.length')).toBeGreaterThan(0);
    expect((await page.evaluate('document.documentElement.scrollWidth')) as number).toBeLessThanOrEqual(NARROW);
  });

  it('takes screenshots of the home page at 320 px and 1280 px into test-artifacts/', async () => {
    for (const width of [NARROW, WIDE]) {
      const page = await context.newPage();
      await page.setViewportSize({ width, height: width === NARROW ? 640 : 800 });
      await page.goto(site.preview.url, { waitUntil: 'load' });
      const file = path.join(ARTIFACTS, `home-${width}.png`);
      await page.screenshot({ path: file, fullPage: true });
      expect(existsSync(file)).toBe(true);
      await page.close();
    }
  }, 60000);
});

describeWithBrowser('fleuron preview in a real browser with its reload script (the one place JavaScript runs)', () => {
  const site = previewInChromium('fleuron-browser-reload-', copyExampleSite, { reload: true, watch: true, debounceMs: 50 });

  it('reloads an open page by itself after a source change', async () => {
    const context = await site.browser.newContext({ javaScriptEnabled: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      if (isFaviconProbe(message)) faviconMisses.add(message.text());
      else errors.push(`${message.text()} @ ${message.location().url}`);
    });
    page.on('response', (response) => {
      if (response.status() >= 400) errors.push(`${response.status()} ${response.url()}`);
    });
    await page.goto(new URL('/valeurs.html', site.preview.url).href);
    const file = path.join(site.sourceDir, 'valeurs.md');
    await writeFile(file, (await readFile(file, 'utf8')) + '\nParagraphe ajouté pendant que la page est ouverte.\n');
    await page.getByText('Paragraphe ajouté pendant que la page est ouverte.').waitFor({ timeout: 20000 });
    expect(errors).toEqual([]);
    await context.close();
  }, 60000);
});
