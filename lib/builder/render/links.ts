/** Decides what each link of a page points to, rewrites internal ones to relative output URLs, and checks them. */
import type { Destination } from './markdown.js';
import { escapeMarkup } from '../../text/escape.js';
import { decodeEntities } from './html-text.js';
import { isIndexSource } from '../load/site-map.js';
import { decodeUrlPath, isMarkdownPath, resolveSitePath } from '../load/url-map.js';

/** What exists in this build, for resolving links. */
export interface LinkTargets {
  /** Source path → output path of every page in the build. */
  pages: ReadonlyMap<string, string>;
  /** Source paths of drafts left out of this build. */
  drafts: ReadonlySet<string>;
  /** Every output path: pages, generated folder indexes, copied files, theme files. */
  outputs: ReadonlySet<string>;
}

export type LinkResolution =
  | { kind: 'external' }
  | { kind: 'same-page'; fragment: string }
  | { kind: 'internal'; targetOutput: string; suffix: string; fragment?: string }
  | { kind: 'broken'; reason: string };

/** A link to check once every page's ids are known. */
export interface PageLink {
  line: number;
  href: string;
  targetOutput: string;
  fragment: string;
}

export interface LinkProblem {
  line: number;
  href: string;
  reason: string;
  /** An emptied or empty URL is a warning (the page still works, with a dead link); every other problem breaks the build. */
  severity?: 'warning';
}

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** Schemes that run script in the visitor's browser: a JavaScript-free site has no use for them. */
const SCRIPT_SCHEMES = new Set(['javascript', 'vbscript']);
/** `data:` URLs an element that embeds media may show; a link to a `data:` page is refused by browsers anyway. */
const EMBEDDED_DATA = /^data:(?:image|audio|video)\//i;

/**
 * The scheme of `url` when a page may not use it in `element` (`a`, `img`, …): `javascript:` and `vbscript:`
 * anywhere, `data:` outside images, audio and video. Every other scheme (`tel:`, `matrix:`, `mailto:`, `geo:`, …)
 * is the site's business. Read as a browser reads it: leading spaces and controls, tabs and newlines ignored.
 */
export function refusedScheme(url: string, element: string): string | undefined {
  const seen = url.replace(/^[\x00-\x20]+/, '').replace(/[\t\n\r]/g, '');
  const scheme = SCHEME.exec(seen)?.[0].slice(0, -1).toLowerCase();
  if (scheme === undefined) return undefined;
  if (SCRIPT_SCHEMES.has(scheme)) return scheme;
  if (scheme === 'data' && (element.toLowerCase() === 'a' || !EMBEDDED_DATA.test(seen))) return scheme;
  return undefined;
}

/** Resolves one `href`/`src` value (HTML entities already decoded) found in the page `fromSource`. */
export function resolveLink(href: string, fromSource: string, targets: LinkTargets): LinkResolution {
  const trimmed = href.trim();
  if (trimmed === '') return { kind: 'broken', reason: 'the link is empty' };
  if (SCHEME.test(trimmed) || trimmed.startsWith('//')) return { kind: 'external' };
  const hashAt = trimmed.indexOf('#');
  const rawFragment = hashAt === -1 ? undefined : trimmed.slice(hashAt + 1);
  const pathAndQuery = hashAt === -1 ? trimmed : trimmed.slice(0, hashAt);
  const queryAt = pathAndQuery.indexOf('?');
  const linkPath = queryAt === -1 ? pathAndQuery : pathAndQuery.slice(0, queryAt);
  const query = queryAt === -1 ? '' : pathAndQuery.slice(queryAt);
  const fragment = rawFragment === undefined ? undefined : decodeUrlPath(rawFragment);
  if (linkPath === '') return fragment === undefined ? { kind: 'external' } : { kind: 'same-page', fragment };

  const suffix = query + (rawFragment === undefined ? '' : `#${rawFragment}`);
  const internal = (targetOutput: string): LinkResolution =>
    fragment === undefined ? { kind: 'internal', targetOutput, suffix } : { kind: 'internal', targetOutput, suffix, fragment };

  // Zola's `@/docs/x.md` is a path from the site folder; Hugo's `ref` (written `@ref/` by template-tags.ts) is one
  // from the page's folder or the site folder, or a page's file name alone when only one page has it.
  const decoded = decodeUrlPath(linkPath);
  const isRef = decoded.startsWith(HUGO_REF);
  const written = decoded.startsWith(ZOLA_ROOT) ? decoded.slice(1) : isRef ? decoded.slice(HUGO_REF.length) : decoded;
  const resolved = resolveSitePath(fromSource, written);
  const candidates = resolved === undefined ? [] : [resolved];
  if (isRef && !written.startsWith('/')) candidates.push(written, ...pagesNamed(written, targets));
  if (!written.startsWith('/') && !isMarkdownPath(written) && !isIndexSource(fromSource)) {
    // A link written for pretty URLs (`../y/`) is relative to the page's own folder URL (`docs/x/`).
    const prettyFolder = resolveSitePath(fromSource.replace(/\.(md|markdown)$/i, '/index.md'), written);
    if (prettyFolder !== undefined) candidates.push(prettyFolder);
  }
  for (const candidate of candidates) {
    const found = findTarget(candidate, targets);
    if (found !== undefined) return internal(found);
  }
  if (resolved === undefined) return { kind: 'broken', reason: 'points above the site folder' };
  if (isMarkdownPath(resolved)) {
    if (targets.drafts.has(resolved)) return { kind: 'broken', reason: `${resolved} is a draft (build with --drafts to include it)` };
    return { kind: 'broken', reason: `no page ${resolved}` };
  }
  return { kind: 'broken', reason: `no file ${resolved || '/'}` };
}

const ZOLA_ROOT = '@/';
export const HUGO_REF = '@ref/';

/**
 * The output a site path stands for: a page by its source path, a file or folder index by its output path, or
 * a page by the URL it would have as a pretty URL (`docs/x/` or `docs/x` for `docs/x.md`, `docs/` for `docs/_index.md`).
 */
function findTarget(sitePath: string, targets: LinkTargets): string | undefined {
  if (isMarkdownPath(sitePath)) return targets.pages.get(sitePath);
  if (sitePath !== '' && targets.outputs.has(sitePath)) return sitePath;
  const bare = sitePath.replace(/\/$/, '');
  const folderIndex = bare === '' ? 'index.html' : `${bare}/index.html`;
  if (targets.outputs.has(folderIndex)) return folderIndex;
  if (bare === '') return undefined;
  for (const extension of ['.md', '.markdown', '/_index.md', '/index.md', '/README.md']) {
    const page = targets.pages.get(bare + extension);
    if (page !== undefined) return page;
  }
  return undefined;
}

/** Source paths of the pages whose path ends with `name` (`x.md`, `docs/x`): Hugo's `ref` finds a page by them. */
function pagesNamed(name: string, targets: LinkTargets): string[] {
  const bare = name.replace(/^\.\//, '').replace(/\/$/, '');
  const matches = [...targets.pages.keys()].filter((source) => {
    const withoutExtension = source.replace(/\.(md|markdown)$/i, '');
    return source === bare || source.endsWith(`/${bare}`) || withoutExtension.endsWith(`/${bare}`) || withoutExtension === bare;
  });
  return matches.length === 1 ? matches : [];
}

/** Finds the source line of a link from the destinations micromark saw, then from the raw text. */
export function lineFinder(destinations: readonly Destination[], text: string, fallback: number): (href: string) => number {
  const lines = new Map<string, number[]>();
  for (const destination of destinations) {
    const key = decodeUrlPath(decodeEntities(destination.raw.replace(/\\([!-/:-@[-`{-~])/g, '$1')));
    const list = lines.get(key) ?? [];
    list.push(destination.line);
    lines.set(key, list);
  }
  const used = new Map<string, number>();
  return (href) => {
    const key = decodeUrlPath(href);
    const list = lines.get(key);
    if (list) {
      const index = used.get(key) ?? 0;
      used.set(key, index + 1);
      return list[Math.min(index, list.length - 1)]!;
    }
    for (const needle of [href, key]) {
      const at = text.indexOf(needle);
      if (at !== -1) return text.slice(0, at).split('\n').length;
    }
    return fallback;
  };
}

export interface RewriteContext {
  sourcePath: string;
  outputPath: string;
  targets: LinkTargets;
  /** The URL to write for an output path, seen from this page (relative, or root-absolute for 404.html). */
  urlTo: (outputPath: string) => string;
  lineOf: (href: string) => number;
}

const LINK_ATTRIBUTE = /(<(a|img|source|audio|video)\b[^>]*?\s(?:href|src)=")([^"]*)"/gi;

/**
 * Rewrites internal `href`/`src` values of a page's HTML; returns the links to check and the broken ones. A URL
 * with a refused scheme is emptied here (micromark lets every scheme through, see markdown.ts) and reported.
 */
export function rewriteLinks(html: string, context: RewriteContext): { html: string; links: PageLink[]; problems: LinkProblem[] } {
  const links: PageLink[] = [];
  const problems: LinkProblem[] = [];
  const rewritten = html.replace(LINK_ATTRIBUTE, (whole, opening: string, element: string, value: string) => {
    const href = decodeEntities(value);
    const refused = refusedScheme(href, element);
    if (refused !== undefined) {
      problems.push({ line: context.lineOf(href), href, reason: `${refused}: URLs are not allowed ${element.toLowerCase() === 'a' ? 'in links' : `in <${element.toLowerCase()}>`}, so it was emptied`, severity: 'warning' });
      return `${opening}"`;
    }
    const resolution = resolveLink(href, context.sourcePath, context.targets);
    switch (resolution.kind) {
      case 'external':
        return whole;
      case 'broken':
        problems.push({ line: context.lineOf(href), href, reason: resolution.reason, ...(href.trim() === '' ? { severity: 'warning' as const } : {}) });
        return whole;
      case 'same-page':
        if (resolution.fragment !== '') {
          links.push({ line: context.lineOf(href), href, targetOutput: context.outputPath, fragment: resolution.fragment });
        }
        return whole;
      case 'internal': {
        if (resolution.fragment) {
          links.push({ line: context.lineOf(href), href, targetOutput: resolution.targetOutput, fragment: resolution.fragment });
        }
        return `${opening}${escapeMarkup(context.urlTo(resolution.targetOutput) + resolution.suffix)}"`;
      }
    }
  });
  return { html: rewritten, links, problems };
}

/** Fragments every page may link to without a matching id (`#top` scrolls to the top in every browser). */
const ALWAYS_VALID_FRAGMENTS = new Set(['top']);

/** Checks links with a `#fragment` against the ids of their target page; targets that are not pages are not checked. */
export function checkFragments(links: readonly PageLink[], idsByOutput: Pick<ReadonlyMap<string, ReadonlySet<string>>, 'get'>): LinkProblem[] {
  const problems: LinkProblem[] = [];
  for (const link of links) {
    const ids = idsByOutput.get(link.targetOutput);
    if (!ids || ids.has(link.fragment) || ALWAYS_VALID_FRAGMENTS.has(link.fragment)) continue;
    problems.push({ line: link.line, href: link.href, reason: `no heading or anchor #${link.fragment} in ${link.targetOutput}` });
  }
  return problems;
}
