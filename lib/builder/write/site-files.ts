/** The generated files of a build besides the pages: Atom feed, sitemap, and the aliases list for the publisher. */
import type { SitePlan } from '../load/load-site.js';
import type { SiteConfig } from '../load/site-config.js';
import { renderFeed } from '../render/feed.js';
import { renderSitemap } from '../render/sitemap.js';
import { ALIASES_FILE } from './write-output.js';

/** What siteFiles needs of a page: rendered now (`html`), or kept from an earlier build (`html` undefined). */
export interface PageOutput {
  outputPath: string;
  html?: Buffer;
  /** The body HTML, for the feed. */
  content: string;
}

/**
 * Output path → content of the generated files to write: freshly rendered pages, feed, sitemap, aliases. Pages
 * remembered from the cache are already in the output folder, intact: they are listed in `kept`.
 */
export function siteFiles(plan: SitePlan, pages: readonly PageOutput[]): { files: Map<string, string | Buffer>; kept: Set<string> } {
  const files = new Map<string, string | Buffer>();
  const kept = new Set<string>();
  for (const page of pages) {
    if (page.html === undefined) kept.add(page.outputPath);
    else files.set(page.outputPath, page.html);
  }
  if (plan.feed) {
    const content = new Map(pages.map((page) => [page.outputPath, page.content]));
    const entries = plan.posts.map((post) => ({ post, content: content.get(post.outputPath) ?? '' }));
    files.set(plan.feed, renderFeed(entries, plan.config as SiteConfig & { baseUrl: string }));
  }
  if (plan.sitemap) files.set(plan.sitemap, renderSitemap(plan.context.pages, plan.config.baseUrl!, plan.config.urls));
  for (const [outputPath, content] of plan.generatedFiles) files.set(outputPath, content);
  files.set(ALIASES_FILE, JSON.stringify(plan.aliases, null, 2) + '\n');
  return { files, kept };
}
