/**
 * What a long-running process (the preview) keeps from one build to the next, so that a rebuild after a few page
 * edits the watcher reported neither walks the site folder, nor stats every page and output file, nor hashes what
 * every page shows of the others. Anything the watcher reports that is not an edit of a known page means a full build.
 */
import path from 'node:path';
import { fileStats, stampOf, trustedStamp } from '../files/file-stamp.js';
import { BOOK_SUMMARY } from './load/book-summary.js';
import type { SourceScan } from './load/load-site.js';
import type { RememberedSource, SourceMemory } from './load/pages.js';
import type { PageSummary } from './load/site-map.js';
import type { SourceFile } from './load/sources.js';
import { normalizeSitePath } from './load/url-map.js';

/** What every page's deps hash was computed from at the last build, and the hashes, by output path. */
export interface DepsMemo {
  /** The site's page summaries, and a hash of the rest PageDeps reads (templates, menu, config). */
  pages: readonly PageSummary[];
  rest: string;
  /** Per page: what of the page itself its deps hash depends on, and the hash. */
  byOutput: Map<string, { key: string; hash: string }>;
}

/** What a build left in its output folder. */
export interface LastOutput {
  /** Every file (relative, `/`-separated), sorted. */
  files: string[];
  /** The generated files other than pages (sitemap, feed, aliases…), by output path, as written. */
  generated: ReadonlyMap<string, string>;
}

export class RebuildState {
  /** The site folder as the last successful build found it. */
  scan?: SourceScan & { bySource: Map<string, SourceFile> };
  /** What the last build left in the output folder. */
  lastOutput?: LastOutput;
  deps?: DepsMemo;
  /** The page files' memory as the cache gave it, kept as objects: the cache makes new ones at every get. */
  private readonly sources = new Map<string, RememberedSource>();

  /** `memory` with what it gives kept between builds (what is set goes through to it, and is got from it again). */
  memoryOver(memory: SourceMemory): SourceMemory {
    const { sources } = this;
    return {
      get(sourcePath) {
        let known = sources.get(sourcePath);
        if (known === undefined) {
          known = memory.get(sourcePath);
          if (known !== undefined) sources.set(sourcePath, known);
        }
        return known;
      },
      set(sourcePath, source) {
        sources.delete(sourcePath);
        memory.set(sourcePath, source);
      },
      keep: (sourcePath) => memory.keep(sourcePath),
    };
  }

  /** What a successful build leaves for the next. */
  remember(scan: SourceScan, lastOutput: LastOutput, deps: DepsMemo): void {
    this.scan = { ...scan, bySource: new Map(scan.files.map((file) => [file.sourcePath, file])) };
    this.lastOutput = lastOutput;
    this.deps = deps;
  }

  /** After a failed build nothing is trusted: the next build is a full one. */
  forget(): void {
    this.sources.clear();
    this.scan = undefined;
    this.lastOutput = undefined;
    this.deps = undefined;
  }
}

/**
 * The source paths of the pages edited, when the watcher's report (paths relative to the site folder) names only
 * pages the last scan found; undefined when anything else may have changed: an unknown path (a new, renamed or
 * temporary file, a folder), a file copied as it is, the book summary, or an event without a name ('').
 * Removed pages are told apart by restampPages, which finds them missing.
 */
export function editedPages(changed: readonly string[] | undefined, scan: RebuildState['scan']): string[] | undefined {
  if (changed === undefined || scan === undefined) return undefined;
  const pages = new Set<string>();
  for (const relative of changed) {
    if (relative === '') return undefined;
    const sourcePath = normalizeSitePath(relative.split(path.sep).join('/'));
    const file = scan.bySource.get(sourcePath);
    if (!file?.isPage || sourcePath === BOOK_SUMMARY) return undefined;
    pages.add(sourcePath);
  }
  return [...pages];
}

/**
 * The last scan with the edited pages stamped again (their size and stamp as now on disk), and the files too fresh
 * to trust then (so that they are trusted once old enough, not read at every rebuild); undefined when one of them
 * is no longer a file: a removal needs a full build.
 */
export function restampPages(scan: SourceScan & { bySource: Map<string, SourceFile> }, edited: readonly string[], stampedAt = Date.now()): SourceFile[] | undefined {
  const fresh = new Map<string, SourceFile>();
  const untrusted = scan.files.filter((file) => file.trustedStamp === undefined).map((file) => file.sourcePath);
  for (const sourcePath of new Set([...edited, ...untrusted])) {
    const file = scan.bySource.get(sourcePath)!;
    const stats = fileStats(file.absolutePath);
    if (!stats) return undefined;
    const trusted = trustedStamp(stats, stampedAt);
    fresh.set(sourcePath, { ...file, size: stats.size, stamp: trusted ?? stampOf(stats), trustedStamp: trusted });
  }
  return scan.files.map((file) => fresh.get(file.sourcePath) ?? file);
}
