/**
 * Renders Markdown texts one after the other as `fleuron build` renders pages: a site loaded by the loader, then
 * renderPage for each text (front matter found by the loader, the cached parsers reused from text to text, heading
 * ids and link rewriting), keeping the page body the layout would receive.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseFrontMatter } from '../../../lib/builder/load/front-matter.js';
import { THEME_DIR } from '../../../lib/builder/theme-location.js';
import { loadSite } from '../../../lib/builder/load/load-site.js';
import { prepareSite } from '../../../lib/builder/render/render-context.js';
import { renderPage } from '../../../lib/builder/render/render-page.js';

export type RenderBody = (markdown: string) => string;

/** A renderer for a site whose fleuron.yaml lets raw HTML through, as the spec examples expect. */
export async function buildRenderer(): Promise<RenderBody> {
  const sourceDir = mkdtempSync(path.join(os.tmpdir(), 'fleuron-spec-'));
  writeFileSync(path.join(sourceDir, 'fleuron.yaml'), 'title: Spec\nlanguage: en\nmarkdown:\n  allowHtml: true\n');
  writeFileSync(path.join(sourceDir, 'example.md'), '');
  const plan = await loadSite({ sourceDir, sourceLabel: 'spec', drafts: false, themeDir: THEME_DIR, warn: () => {} });
  const site = prepareSite(plan.context);
  const job = plan.jobs.find((page) => page.sourcePath === 'example.md')!;
  // Where the body starts is the loader's to say; the rest of the front matter (a layout, a title) shapes the page
  // around the body, not the body, so the page keeps its own.
  return (markdown) => renderPage({ ...job, text: markdown, bodyLine: parseFrontMatter(markdown, 'spec/example.md').bodyLine }, site).content;
}

/** What fleuron adds to headings on purpose: an id and a self-link (lib/builder/render/headings.ts). */
const HEADING_WITH_ID = /<h([1-6]) id="[^"]*">([\s\S]*?) <a class="self-link" href="[^"]*" aria-labelledby="[^"]*">#?<\/a><\/h\1>/g;
/** And for readers on old devices and of assistive technology: scrolling regions (scroll-regions.ts), named checkboxes (task-list.ts), image sizes and lazy loading (image-dimensions.ts). */
const SCROLLING_CODE = /<pre tabindex="0" role="region" aria-label="[^"]*">/g;
const SCROLLING_TABLE = /<div class="table" tabindex="0" role="region" aria-label="[^"]*">(<table>[\s\S]*?<\/table>)<\/div>/g;
const CHECKBOX_NAME = /(<input type="checkbox" disabled=""(?: checked="")?) aria-label="[^"]*"/g;
const LAZY_IMAGE = /(<img [^>]*?) loading="lazy"/g;

/** The page body without what fleuron adds on purpose, to compare with the spec's HTML. */
export function withoutHeadingIds(html: string): string {
  return html
    .replace(HEADING_WITH_ID, '<h$1>$2</h$1>')
    .replace(SCROLLING_CODE, '<pre>')
    .replace(SCROLLING_TABLE, '$1')
    .replace(CHECKBOX_NAME, '$1')
    .replace(LAZY_IMAGE, '$1');
}

const START_TAG = /<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s"'>/=]+(?:="[^"]*")?)+)\s*(\/?)>/g;
const ATTRIBUTE = /[^\s"'>/=]+(?:="[^"]*")?/g;

/**
 * Two serialisations of the same HTML made one: attributes in name order and void elements without the XHTML
 * slash (`<input type="checkbox" disabled="" />` is cmark-gfm's `<input disabled="" type="checkbox">`), as the
 * spec's own test runner compares them. Applied to both sides.
 */
export function sameSerialisation(html: string): string {
  return html
    .replace(START_TAG, (_whole, name: string, attributes: string) => `<${name} ${(attributes.match(ATTRIBUTE) ?? []).sort().join(' ')}>`)
    .replace(/<(br|hr|img|input)\s*\/>/g, '<$1>');
}
