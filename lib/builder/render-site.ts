/**
 * The render phase: a page whose inputs are unchanged and whose output file is intact is not rendered again;
 * the others are rendered (in workers); then every link is checked. A page's inputs are its text, what the whole
 * site shares (siteHash) and what it shows of other pages (pageDepsHash): a title change re-renders the pages
 * that show that title, and a layout change the pages that use that layout, not the whole site.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileStats, stampOf, trustedStamp } from '../files/file-stamp.js';
import { builderFingerprint, contentHash, hashOf } from './cache/hash.js';
import type { CachedPage, RememberedPage, BuildCache } from './build-cache.js';
import type { PlannedPage, SitePlan } from './load/load-site.js';
import { readPageText } from './load/pages.js';
import { defaultLayout, type PageSummary, type SiteLink } from './load/site-map.js';
import { TemplateDeps } from './load/template-deps.js';
import { checkFragments, type LinkProblem } from './render/links.js';
import type { PageJob, RenderContext } from './render/render-context.js';
import type { RenderedPage } from './render/render-page.js';
import type { RenderWorkerSession } from './render/render-pool.js';
import { listedOn, siteLookups, type SiteLookups } from './render/site-lookups.js';
import type { DepsMemo } from './rebuild-state.js';

/** A page of this build: freshly rendered (with its HTML), or remembered (its output file already holds it). */
export type PageOutcome = RenderedPage | (RememberedPage & { html?: undefined });

export interface RenderedSite {
  /** In the order of the plan's jobs. */
  pages: PageOutcome[];
  rendered: number;
  workers: number;
  /** This build's deps hashes, for the next build (see depsHashes). */
  deps: DepsMemo;
}

export function htmlHash(html: string | Buffer): string {
  return contentHash(html);
}

/**
 * What every page's HTML may depend on besides its own text and the pages it shows: config, stylesheets, icon,
 * feed, drafts, every output path (links are checked and made relative against them), the builder's code. Titles
 * and templates are left to pageDepsHash; the folder's name in messages too, so building from elsewhere still hits.
 */
export function siteHash(context: RenderContext): string {
  const { templates: _templates, pages, sourceLabel: _label, menu: _menu, ...shared } = context;
  // Which source each page comes from (links name sources); titles and dates are not part of this.
  const sources = pages.map((page) => `${page.kind}\u0001${page.sourcePath}\u0001${page.outputPath}`).join('\n');
  return hashOf(builderFingerprint(), JSON.stringify(shared), sources);
}

/**
 * What a page shows of the rest of the site, as renderPage reads it: the templates of its layout, its own title,
 * the menu, its breadcrumbs, its part of a listing, and the latest posts when its layout shows them.
 */
export class PageDeps {
  private readonly templates: TemplateDeps;
  private readonly menu: string;
  /** Per layout: the hash of what every page of that layout shares (templates, menu, latest posts if shown). */
  private readonly shared = new Map<string, string>();

  constructor(private readonly site: SiteLookups) {
    this.templates = new TemplateDeps(site.context.templates);
    this.menu = linksText(site.menu);
  }

  hash(job: PlannedPage): string {
    const isPost = job.kind === 'page' && job.frontMatter.date !== undefined;
    const layout = job.frontMatter.layout ?? defaultLayout(job, isPost);
    const { site } = this;
    const listing = job.listing ? `${job.listing.number}/${job.listing.total}/${job.listing.size}/${job.listing.index}` : '';
    return hashOf(this.sharedBy(layout), site.titles.get(job.outputPath) ?? '', linksText(site.breadcrumbs(job.outputPath)), listing, linksText(listedOn(job, site)));
  }

  private sharedBy(layout: string): string {
    let hash = this.shared.get(layout);
    if (hash === undefined) {
      const latest = this.templates.uses(layout, 'latestPosts') ? linksText(this.site.latestPosts) : '';
      this.shared.set(layout, (hash = hashOf(this.templates.of(layout).hash, layout, this.menu, latest)));
    }
    return hash;
  }
}

function linksText(links: readonly SiteLink[]): string {
  return links.map((link) => `${link.outputPath}\u0001${link.title}\u0001${link.date ?? ''}\u0001${link.description ?? ''}\u0001${link.isFolder ? 1 : 0}`).join('\n');
}

/** How pages are rendered: `threads` and `isolate` as in render-pool.ts, or on the worker a `session` keeps. */
export interface RenderWith {
  threads?: number;
  isolate?: boolean;
  session?: RenderWorkerSession;
}

/** What a build may take from the last one (the preview's, see rebuild-state.ts). */
export interface RenderShortcuts {
  /** The deps hashes of the last build: reused for every page whose own part is unchanged, when the site's pages are. */
  deps?: DepsMemo;
  /** Take a cached page's output file as intact without looking: the preview's own folder, after page edits only. */
  trustOutputs?: boolean;
}

export async function renderSite(plan: SitePlan, cache: BuildCache, outDir: string, using: RenderWith = {}, shortcuts: RenderShortcuts = {}): Promise<RenderedSite> {
  const { context, jobs } = plan;
  cache.useContext(siteHash(context));
  const deps = depsHashes(context, jobs, shortcuts.deps);
  const depsHashOf = deps.hashes;
  const pages: PageOutcome[] = new Array(jobs.length);
  const misses: number[] = [];
  jobs.forEach((job, index) => {
    const hit = cache.get(job, depsHashOf[index]!);
    if (hit && (shortcuts.trustOutputs || holdsPage(`${outDir}${path.sep}${job.outputPath}`, hit, cache))) pages[index] = hit.page;
    else misses.push(index);
  });
  const fresh = misses.length === 0 ? { pages: [], workers: 0 } : await render(misses.map((index) => jobToRender(jobs[index]!, context.sourceLabel)), context, using);
  // Only posts need their body again (for the feed); other pages' bodies are dropped, here and from the cache.
  const postOutputs = new Set(plan.posts.map((post) => post.outputPath));
  fresh.pages.forEach((page, position) => {
    const index = misses[position]!;
    const content = postOutputs.has(page.outputPath) ? page.content : '';
    pages[index] = content === page.content ? page : { ...page, content };
    const { html, ...remembered } = page;
    cache.set(page.outputPath, { textHash: jobs[index]!.textHash, depsHash: depsHashOf[index]!, page: { ...remembered, content, htmlHash: htmlHash(html) } });
  });
  return { pages, rendered: misses.length, workers: fresh.workers, deps: deps.memo };
}

/**
 * Each job's deps hash (see PageDeps). When the site's pages (titles, dates, paths…), templates, menu and config are
 * those of the last build, a page whose own part (layout, kind, listing position) is unchanged has the same hash:
 * after a body edit no page's hash is computed again, and no lookup of the whole site is made.
 */
export function depsHashes(context: RenderContext, jobs: readonly PlannedPage[], memo?: DepsMemo): { hashes: string[]; memo: DepsMemo } {
  const rest = hashOf(JSON.stringify(context.templates), JSON.stringify(context.menu ?? null), JSON.stringify(context.config));
  const reuse = memo !== undefined && memo.rest === rest && samePages(memo.pages, context.pages) ? memo : undefined;
  let deps: PageDeps | undefined;
  const byOutput = new Map<string, { key: string; hash: string }>();
  const hashes = jobs.map((job) => {
    const key = ownDepsKey(job);
    const known = reuse?.byOutput.get(job.outputPath);
    const hash = known?.key === key ? known.hash : (deps ??= new PageDeps(siteLookups(context))).hash(job);
    byOutput.set(job.outputPath, { key, hash });
    return hash;
  });
  return { hashes, memo: { pages: context.pages, rest, byOutput } };
}

/** What PageDeps.hash reads of the job itself (its output path aside). */
function ownDepsKey(job: PlannedPage): string {
  const listing = job.listing ? `${job.listing.number}/${job.listing.total}/${job.listing.size}/${job.listing.index}` : '';
  return `${job.kind}\u0001${job.sourcePath}\u0001${job.frontMatter.layout ?? ''}\u0001${job.frontMatter.date === undefined ? 0 : 1}\u0001${listing}`;
}

function samePages(a: readonly PageSummary[], b: readonly PageSummary[]): boolean {
  return a.length === b.length && a.every((page, index) => sameFields(page, b[index]!));
}

function sameFields(a: object, b: object): boolean {
  if (a === b) return true;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => {
    const x = (a as Record<string, unknown>)[key];
    const y = (b as Record<string, unknown>)[key];
    return x === y || (typeof x === 'object' && x !== null && typeof y === 'object' && y !== null && JSON.stringify(x) === JSON.stringify(y));
  });
}

/** Markdown and Liquid are loaded only when some page has to be rendered: a rebuild with nothing to render needs neither. */
async function render(jobs: PageJob[], context: RenderContext, using: RenderWith) {
  if (using.session) return { pages: await using.session.render(jobs, context), workers: 1 };
  const { renderPages } = await import('./render/render-pool.js');
  return renderPages(jobs, context, { ...(using.threads === undefined ? {} : { threads: using.threads }), isolate: using.isolate ?? false });
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
function holdsPage(file: string, hit: CachedPage, cache: BuildCache): boolean {
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

/** Broken links and missing `#fragments` of all pages (errors), and emptied or empty URLs (warnings), as `file:line: …` lines sorted by file and line. */
export function linkProblems(pages: readonly PageOutcome[], sourceLabel: string): { errors: string[]; warnings: string[] } {
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
  const line = ({ file, problem }: (typeof found)[number]) =>
    `${sourceLabel}/${file}:${problem.line}: ${problem.severity === 'warning' ? 'link' : 'broken link'} "${problem.href}": ${problem.reason}`;
  return { errors: found.filter(({ problem }) => problem.severity !== 'warning').map(line), warnings: found.filter(({ problem }) => problem.severity === 'warning').map(line) };
}
