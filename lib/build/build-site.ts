/** Builds a site folder into an output folder: load (config, sources, front matter) → render (pages, feed, sitemap) → write. */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { FleuronError, usageError } from '../errors/fleuron-error.js';
import { builderFingerprint, hashOf, RenderCache } from './cache/render-cache.js';
import type { FrontMatter, SplitPage } from './load/front-matter.js';
import { loadPages, type LoadedPage } from './load/pages.js';
import { loadSiteConfig, type SiteConfig } from './load/site-config.js';
import { scanSources } from './load/sources.js';
import { loadTemplates, themeAssets } from './load/templates.js';
import { collectAliases, type Redirect } from './render/aliases.js';
import { FEED_PATH, renderFeed } from './render/feed.js';
import { checkFragments, type LinkProblem } from './render/links.js';
import type { PageJob, RenderContext } from './render/render-context.js';
import type { RenderedPage } from './render/render-page.js';
import { renderPages } from './render/render-pool.js';
import { folderOf, folderTitle, isIndexSource, missingFolderIndexes, postsOf, resolveNavigation, type PageSummary, type SiteLink } from './render/site-map.js';
import { renderSitemap, SITEMAP_PATH } from './render/sitemap.js';
import { wordsFor } from './render/words.js';
import { formatSizeReport, gzipSize, sizeReport, type SizeReport } from './write/size-report.js';
import { ALIASES_FILE, writeOutput } from './write/write-output.js';

export interface BuildOptions {
  sourceDir: string;
  outDir: string;
  /** Include pages with `draft: true`. */
  drafts?: boolean;
  /** Broken internal links fail the build (`error`, the default) or are only reported (`warn`). */
  brokenLinks?: 'error' | 'warn';
  /** Where the incremental cache lives; defaults to `.fleuron/build-cache` in the current folder. */
  cacheDir?: string;
  /** Worker threads for rendering; defaults to the available parallelism. */
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

const STYLESHEET = 'theme.css';

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

  // Load.
  const { config, file: configFile } = await loadSiteConfig(sourceDir);
  const configLabel = configFile ? path.relative(process.cwd(), configFile) : `${sourceLabel}/fleuron.yaml`;
  const [files, templates, themeFiles] = await Promise.all([scanSources(sourceDir), loadTemplates(sourceDir), themeAssets()]);
  const cache = await RenderCache.open(options.cacheDir ?? path.resolve('.fleuron/build-cache'), sourceDir);
  const parsed = {
    get: (text: string) => cache.getFrontMatter(hashOf(builderFingerprint(), text)),
    set: (text: string, value: SplitPage) => cache.setFrontMatter(hashOf(builderFingerprint(), text), value),
  };
  const loaded = await loadPages(files, { sourceLabel, maxFileBytes: config.markdown.maxFileKb * 1024, parsed });
  const isLeftOut = (page: LoadedPage) => page.frontMatter.draft && !options.drafts;
  const pages = loaded.filter((page) => !isLeftOut(page));
  const drafts = loaded.filter(isLeftOut).map((page) => page.sourcePath);

  const copies = new Map<string, string>(themeFiles);
  for (const file of files) if (!file.isPage) copies.set(file.outputPath, file.absolutePath);
  const outputs = new Set<string>([...pages.map((page) => page.outputPath), ...copies.keys()]);

  const words = wordsFor(config.language);
  const summaries = pages.map((page) => summaryOf(page, config));
  const generated = missingFolderIndexes(summaries, outputs, config.title);
  if (!outputs.has('404.html')) generated.push({ sourcePath: '', outputPath: '404.html', kind: 'not-found', title: words.notFoundTitle });
  for (const page of generated) outputs.add(page.outputPath);
  const allSummaries = [...summaries, ...generated].sort((a, b) => (a.outputPath < b.outputPath ? -1 : 1));

  const posts = postsOf(allSummaries, config.language);
  const feed = posts.length > 0 && config.baseUrl !== undefined && !outputs.has(FEED_PATH) ? FEED_PATH : undefined;
  const sitemap = config.baseUrl !== undefined && !outputs.has(SITEMAP_PATH) ? SITEMAP_PATH : undefined;
  if (!config.baseUrl && posts.length > 0) warn(`${configLabel}: no baseUrl, so no feed.xml and no sitemap.xml (they need absolute URLs)`);
  if (feed) outputs.add(feed);
  if (sitemap) outputs.add(sitemap);

  let menu: SiteLink[] | undefined;
  if (config.navigation) {
    const pagesBySource = new Map(pages.map((page) => [page.sourcePath, page.outputPath]));
    const resolved = resolveNavigation(config.navigation, pagesBySource, outputs);
    if (resolved.missing.length > 0) {
      throw usageError('config-invalid', `${configLabel}: navigation entry "${resolved.missing[0]}" matches no page of ${sourceLabel}`, 'write the source path of a page (about.md) or folder (notes/)');
    }
    menu = resolved.links;
    // A generated folder index takes the title the menu gives its folder (`Réunions` rather than `Reunions`).
    const menuTitles = new Map(menu.map((link) => [link.outputPath, link.title]));
    for (const page of generated) if (page.kind === 'folder-index') page.title = menuTitles.get(page.outputPath) ?? page.title;
  }
  const aliases = collectAliases(
    pages.map((page) => ({ sourcePath: page.sourcePath, outputPath: page.outputPath, aliases: page.frontMatter.aliases })),
    outputs,
    sourceLabel,
  );

  const context: RenderContext = {
    config,
    templates,
    pages: allSummaries,
    drafts,
    outputs: [...outputs].sort(),
    stylesheets: copies.has(STYLESHEET) ? [STYLESHEET] : [],
    sourceLabel,
    ...(menu ? { menu } : {}),
    ...(feed ? { feed } : {}),
  };
  const jobs: PageJob[] = [
    ...pages.map((page) => ({ ...page, kind: page.sourcePath === '404.md' ? ('not-found' as const) : ('page' as const) })),
    ...generated.map((page) => ({ sourcePath: page.sourcePath, outputPath: page.outputPath, kind: page.kind, text: '', frontMatter: { title: page.title, draft: false, aliases: [], extra: {} } satisfies FrontMatter, bodyLine: 1 })),
  ];
  const loadedAt = performance.now();

  // Render: anything a page depends on besides its own text is in the context, so its hash is part of every key.
  // (The folder's name in messages is not part of any page: leave it out, so a build from another directory still hits.)
  const contextHash = hashOf(builderFingerprint(), JSON.stringify({ ...context, sourceLabel: undefined }));
  const keys = jobs.map((job) => hashOf(contextHash, job.kind, job.sourcePath, job.outputPath, job.text, JSON.stringify(job.frontMatter)));
  const results: RenderedPage[] = new Array(jobs.length);
  const gzipBytes = new Map<string, number>();
  const misses: number[] = [];
  jobs.forEach((job, index) => {
    const hit = cache.get(job.outputPath, keys[index]!);
    if (hit) {
      results[index] = hit.page;
      gzipBytes.set(job.outputPath, hit.page.gzipBytes);
    } else misses.push(index);
  });
  const postOutputs = new Set(posts.map((post) => post.outputPath));
  const { pages: fresh, workers } = await renderPages(misses.map((index) => jobs[index]!), context, options.threads === undefined ? {} : { threads: options.threads });
  fresh.forEach((page, position) => {
    const index = misses[position]!;
    results[index] = page;
    gzipBytes.set(page.outputPath, page.gzipBytes);
    cache.set(page.outputPath, { key: keys[index]!, page: { ...page, content: postOutputs.has(page.outputPath) ? page.content : '' } });
  });
  cache.retain(new Set(jobs.map((job) => job.outputPath)));
  await cache.save();

  const problems = linkProblems(results, sourceLabel);
  if (problems.length > 0) {
    if (options.brokenLinks === 'warn') problems.forEach(warn);
    else {
      if (problems.length > 1) problems.forEach((problem) => log(`error: ${problem}`));
      throw new FleuronError('broken-links', problems.length > 1 ? `${problems[0]} (and ${problems.length - 1} more)` : problems[0]!, {
        hint: 'fix the link, or build with --broken-links warn',
      });
    }
  }
  const renderedAt = performance.now();

  // Write.
  const generatedFiles = new Map<string, string>();
  for (const page of results) generatedFiles.set(page.outputPath, page.html);
  const byOutput = new Map(results.map((page) => [page.outputPath, page]));
  if (feed) {
    const entries = posts.map((post) => ({ post, content: byOutput.get(post.outputPath)?.content ?? '' }));
    generatedFiles.set(feed, renderFeed(entries, config as SiteConfig & { baseUrl: string }));
  }
  if (sitemap) generatedFiles.set(sitemap, renderSitemap(allSummaries, config.baseUrl!));
  generatedFiles.set(ALIASES_FILE, JSON.stringify(aliases, null, 2) + '\n');
  const written = await writeOutput(outDir, { files: generatedFiles, copies });

  const cssFile = copies.get(STYLESHEET);
  const cssGzip = cssFile ? gzipSize(await readFile(cssFile)) : 0;
  const sizes = sizeReport(gzipBytes, cssGzip, config.budget.pageKb);
  for (const page of sizes.overBudget) {
    warn(`${page.outputPath} is ${(page.totalGzipBytes / 1024).toFixed(1)} KB gzipped with its CSS, over the ${config.budget.pageKb} KB budget`);
  }
  const finished = performance.now();
  const result: BuildResult = {
    outDir,
    pages: jobs.length,
    files: generatedFiles.size + copies.size,
    warnings,
    aliases,
    rendered: misses.length,
    cached: jobs.length - misses.length,
    workers,
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

export { formatSizeReport };

/** What the rest of the site needs to know about a page; the title defaults to the folder or file name. */
function summaryOf(page: LoadedPage, config: SiteConfig): PageSummary {
  const { frontMatter } = page;
  const fallback = isIndexSource(page.sourcePath)
    ? folderOf(page.outputPath) === '' ? config.title : folderTitle(folderOf(page.outputPath))
    : folderTitle(page.sourcePath.replace(/\.(md|markdown)$/i, ''));
  const summary: PageSummary = {
    sourcePath: page.sourcePath,
    outputPath: page.outputPath,
    kind: page.sourcePath === '404.md' ? 'not-found' : 'page',
    title: frontMatter.title ?? fallback,
  };
  if (frontMatter.description !== undefined) summary.description = frontMatter.description;
  if (frontMatter.date !== undefined) summary.date = frontMatter.date;
  if (frontMatter.updated !== undefined) summary.updated = frontMatter.updated;
  if (frontMatter.weight !== undefined) summary.weight = frontMatter.weight;
  return summary;
}

/** Broken links and missing `#fragments`, as `file:line: …` lines sorted by file and line. */
function linkProblems(pages: readonly RenderedPage[], sourceLabel: string): string[] {
  const ids = new Map(pages.map((page) => [page.outputPath, new Set(page.ids)]));
  const found: { file: string; problem: LinkProblem }[] = [];
  for (const page of pages) {
    for (const problem of [...page.problems, ...checkFragments(page.links, ids)]) found.push({ file: page.sourcePath, problem });
  }
  found.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.problem.line - b.problem.line));
  return found.map(({ file, problem }) => `${sourceLabel}/${file}:${problem.line}: broken link "${problem.href}": ${problem.reason}`);
}

async function assertFolders(sourceDir: string, outDir: string, sourceLabel: string): Promise<void> {
  const info = await stat(sourceDir).catch(() => undefined);
  if (!info?.isDirectory()) throw usageError('source-missing', `${sourceLabel}: no such folder`, 'name the folder of Markdown to build: fleuron build SRC');
  const inside = (child: string, parent: string) => child === parent || child.startsWith(parent + path.sep);
  if (inside(outDir, sourceDir) || inside(sourceDir, outDir)) {
    throw usageError('out-overlaps-source', `the output folder ${outDir} overlaps the site folder ${sourceDir}`, 'build into a folder outside the sources, e.g. --out public');
  }
}

