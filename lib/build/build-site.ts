/** Builds a site folder into an output folder: load (config, sources, front matter) → render (pages, feed, sitemap) → write. */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { FleuronError, usageError } from '../errors/fleuron-error.js';
import { RenderCache } from './render-cache.js';
import { loadSite, STYLESHEET, type SitePlan } from './load/load-site.js';
import { THEME_DIR } from './theme-location.js';
import type { Redirect } from './load/aliases.js';
import { linkProblems, renderSite } from './render-site.js';
import { formatSizeReport, gzipSize, sizeReport, type SizeReport } from './write/size-report.js';
import { siteFiles } from './write/site-files.js';
import { unchangedCopies } from './write/unchanged-copies.js';
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
  /** Worker threads for rendering; defaults to one less than the available parallelism (none on 2 cores). */
  threads?: number;
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
  /** Milliseconds per phase. */
  timings: { load: number; render: number; write: number; total: number };
}

export async function buildSite(options: BuildOptions): Promise<BuildResult> {
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

  const cache = await RenderCache.open(options.cacheDir ?? path.resolve('.fleuron/build-cache'), sourceDir);
  const plan = await loadSite({
    sourceDir,
    sourceLabel,
    drafts: options.drafts ?? false,
    themeDir: THEME_DIR,
    memory: cache.sources,
    warn,
  });
  const loadedAt = performance.now();

  const rendered = await renderSite(plan, cache, outDir, options.threads);
  await checkLinks(linkProblems(rendered.pages, sourceLabel), options.brokenLinks === 'warn', cache, warn, log);
  const renderedAt = performance.now();

  const { files, kept } = siteFiles(plan, rendered.pages);
  const keptCopies = unchangedCopies(plan.copies, outDir, cache);
  const copies = new Map([...plan.copies].filter(([outputPath]) => !keptCopies.has(outputPath)));
  const written = await writeOutput(outDir, { files, copies, kept: new Set([...kept, ...keptCopies]) });
  cache.retain(new Set(plan.context.outputs));
  await cache.save();
  const sizes = await checkSizes(plan, rendered.pages, warn);
  const finished = performance.now();
  const result: BuildResult = {
    outDir,
    pages: plan.jobs.length,
    files: files.size + kept.size + plan.copies.size,
    warnings,
    aliases: plan.aliases,
    rendered: rendered.rendered,
    cached: plan.jobs.length - rendered.rendered,
    workers: rendered.workers,
    ...written,
    sizes,
    timings: {
      load: Math.round(loadedAt - started),
      render: Math.round(renderedAt - loadedAt),
      write: Math.round(finished - renderedAt),
      total: Math.round(finished - started),
    },
  };
  return result;
}

/** Broken links fail the build (after saving what was rendered), or are warnings with `--broken-links warn`. */
async function checkLinks(problems: string[], onlyWarn: boolean, cache: RenderCache, warn: (line: string) => void, log: (line: string) => void): Promise<void> {
  if (problems.length === 0) return;
  if (onlyWarn) return problems.forEach(warn);
  await cache.save();
  if (problems.length > 1) problems.forEach((problem) => log(`error: ${problem}`));
  throw new FleuronError('broken-links', problems.length > 1 ? `${problems[0]} (and ${problems.length - 1} more)` : problems[0]!, {
    hint: 'fix the link, or build with --broken-links warn',
  });
}

/** Each page's gzipped size with the stylesheet, and a warning for each page over the budget. */
async function checkSizes(plan: SitePlan, pages: readonly { outputPath: string; gzipBytes: number }[], warn: (line: string) => void): Promise<SizeReport> {
  const cssFile = plan.copies.get(STYLESHEET);
  const cssGzip = cssFile ? gzipSize(await readFile(cssFile)) : 0;
  const sizes = sizeReport(new Map(pages.map((page) => [page.outputPath, page.gzipBytes])), cssGzip, plan.config.budget.pageKb);
  for (const page of sizes.overBudget) {
    warn(`${page.outputPath} is ${(page.totalGzipBytes / 1024).toFixed(1)} KiB gzipped with its CSS, over the ${plan.config.budget.pageKb} KiB budget`);
  }
  return sizes;
}

export { formatSizeReport };

async function assertFolders(sourceDir: string, outDir: string, sourceLabel: string): Promise<void> {
  const info = await stat(sourceDir).catch(() => undefined);
  if (!info?.isDirectory()) throw usageError('source-missing', `${sourceLabel}: no such folder`, 'name the folder of Markdown to build: fleuron build SRC');
  const inside = (child: string, parent: string) => child === parent || child.startsWith(parent + path.sep);
  if (inside(outDir, sourceDir) || inside(sourceDir, outDir)) {
    throw usageError('out-overlaps-source', `the output folder ${outDir} overlaps the site folder ${sourceDir}`, 'build into a folder outside the sources, e.g. --out public');
  }
}

