/** A render context made ready for rendering pages: its lookups (titles, menu, links) built once per thread. */
import type { Liquid } from 'liquidjs';
import type { PageJob, RenderContext } from '../load/load-site.js';
import { breadcrumbsFor, folderListing, postsOf, siteMenu, type SiteLink } from '../load/site-map.js';
import { wordsFor, type ThemeWords } from '../load/words.js';
import { createLayoutEngine } from './layouts.js';
import type { LinkTargets } from './links.js';

export type { PageJob, RenderContext };

/** The render context with its lookups built once. */
export interface PreparedSite {
  context: RenderContext;
  words: ThemeWords;
  engine: Liquid;
  targets: LinkTargets;
  titles: Map<string, string>;
  menu: SiteLink[];
  latestPosts: SiteLink[];
  breadcrumbs: (outputPath: string) => SiteLink[];
  listing: (outputPath: string) => SiteLink[];
}

export function prepareSite(context: RenderContext): PreparedSite {
  const words = wordsFor(context.config.language);
  const language = context.config.language;
  const titles = new Map(context.pages.map((page) => [page.outputPath, page.title]));
  const pages = new Map<string, string>();
  for (const page of context.pages) if (page.kind !== 'folder-index') pages.set(page.sourcePath, page.outputPath);
  const latestPosts = postsOf(context.pages, language)
    .slice(0, 5)
    .map((post) => ({ title: post.title, outputPath: post.outputPath, date: post.date! }));
  return {
    context,
    words,
    engine: createLayoutEngine(context.templates),
    targets: { pages, drafts: new Set(context.drafts), outputs: new Set(context.outputs) },
    titles,
    menu: siteMenu(context.pages, words.home, language, context.menu),
    latestPosts,
    breadcrumbs: (outputPath) => breadcrumbsFor(outputPath, titles, words.home),
    listing: (outputPath) => folderListing(outputPath, context.pages, language),
  };
}
