/** Maps source paths to output paths and builds the relative, percent-encoded URLs between output files. */
import path from 'node:path';

/** Where the Atom feed and the sitemap go, when the site has them. */
export const FEED_PATH = 'feed.xml';
export const SITEMAP_PATH = 'sitemap.xml';

const MARKDOWN_EXTENSION = /\.(md|markdown)$/i;

/** True for a Markdown source path (`page.md`, `notes/Réunion 2.markdown`). */
export function isMarkdownPath(sourcePath: string): boolean {
  return MARKDOWN_EXTENSION.test(sourcePath);
}

/** How pages' URLs are written: `docs/x.html` (works from `file://` too), or `docs/x/` (`docs/x/index.html` on disk). */
export type UrlStyle = 'html' | 'pretty';

/**
 * A folder's section page: `index.md`, Hugo's and Zola's `_index.md`, and `README.md` (mdBook, forges) unless the
 * folder also has an `index.md` or `_index.md` (see sources.ts).
 */
const SECTION_PAGE = /(^|\/)(?:_?index|readme)\.(?:md|markdown)$/i;

export function isSectionSource(sourcePath: string): boolean {
  return SECTION_PAGE.test(sourcePath);
}

/**
 * `page.md` → `page.html` (`page/index.html` with pretty URLs), `dir/index.md`, `dir/_index.md`, `dir/README.md` →
 * `dir/index.html`; other files keep their path. `404.md` is always `404.html`: servers look for it there.
 * `slug` replaces the page's file name (Hugo, Zola, Jekyll); a section page keeps its folder's.
 */
export function outputPathFor(sourcePath: string, urls: UrlStyle = 'html', slug?: string): string {
  if (!MARKDOWN_EXTENSION.test(sourcePath)) return sourcePath;
  const folder = sourcePath.includes('/') ? sourcePath.slice(0, sourcePath.lastIndexOf('/') + 1) : '';
  if (isSectionSource(sourcePath)) return `${folder}index.html`;
  if (sourcePath === '404.md' || sourcePath === '404.markdown') return '404.html';
  const name = slug !== undefined && slug.trim() !== '' && !slug.includes('/') ? slug.trim() : sourcePath.slice(folder.length).replace(MARKDOWN_EXTENSION, '');
  return urls === 'pretty' ? `${folder}${name}/index.html` : `${folder}${name}.html`;
}

/** An output path or URL as written with `urls`: `docs/x/index.html` is `docs/x/` with pretty URLs, `index.html` is empty. */
export function styledPath(url: string, urls: UrlStyle): string {
  if (urls !== 'pretty') return url;
  if (url === 'index.html') return '';
  return url.endsWith('/index.html') ? url.slice(0, -'index.html'.length) : url;
}

/** The URL to write for a relative URL to an output file: `x/index.html` is `x/` with pretty URLs (`./` for this folder's). */
export function styledUrl(url: string, urls: UrlStyle): string {
  return styledPath(url, urls) || './';
}

/** Unicode paths are compared and written in NFC (macOS hands out NFD names), always with `/`. */
export function normalizeSitePath(sitePath: string): string {
  // Most paths are ASCII, which NFC leaves alone: skip the normalisation for them (a site has thousands).
  const nfc = /^[\x00-\x7f]*$/.test(sitePath) ? sitePath : sitePath.normalize('NFC');
  return path.sep === '/' ? nfc : nfc.split(path.sep).join('/');
}

/** Percent-encodes each segment of a site path (`notes/Réunion 2.html` → `notes/R%C3%A9union%202.html`). */
export function encodeUrlPath(sitePath: string): string {
  return sitePath.split('/').map(encodeURIComponent).join('/');
}

/** Decodes percent-escapes, leaving a malformed escape as written; the result is NFC. */
export function decodeUrlPath(urlPath: string): string {
  try {
    return decodeURIComponent(urlPath).normalize('NFC');
  } catch {
    return urlPath.normalize('NFC');
  }
}

/** `../` once per folder level of an output path: `a/b/c.html` → `../../`, `index.html` → ``. */
export function rootPrefix(outputPath: string): string {
  return '../'.repeat(outputPath.split('/').length - 1);
}

/** The shortest relative, encoded URL from one output file to another (`docs/a.html` → `index.html` is `../index.html`). */
export function relativeUrl(fromOutput: string, toOutput: string): string {
  const relative = path.posix.relative(path.posix.dirname(fromOutput), toOutput);
  return encodeUrlPath(relative === '' ? path.posix.basename(toOutput) : relative);
}

/**
 * Resolves a decoded link path against the source file that contains it. A leading `/` means the site
 * root. Undefined when the link climbs above the root.
 */
export function resolveSitePath(fromSource: string, linkPath: string): string | undefined {
  const joined = linkPath.startsWith('/')
    ? path.posix.normalize(linkPath.slice(1))
    : path.posix.join(path.posix.dirname(fromSource), linkPath);
  if (joined === '..' || joined.startsWith('../')) return undefined;
  return joined === '.' ? '' : joined.replace(/^\.\//, '');
}
