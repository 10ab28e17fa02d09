/** `sitemap.xml`: every page by absolute URL, `lastmod` from front matter (`updated`, else `date`), never from file times. */
import type { PageSummary } from '../load/site-map.js';
import { encodeUrlPath, styledPath, type UrlStyle } from '../load/url-map.js';
import { toIsoDateTime } from '../load/words.js';
import { escapeMarkup } from '../../text/escape.js';


/** With pretty URLs (`urls: pretty`), `docs/x/index.html` is listed as `docs/x/`. */
export function renderSitemap(pages: readonly PageSummary[], baseUrl: string, urls: UrlStyle = 'html'): string {
  const entries = pages
    .filter((page) => page.kind !== 'not-found')
    .map((page) => ({ url: baseUrl + styledPath(encodeUrlPath(page.outputPath), urls), lastmod: page.updated ?? page.date }))
    .sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
  const lines = ['<?xml version="1.0" encoding="utf-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'];
  for (const entry of entries) {
    const lastmod = entry.lastmod ? `<lastmod>${toIsoDateTime(entry.lastmod)}</lastmod>` : '';
    lines.push(`<url><loc>${escapeMarkup(entry.url)}</loc>${lastmod}</url>`);
  }
  lines.push('</urlset>');
  return lines.join('\n') + '\n';
}
