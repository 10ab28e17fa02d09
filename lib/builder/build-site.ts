/** Builds a site folder into an output folder: load (config, sources, front matter) → render (pages, feed, sitemap) → write. */
import { readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { FleuronError, usageError } from '../errors/fleuron-error.js';
import { BuildCache } from './build-cache.js';
import { loadSite, type SitePlan, type SourceScan } from './load/load-site.js';
import { THEME_DIR } from './theme-location.js';
import type { Redirect } from './load/aliases.js';
import { PLANET_CACHE_FILE } from './load/planet/feed-cache.js';
import { editedPages, restampPages, type LastOutput, type RebuildState } from './rebuild-state.js';
import { linkProblems, renderSite, type RenderedSite, type RenderWith } from './render-site.js';
import type { RenderWorkerSession } from './render/render-pool.js';
import { formatSizeReport, gzipSize, overBudgetWarning, sizeReport, type SizeReport } from './write/size-report.js';
import { siteFiles } from './write/site-files.js';
import { unchangedCopies } from './write/unchanged-copies.js';
import { TrackedCopies } from './write/tracked-copies.js';
import type { TrackedFile } from '../files/git-index.js';
import { writeOutput } from './write/write-output.js';

export interface BuildOptions {
  sourceDir: string;
  outDir: string;
  /** Include pages with `draft: true`. */
  drafts?: boolean;
  /** Broken internal links fail the build (`error`, the default) or are only reported (`warn`). */
  brokenLinks?: 'error' | 'warn';
  /** Where the incremental cache lives; defaults to `.fleuron/build-cache` in the current folder. */
  cacheDir?: string;
  /**
   * Whether the site is served gzipped (published with `--gzip`), for the size report; by default `publish.gzip`
   * in fleuron.yaml.
   */
  gzip?: boolean;
  /** Worker threads for rendering (0: none, 1: one beside this thread); the default is render-pool.ts's defaultThreads. */
  threads?: number;
  /** Build the planet from its cache alone, fetching no feed (`--offline`). */
  offline?: boolean;
  /** Warn about the pages over the page budget (default); the preview turns it off and says it when the set changes. */
  warnBudget?: boolean;
  /** A cache already open (the preview keeps one between rebuilds instead of reading it from disk each time). */
  cache?: BuildCache;
  /** Render in a worker thread however few the pages, keeping this thread free (the preview's server) and the page time limit. */
  isolateRendering?: boolean;
  /** Render on this kept worker (the preview's, between its rebuilds) instead of starting workers for this build. */
  renderWorker?: RenderWorkerSession;
  /**
   * What a long-running process keeps between its builds (the preview's), and the paths its watcher reported changed
   * since the last one (relative to the site folder; undefined when not known): page edits alone are rebuilt
   * without walking the folder or looking at every page (see rebuild-state.ts).
   */
  rebuild?: { state: RebuildState; changed?: readonly string[] };
  /** Note the copies of files git vouches for, for the publish that follows (see write/tracked-copies.ts). */
  noteTrackedCopies?: boolean;
  log?: (line: string) => void;
}

export type { Redirect };

export interface BuildResult {
  outDir: string;
  /** Pages made (Markdown pages, generated folder indexes, 404). */
  pages: number;
  /** Files in the output folder. */
  files: number;
  warnings: string[];
  aliases: Redirect[];
  /** Pages rendered now, and pages taken from the cache. */
  rendered: number;
  cached: number;
  /** Worker threads that rendered pages (0 when rendered in this thread). */
  workers: number;
  written: number;
  unchanged: number;
  removed: number;
  sizes: SizeReport;
  /** Whether the build took the page-edit shortcut (options.rebuild). */
  shortcut: boolean;
  /** Whether the output folder holds the same set of files as after the last build of options.rebuild's state. */
  sameFiles: boolean;
  /** With options.noteTrackedCopies: the files copied from sources git vouches for (output path → blob, copy's stamp). */
  trackedCopies?: ReadonlyMap<string, TrackedFile>;
  /** Milliseconds per phase. */
  timings: { load: number; render: number; write: number; total: number };
}

export async function buildSite(options: BuildOptions): Promise<BuildResult> {
  const state = options.rebuild?.state;
  try {
    return await buildWith(options);
  } catch (error) {
    // A build that failed half way leaves nothing to take shortcuts from: the next one is full.
    state?.forget();
    throw error;
  }
}

async function buildWith(options: BuildOptions): Promise<BuildResult> {
  const started = performance.now();
  const log = options.log ?? (() => {});
  const sourceDir = path.resolve(options.sourceDir);
  const outDir = path.resolve(options.outDir);
  const sourceLabel = path.relative(process.cwd(), sourceDir) || '.';
  await assertFolders(sourceDir, outDir, sourceLabel);
  const warnings: string[] = [];
  const warn = (line: string) => {
    warnings.push(line);
    log(`warning: ${line}`);
  };
  const state = options.rebuild?.state;
  const scanned = pageEditsShortcut(options.rebuild);
  const cacheDir = options.cacheDir ?? path.resolve('.fleuron/build-cache');
  const cache = options.cache ?? (await BuildCache.open(cacheDir, sourceDir));
  cache.beginBuild();
  const plan = await loadSite({
    sourceDir,
    sourceLabel,
    drafts: options.drafts ?? false,
    themeDir: THEME_DIR,
    memory: state ? state.memoryOver(cache.sources) : cache.sources,
    planet: { cacheFile: path.join(cacheDir, PLANET_CACHE_FILE), offline: options.offline ?? false },
    ...(scanned ? { scanned } : {}),
    warn,
  });
  const loadedAt = performance.now();
  const shortcuts = { ...(state?.deps ? { deps: state.deps } : {}), trustOutputs: plan.scanGiven };
  const rendered = await renderSite(plan, cache, outDir, renderingOf(options), shortcuts);
  const links = linkProblems(rendered.pages, sourceLabel);
  links.warnings.forEach(warn);
  await checkLinks(links.errors, options.brokenLinks === 'warn', cache, warn, log);
  const renderedAt = performance.now();
  const { written, outputFiles, files, generated, trackedCopies } = await writeSite(plan, rendered.pages, outDir, cache, { last: plan.scanGiven ? state?.lastOutput : undefined, tracked: options.noteTrackedCopies ? TrackedCopies.of(sourceDir) : undefined });
  cache.retain(new Set(plan.context.outputs));
  await cache.save();
  const sizes = await checkSizes(plan, rendered.pages, outDir, options, warn);
  // Listed last, where a reader of a long build's output sees them: what did not come over from the sources as written.
  plan.notices.forEach(warn);
  const sameFiles = state?.lastOutput !== undefined && sameList(state.lastOutput.files, outputFiles);
  state?.remember(plan.scan, { files: outputFiles, generated }, rendered.deps);
  const finished = performance.now();
  return {
    outDir,
    pages: plan.jobs.length,
    files: files.size + plan.jobs.length - rendered.rendered + plan.copies.size,
    warnings,
    aliases: plan.aliases,
    rendered: rendered.rendered,
    cached: plan.jobs.length - rendered.rendered,
    workers: rendered.workers,
    ...written,
    sizes,
    ...(trackedCopies ? { trackedCopies } : {}),
    shortcut: shortcuts.trustOutputs,
    sameFiles,
    timings: timingsOf([started, loadedAt, renderedAt, finished]),
  };
}

function timingsOf([started, loaded, rendered, finished]: number[]): BuildResult['timings'] {
  return { load: Math.round(loaded! - started!), render: Math.round(rendered! - loaded!), write: Math.round(finished! - rendered!), total: Math.round(finished! - started!) };
}

/**
 * The site folder's files without walking it, when the watcher reported only edits of pages the last build found
 * (see rebuild-state.ts); undefined means a full build.
 */
function pageEditsShortcut(rebuild: BuildOptions['rebuild']): SourceScan | undefined {
  const scan = rebuild?.state.scan;
  const edited = editedPages(rebuild?.changed, scan);
  if (!scan || !edited || !rebuild?.state.lastOutput) return undefined;
  const files = restampPages(scan, edited);
  if (!files) return undefined;
  const { bySource: _index, ...given } = scan;
  return { ...given, files };
}

/**
 * Writes what changed into the output folder (`last`: what the last build left there, when it can be trusted);
 * returns every file it now holds, the generated files other than pages (sitemap, feed…) as written, and (with
 * `tracked`) the copies of files git vouches for.
 */
async function writeSite(plan: SitePlan, pages: RenderedSite['pages'], outDir: string, cache: BuildCache, { last, tracked }: { last: LastOutput | undefined; tracked: TrackedCopies | undefined }) {
  const { files, kept } = siteFiles(plan, pages);
  const keptCopies = unchangedCopies(plan.copies, outDir, cache);
  const copies = new Map([...plan.copies].filter(([outputPath]) => !keptCopies.has(outputPath)));
  const allKept = new Set([...kept, ...keptCopies]);
  const written = await writeOutput(outDir, { files, copies, kept: allKept, ...(last ? { existing: last.files, written: last.generated } : {}), ...(tracked ? { tracked } : {}) });
  const pageOutputs = new Set(pages.map((page) => page.outputPath));
  const generated = new Map<string, string>();
  for (const [outputPath, content] of files) if (!pageOutputs.has(outputPath) && typeof content === 'string') generated.set(outputPath, content);
  return { written, files, generated, outputFiles: [...files.keys(), ...copies.keys(), ...allKept].sort(), trackedCopies: tracked?.copies };
}

function renderingOf(options: BuildOptions): RenderWith {
  return {
    ...(options.threads === undefined ? {} : { threads: options.threads }),
    isolate: options.isolateRendering ?? false,
    ...(options.renderWorker ? { session: options.renderWorker } : {}),
  };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}

/** Broken links fail the build (after saving what was rendered), or are warnings with `--broken-links warn`. */
async function checkLinks(problems: string[], onlyWarn: boolean, cache: BuildCache, warn: (line: string) => void, log: (line: string) => void): Promise<void> {
  if (problems.length === 0) return;
  if (onlyWarn) return problems.forEach(warn);
  await cache.save();
  if (problems.length > 1) problems.forEach((problem) => log(`error: ${problem}`));
  throw new FleuronError('broken-links', problems.length > 1 ? `${problems[0]} (and ${problems.length - 1} more)` : problems[0]!, {
    hint: 'fix the link, or build with --broken-links warn',
  });
}

/**
 * Each page's size as served (with every stylesheet it links: the theme's, and highlight.css when asked for), and one
 * warning for the whole set of pages over the budget; the preview says it only when the set changes (warnBudget: false).
 */
async function checkSizes(plan: SitePlan, pages: RenderedSite['pages'], outDir: string, options: BuildOptions, warn: (line: string) => void): Promise<SizeReport> {
  const css = { bytes: 0, gzipBytes: 0 };
  for (const sheet of plan.context.stylesheets) {
    const file = plan.copies.get(sheet);
    if (file === undefined) continue;
    const bytes = await readFile(file);
    css.bytes += bytes.length;
    css.gzipBytes += gzipSize(bytes);
  }
  const gzip = options.gzip ?? plan.config.servedGzipped;
  // A page's gzipped size when asked for: served gzipped, every page's, from its HTML; else a few, from the file written.
  const gzipOf = (page: RenderedSite['pages'][number]) => {
    if (page.gzipBytes !== undefined) return page.gzipBytes;
    if (gzip && page.html !== undefined) return gzipSize(page.html);
    const file = path.join(outDir, page.outputPath);
    return () => gzipSize(readFileSync(file));
  };
  const pageSizes = new Map(pages.map((page) => [page.outputPath, { bytes: page.bytes, gzipBytes: gzipOf(page) }]));
  const sizes = sizeReport(pageSizes, css, plan.config.budget.pageKb, gzip);
  const overBudget = overBudgetWarning(sizes, plan.config.budget.pageKb);
  if (overBudget && options.warnBudget !== false) warn(overBudget);
  return sizes;
}

export { formatSizeReport, overBudgetWarning };

/** The build cache of a site: `.fleuron/build-cache` in the current folder unless `cacheDir` says otherwise. */
export function openBuildCache(options: Pick<BuildOptions, 'sourceDir' | 'cacheDir'>): Promise<BuildCache> {
  return BuildCache.open(options.cacheDir ?? path.resolve('.fleuron/build-cache'), path.resolve(options.sourceDir));
}

async function assertFolders(sourceDir: string, outDir: string, sourceLabel: string): Promise<void> {
  const info = await stat(sourceDir).catch(() => undefined);
  if (!info?.isDirectory()) throw usageError('source-missing', `${sourceLabel}: no such folder`, 'name the folder of Markdown to build: fleuron build SRC');
  const inside = (child: string, parent: string) => child === parent || child.startsWith(parent + path.sep);
  if (inside(outDir, sourceDir) || inside(sourceDir, outDir)) {
    throw usageError('out-overlaps-source', `the output folder ${outDir} overlaps the site folder ${sourceDir}`, 'build into a folder outside the sources, e.g. --out public');
  }
}

