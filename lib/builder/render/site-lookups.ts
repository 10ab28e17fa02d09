/** What pages ask of the site (menu, titles, breadcrumbs, listings): plain lookups, without the template engine or Markdown. */
import type { LinkTargets } from './links.js';
import type { PageJob, RenderContext } from '../load/load-site.js';
import { breadcrumbsFor, folderListing, isIndexSource, postsOf, siteMenu, type SiteLink } from '../load/site-map.js';
import { wordsFor, type ThemeWords } from '../load/words.js';

/** What pages ask of the site (menu, titles, listings), built once per build. */
export interface SiteLookups {
  context: RenderContext;
  words: ThemeWords;
  targets: LinkTargets;
  titles: Map<string, string>;
  menu: SiteLink[];
  latestPosts: SiteLink[];
  breadcrumbs: (outputPath: string) => SiteLink[];
  listing: (outputPath: string) => SiteLink[];
}

export function siteLookups(context: RenderContext): SiteLookups {
  const words = wordsFor(context.config.language);
  const language = context.config.language;
  const titles = new Map(context.pages.map((page) => [page.outputPath, page.title]));
  const pages = new Map<string, string>();
  for (const page of context.pages) if (page.kind !== 'folder-index' && page.kind !== 'listing-page') pages.set(page.sourcePath, page.outputPath);
  const latestPosts = postsOf(context.pages, language)
    .slice(0, 5)
    .map((post) => ({ title: post.title, outputPath: post.outputPath, date: post.date! }));
  const listings = new Map<string, SiteLink[]>();
  return {
    context,
    words,
    targets: { pages, drafts: new Set(context.drafts), outputs: new Set(context.outputs) },
    titles,
    menu: siteMenu(context.pages, words.home, language, context.menu),
    latestPosts,
    breadcrumbs: (outputPath) => breadcrumbsFor(outputPath, titles, words.home),
    // Memoised: every page of a long listing asks for the same sorted list.
    listing: (outputPath) => {
      let links = listings.get(outputPath);
      if (!links) listings.set(outputPath, (links = folderListing(outputPath, context.pages, language)));
      return links;
    },
  };
}

/** What an index page lists: all of its folder's listing, or its part of a listing split over several pages. */
export function listedOn(job: Pick<PageJob, 'kind' | 'sourcePath' | 'outputPath' | 'listing'>, site: Pick<SiteLookups, 'listing'>): SiteLink[] {
  if (job.listing) return site.listing(job.listing.index).slice((job.listing.number - 1) * job.listing.size, job.listing.number * job.listing.size);
  return job.kind === 'folder-index' || isIndexSource(job.sourcePath, job.outputPath) ? site.listing(job.outputPath) : [];
}
