/**
 * The render phase: a page whose inputs are unchanged and whose output file is intact is not rendered again;
 * the others are rendered (in workers); then every link is checked.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { builderFingerprint, hashOf, type RememberedPage, type RenderCache } from '../cache/render-cache.js';
import type { SitePlan } from '../load/load-site.js';
import { checkFragments, type LinkProblem } from './links.js';
import type { PageJob, RenderContext } from './render-context.js';
import type { RenderedPage } from './render-page.js';
import { renderPages } from './render-pool.js';

/** A page of this build: freshly rendered (with its HTML), or remembered (its output file already holds it). */
export type PageOutcome = RenderedPage | (RememberedPage & { html?: undefined });

export interface RenderedSite {
  /** In the order of the plan's jobs. */
  pages: PageOutcome[];
  rendered: number;
  workers: number;
}

export function htmlHash(html: string | Buffer): string {
  return createHash('sha256').update(html).digest('hex');
}

/**
 * The cache key of each page: its own source, and a hash of the whole render context (config, templates, every
 * page's path, title and dates, every output path, the builder's code). The folder's name in messages is left out,
 * so that building from another directory still hits.
 */
export function cacheKeys(context: RenderContext, jobs: readonly PageJob[]): string[] {
  const contextHash = hashOf(builderFingerprint(), JSON.stringify({ ...context, sourceLabel: undefined }));
  return jobs.map((job) => hashOf(contextHash, job.kind, job.sourcePath, job.outputPath, job.text, JSON.stringify(job.frontMatter)));
}

export async function renderSite(plan: SitePlan, cache: RenderCache, outDir: string, threads?: number): Promise<RenderedSite> {
  const { context, jobs } = plan;
  const keys = cacheKeys(context, jobs);
  const pages: PageOutcome[] = new Array(jobs.length);
  const misses: number[] = [];
  jobs.forEach((job, index) => {
    const hit = cache.get(job.outputPath, keys[index]!);
    if (hit && outputHash(path.join(outDir, job.outputPath)) === hit.page.htmlHash) pages[index] = hit.page;
    else misses.push(index);
  });
  const { pages: fresh, workers } = await renderPages(misses.map((index) => jobs[index]!), context, threads === undefined ? {} : { threads });
  // Only posts need their body again (for the feed); other pages' bodies are dropped from the cache.
  const postOutputs = new Set(plan.posts.map((post) => post.outputPath));
  fresh.forEach((page, position) => {
    const index = misses[position]!;
    pages[index] = page;
    const { html, ...remembered } = page;
    cache.set(page.outputPath, { key: keys[index]!, page: { ...remembered, content: postOutputs.has(page.outputPath) ? page.content : '', htmlHash: htmlHash(html) } });
  });
  cache.retain(new Set(jobs.map((job) => job.outputPath)));
  return { pages, rendered: misses.length, workers };
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

/** Synchronous on purpose, like the loader's reads: thousands of small files read faster that way. */
function outputHash(file: string): string | undefined {
  try {
    return htmlHash(readFileSync(file));
  } catch {
    return undefined;
  }
}
