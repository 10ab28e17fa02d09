/** Decides what each link of a page points to, rewrites internal ones to relative output URLs, and checks them. */
import type { Destination } from './markdown.js';
import { escapeMarkup } from '../../text/escape.js';
import { decodeEntities } from './html-text.js';
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
}

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** Resolves one `href`/`src` value (HTML entities already decoded) found in the page `fromSource`. */
export function resolveLink(href: string, fromSource: string, targets: LinkTargets): LinkResolution {
  const trimmed = href.trim();
  if (trimmed === '' || SCHEME.test(trimmed) || trimmed.startsWith('//')) return { kind: 'external' };
  const hashAt = trimmed.indexOf('#');
  const rawFragment = hashAt === -1 ? undefined : trimmed.slice(hashAt + 1);
  const pathAndQuery = hashAt === -1 ? trimmed : trimmed.slice(0, hashAt);
  const queryAt = pathAndQuery.indexOf('?');
  const linkPath = queryAt === -1 ? pathAndQuery : pathAndQuery.slice(0, queryAt);
  const query = queryAt === -1 ? '' : pathAndQuery.slice(queryAt);
  const fragment = rawFragment === undefined ? undefined : decodeUrlPath(rawFragment);
  if (linkPath === '') return fragment === undefined ? { kind: 'external' } : { kind: 'same-page', fragment };

  const decoded = decodeUrlPath(linkPath);
  const resolved = resolveSitePath(fromSource, decoded);
  if (resolved === undefined) return { kind: 'broken', reason: 'points above the site folder' };
  const suffix = query + (rawFragment === undefined ? '' : `#${rawFragment}`);
  const internal = (targetOutput: string): LinkResolution =>
    fragment === undefined ? { kind: 'internal', targetOutput, suffix } : { kind: 'internal', targetOutput, suffix, fragment };

  if (isMarkdownPath(resolved)) {
    const page = targets.pages.get(resolved);
    if (page !== undefined) return internal(page);
    if (targets.drafts.has(resolved)) return { kind: 'broken', reason: `${resolved} is a draft (build with --drafts to include it)` };
    return { kind: 'broken', reason: `no page ${resolved}` };
  }
  if (resolved !== '' && targets.outputs.has(resolved)) return internal(resolved);
  const folderIndex = resolved === '' ? 'index.html' : `${resolved.replace(/\/$/, '')}/index.html`;
  if (targets.outputs.has(folderIndex)) return internal(folderIndex);
  return { kind: 'broken', reason: `no file ${resolved || '/'}` };
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

const LINK_ATTRIBUTE = /(<(?:a|img|source|audio|video)\b[^>]*?\s(?:href|src)=")([^"]*)"/gi;

/** Rewrites internal `href`/`src` values of a page's HTML; returns the links to check and the broken ones. */
export function rewriteLinks(html: string, context: RewriteContext): { html: string; links: PageLink[]; problems: LinkProblem[] } {
  const links: PageLink[] = [];
  const problems: LinkProblem[] = [];
  const rewritten = html.replace(LINK_ATTRIBUTE, (whole, opening: string, value: string) => {
    const href = decodeEntities(value);
    const resolution = resolveLink(href, context.sourcePath, context.targets);
    switch (resolution.kind) {
      case 'external':
        return whole;
      case 'broken':
        problems.push({ line: context.lineOf(href), href, reason: resolution.reason });
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
