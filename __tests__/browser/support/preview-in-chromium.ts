/** The browser tests' fixture: a site served by `fleuron preview` and a headless Chromium, for one describe block. */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { scanBuiltFiles } from '../../../lib/preview/built-site.js';
import { startPreview, type Preview, type PreviewOptions } from '../../../lib/preview/index.js';
import { tempFolder, urlPathOf } from '../../preview/support/http.js';
import { launchChromium } from './chromium.js';

export interface PreviewInChromium {
  root: string;
  sourceDir: string;
  /** Where the preview builds. */
  outDir: string;
  preview: Preview;
  browser: Browser;
}

/**
 * Starts, before the tests of the enclosing describe block, a preview of the site `source` puts in a new temporary
 * folder, and a Chromium; stops both and removes the folder after them. The fields are set once the block's tests run.
 */
export function previewInChromium(prefix: string, source: (root: string) => Promise<string>, options: Partial<PreviewOptions> = {}): PreviewInChromium {
  const fixture = {} as PreviewInChromium;
  beforeAll(async () => {
    fixture.root = await tempFolder(prefix);
    fixture.sourceDir = await source(fixture.root);
    fixture.outDir = path.join(fixture.root, 'preview');
    const cacheDir = path.join(fixture.root, 'cache');
    fixture.preview = await startPreview({ sourceDir: fixture.sourceDir, outDir: fixture.outDir, cacheDir, port: 0, reload: false, watch: false, ...options });
    fixture.browser = await launchChromium();
  }, 120000);
  afterAll(async () => {
    await fixture.browser?.close();
    await fixture.preview?.close();
    if (fixture.root) await rm(fixture.root, { recursive: true, force: true });
  });
  return fixture;
}

/** Every page of a built folder as a visitor reaches it (folders by their URL ending in /), sorted; not the 404 page. */
export async function visitorPaths(outDir: string): Promise<string[]> {
  const keys = [...(await scanBuiltFiles(outDir, () => true)).keys()];
  return keys
    .filter((key) => key.endsWith('.html') && key !== '404.html' && !key.startsWith('.'))
    .map((key) => urlPathOf(key).replace(/(^|\/)index\.html$/, '$1'))
    .sort();
}
