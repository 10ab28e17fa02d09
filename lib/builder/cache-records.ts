/**
 * How the build cache stores its records: a rendered page and a read page file, each as a compact JSON record and
 * back. The cache is read at every build and holds thousands of pages, so keys are short and empty values left out.
 */
import type { StampKey } from '../files/file-stamp.js';
import type { FrontMatter, UnknownKey } from './load/front-matter.js';
import type { BodyFacts } from './load/page-body.js';
import type { RememberedSource } from './load/pages.js';
import type { LinkProblem } from './render/links.js';
import type { RenderedPage } from './render/render-page.js';

/** A rendered page as remembered: everything but the HTML, which is in the output folder. */
export type RememberedPage = Omit<RenderedPage, 'html'> & { htmlHash: string };

export interface CachedPage {
  /** Hash of the page's source text (see loadPages). */
  textHash: string;
  /** Hash of what the page shows of the rest of the site (see PageDeps in render-site.ts). */
  depsHash: string;
  page: RememberedPage;
  /** The output file's stamp when it was last found to hold the page's HTML (absent until then). */
  output?: StampKey;
}

/**
 * A page as stored: t text hash, d dependencies hash, s source path, h HTML hash, g gzipped size (when known), b size,
 * o output stamp, i ids, l links (line, href, target output, fragment), p link problems, c body (posts only).
 */
export interface StoredPage {
  t: string;
  d: string;
  s: string;
  h: string;
  g?: number;
  b: number;
  o?: StampKey;
  i?: string[];
  l?: [number, string, string, string][];
  p?: LinkProblem[];
  c?: string;
}

/**
 * A page file as stored: s stamp, t text hash, b front matter block hash, f front matter (defaults left out), l body
 * line, u unknown front matter keys, y body facts (both left out when empty).
 */
export interface StoredSource {
  s?: StampKey;
  t: string;
  b: string;
  f: Partial<FrontMatter>;
  l: number;
  u?: UnknownKey[];
  y?: BodyFacts;
}

/** Stands for the ids, links or problems a page has none of: one shared array, never changed, for thousands of pages. */
const NONE: never[] = [];

export function encodePage(entry: CachedPage): StoredPage {
  const { page } = entry;
  const stored: StoredPage = { t: entry.textHash, d: entry.depsHash, s: page.sourcePath, h: page.htmlHash, b: page.bytes };
  if (page.gzipBytes !== undefined) stored.g = page.gzipBytes;
  if (entry.output !== undefined) stored.o = entry.output;
  if (page.ids.length > 0) stored.i = page.ids;
  if (page.links.length > 0) stored.l = page.links.map((link) => [link.line, link.href, link.targetOutput, link.fragment]);
  if (page.problems.length > 0) stored.p = page.problems;
  if (page.content !== '') stored.c = page.content;
  return stored;
}

/** The page stored for `outputPath` (the record's key, not repeated in it). */
export function decodePage(stored: StoredPage, outputPath: string): CachedPage {
  return {
    textHash: stored.t,
    depsHash: stored.d,
    page: {
      sourcePath: stored.s,
      outputPath,
      content: stored.c ?? '',
      ids: stored.i ?? NONE,
      ...(stored.g === undefined ? {} : { gzipBytes: stored.g }),
      bytes: stored.b,
      links: stored.l?.map(([line, href, targetOutput, fragment]) => ({ line, href, targetOutput, fragment })) ?? NONE,
      problems: stored.p ?? NONE,
      htmlHash: stored.h,
    },
    ...(stored.o === undefined ? {} : { output: stored.o }),
  };
}

export function encodeSource(source: RememberedSource): StoredSource {
  const { draft, aliases, extra, ...frontMatter } = source.split.frontMatter;
  const f: Partial<FrontMatter> = { ...frontMatter, ...(draft ? { draft } : {}), ...(aliases.length > 0 ? { aliases } : {}), ...(Object.keys(extra).length > 0 ? { extra } : {}) };
  const { unknownKeys } = source.split;
  const body = Object.keys(source.body).length > 0 ? { y: source.body } : {};
  return { ...(source.stamp === undefined ? {} : { s: source.stamp }), t: source.textHash, b: source.blockHash, f, l: source.split.bodyLine, ...(unknownKeys ? { u: unknownKeys } : {}), ...body };
}

export function decodeSource(stored: StoredSource): RememberedSource {
  const frontMatter: FrontMatter = { draft: false, aliases: [], extra: {}, ...stored.f };
  const split = { frontMatter, bodyLine: stored.l, ...(stored.u ? { unknownKeys: stored.u } : {}) };
  return { ...(stored.s === undefined ? {} : { stamp: stored.s }), textHash: stored.t, blockHash: stored.b, split, body: stored.y ?? {} };
}
