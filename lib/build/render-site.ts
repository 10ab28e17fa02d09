/**
 * The render phase: a page whose inputs are unchanged and whose output file is intact is not rendered again;
 * the others are rendered (in workers); then every link is checked.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileStats, stampOf, trustedStamp } from '../files/file-stamp.js';
import { builderFingerprint, contentHash, hashOf } from './cache/hash.js';
import type { CachedPage, RememberedPage, RenderCache } from './render-cache.js';
import type { PlannedPage, SitePlan } from './load/load-site.js';
import { readPageText } from './load/pages.js';
import { checkFragments, type LinkProblem } from './render/links.js';
import type { PageJob, RenderContext } from './render/render-context.js';
import type { RenderedPage } from './render/render-page.js';

/** A page of this build: freshly rendered (with its HTML), or remembered (its output file already holds it). */
export type PageOutcome = RenderedPage | (RememberedPage & { html?: undefined });

export interface RenderedSite {
  /** In the order of the plan's jobs. */
  pages: PageOutcome[];
  rendered: number;
  workers: number;
}

export function htmlHash(html: string | Buffer): string {
  return contentHash(html);
}

/**
 * What every page's HTML depends on besides its own source text: config, templates, every page's path, title and
 * dates, every output path, the builder's code. (A page's front matter comes from its text, or for a generated page
 * from the page list.) The folder's name in messages is left out, so that building from another directory still hits.
 */
export function contextHash(context: RenderContext): string {
  return hashOf(builderFingerprint(), JSON.stringify({ ...context, sourceLabel: undefined }));
}

export async function renderSite(plan: SitePlan, cache: RenderCache, outDir: string, threads?: number): Promise<RenderedSite> {
  const { context, jobs } = plan;
  cache.useContext(contextHash(context));
  const pages: PageOutcome[] = new Array(jobs.length);
  const misses: number[] = [];
  jobs.forEach((job, index) => {
    const hit = cache.get(job);
    if (hit && holdsPage(`${outDir}${path.sep}${job.outputPath}`, hit, cache)) pages[index] = hit.page;
    else misses.push(index);
  });
  const fresh = misses.length === 0 ? { pages: [], workers: 0 } : await render(misses.map((index) => jobToRender(jobs[index]!, context.sourceLabel)), context, threads);
  // Only posts need their body again (for the feed); other pages' bodies are dropped from the cache.
  const postOutputs = new Set(plan.posts.map((post) => post.outputPath));
  fresh.pages.forEach((page, position) => {
    const index = misses[position]!;
    pages[index] = page;
    const { html, ...remembered } = page;
    cache.set(page.outputPath, { textHash: jobs[index]!.textHash, page: { ...remembered, content: postOutputs.has(page.outputPath) ? page.content : '', htmlHash: htmlHash(html) } });
  });
  return { pages, rendered: misses.length, workers: fresh.workers };
}

/** Markdown and Liquid are loaded only when some page has to be rendered: a rebuild with nothing to render needs neither. */
async function render(jobs: PageJob[], context: RenderContext, threads: number | undefined) {
  const { renderPages } = await import('./render/render-pool.js');
  return renderPages(jobs, context, threads === undefined ? {} : { threads });
}

/** The page with its text, read now if the loader trusted its stamp and skipped it. */
function jobToRender(job: PlannedPage, sourceLabel: string): PageJob {
  const { textHash, absolutePath, text, ...rest } = job;
  return { ...rest, text: text ?? readPageText({ sourcePath: job.sourcePath, absolutePath: absolutePath! }, sourceLabel) };
}

/**
 * Whether the output file holds the cached page's HTML: trusted from its stamp when unchanged since it was last
 * checked, else read and hashed (synchronously, like the loader's reads: thousands of small files read faster that way).
 */
function holdsPage(file: string, hit: CachedPage, cache: RenderCache): boolean {
  const stampedAt = Date.now();
  const stats = fileStats(file);
  if (!stats) return false;
  if (hit.output !== undefined && hit.output === stampOf(stats)) return true;
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return false;
  }
  if (htmlHash(bytes) !== hit.page.htmlHash) return false;
  cache.setOutputStamp(hit.page.outputPath, trustedStamp(stats, stampedAt));
  return true;
}

/** Broken links and missing `#fragments` of all pages, as `file:line: …` lines sorted by file and line. */
export function linkProblems(pages: readonly PageOutcome[], sourceLabel: string): string[] {
  // The ids of a page as a set only when some link needs them: most pages are no link's target.
  const pageIds = new Map(pages.map((page) => [page.outputPath, page.ids]));
  const idSets = new Map<string, Set<string>>();
  const ids = {
    get(outputPath: string): Set<string> | undefined {
      let set = idSets.get(outputPath);
      if (!set && pageIds.has(outputPath)) idSets.set(outputPath, (set = new Set(pageIds.get(outputPath))));
      return set;
    },
  };
  const found: { file: string; problem: LinkProblem }[] = [];
  for (const page of pages) {
    for (const problem of page.problems) found.push({ file: page.sourcePath, problem });
    if (page.links.length === 0) continue;
    for (const problem of checkFragments(page.links, ids)) found.push({ file: page.sourcePath, problem });
  }
  found.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.problem.line - b.problem.line));
  return found.map(({ file, problem }) => `${sourceLabel}/${file}:${problem.line}: broken link "${problem.href}": ${problem.reason}`);
}
