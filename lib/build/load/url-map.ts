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

/** `page.md` → `page.html`, `dir/index.md` → `dir/index.html`; other files keep their path. */
export function outputPathFor(sourcePath: string): string {
  return sourcePath.replace(MARKDOWN_EXTENSION, '.html');
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
