/**
 * The planet as a section of the site: gathers the feeds, then plans its pages (listing pages, members page,
 * rendered with the theme's `planet` layout like any other page) and its files (Atom feed, OPML).
 */
import { contentHash } from '../../cache/hash.js';
import type { PlannedPage } from '../load-site.js';
import type { SiteConfig } from '../site-config.js';
import type { PageSummary } from '../site-map.js';
import { relativeUrl } from '../url-map.js';
import { formatDate } from '../words.js';
import { gatherFeeds, type MemberFeed } from './gather-feeds.js';
import { mergeEntries, paginate, planetPaths, type PlanetEntry, type PlanetPaths } from './merge-entries.js';
import type { PlanetConfig } from './planet-config.js';
import { planetWordsFor, type PlanetWords } from './planet-words.js';
import { renderPlanetFeed, renderPlanetOpml } from './planet-xml.js';

/** The layout planet pages get (a site's `_layouts/planet.liquid` replaces the theme's). */
export const PLANET_LAYOUT = 'planet';

/** The links on a planet page: to the original posts, and to the members' sites. */
export const PLANET_LINK_REL = 'nofollow ugc noopener';

export interface PlanetSection {
  /** The planet's pages, for menus, breadcrumbs and the sitemap. */
  summaries: PageSummary[];
  /** The pages to render. */
  jobs: PlannedPage[];
  /** Generated files by output path: the Atom feed (with a base URL) and the OPML file. */
  files: Map<string, string>;
}

export interface PlanetSectionOptions {
  /** The feed cache file. */
  cacheFile: string;
  offline: boolean;
  configLabel: string;
  warn: (line: string) => void;
}

/** Fetches (or reads from the cache) every member's feed and plans the planet's pages and files. */
export async function planetSection(site: SiteConfig & { planet: PlanetConfig }, options: PlanetSectionOptions): Promise<PlanetSection> {
  const feeds = await gatherFeeds({ config: site.planet, cacheFile: options.cacheFile, offline: options.offline, warn: options.warn });
  if (!site.baseUrl) options.warn(`${options.configLabel}: no baseUrl, so the planet has no Atom feed (it needs absolute URLs)`);
  return planPlanet(site, feeds);
}

/** The planet's pages and files for these feeds: pure, so the same feeds always give the same bytes. */
export function planPlanet(site: SiteConfig & { planet: PlanetConfig }, feeds: readonly MemberFeed[]): PlanetSection {
  const { planet, language } = site;
  const words = planetWordsFor(language);
  const title = planet.title ?? words.title;
  const paths = planetPaths(planet.path);
  const entries = mergeEntries(feeds, planet);
  const pages = paginate(entries, planet.entriesPerPage);
  const context: PageContext = { planet, title, words, paths, feedPath: site.baseUrl ? paths.feed : undefined };
  const planned = [
    ...pages.map((pageEntries, index) => listingPage(context, pageEntries, index + 1, pages.length, language)),
    membersPage(context, feeds),
  ];
  return {
    summaries: planned.map((page) => page.summary),
    jobs: planned.map((page) => page.job),
    files: planetFiles(site, feeds, entries, context),
  };
}

/** What every planet page shares: the section's settings, title, words and paths. */
interface PageContext {
  planet: PlanetConfig;
  title: string;
  words: PlanetWords;
  paths: PlanetPaths;
  /** The Atom feed's path, when the site has a base URL (the feed needs absolute URLs). */
  feedPath: string | undefined;
}

/** The Atom feed (only with a base URL) and the OPML file, by output path. */
function planetFiles(site: SiteConfig, feeds: readonly MemberFeed[], entries: readonly PlanetEntry[], context: PageContext): Map<string, string> {
  const { planet, title, paths } = context;
  const files = new Map<string, string>();
  if (site.baseUrl) {
    const info = { title, language: site.language, baseUrl: site.baseUrl, paths, ...(planet.description ? { description: planet.description } : {}) };
    files.set(paths.feed, renderPlanetFeed(entries.slice(0, planet.entriesPerPage), info));
  }
  files.set(paths.opml, renderPlanetOpml(feeds, title));
  return files;
}

/** Listing page `number` of `total`, with links to its newer and older neighbours. */
function listingPage(context: PageContext, entries: readonly PlanetEntry[], number: number, total: number, language: string) {
  const { title, words, paths } = context;
  const outputPath = paths.listing(number);
  const pageOf = words.pageOf.replace('{n}', String(number)).replace('{total}', String(total));
  return planetPage(context, outputPath, number === 1 ? title : `${title} · ${pageOf}`, {
    kind: 'listing',
    number,
    total,
    pageOf,
    entries: entries.map((entry) => entryData(entry, language)),
    ...(number > 1 ? { newerUrl: relativeUrl(outputPath, paths.listing(number - 1)) } : {}),
    ...(number < total ? { olderUrl: relativeUrl(outputPath, paths.listing(number + 1)) } : {}),
  });
}

/** The members page: each member's name, site, feed and entry count. */
function membersPage(context: PageContext, feeds: readonly MemberFeed[]) {
  return planetPage(context, context.paths.members, `${context.title} · ${context.words.members}`, {
    kind: 'members',
    members: feeds.map((feed) => ({
      name: feed.member.name,
      site: feed.member.site ?? feed.site,
      feed: feed.member.url,
      entries: feed.entries.length,
    })),
  });
}

/** One planet page: its summary and its render job, the page's data and the section's links in `extra.planet`. */
function planetPage(context: PageContext, outputPath: string, pageTitle: string, data: Record<string, unknown>): { summary: PageSummary; job: PlannedPage } {
  const { planet, title, words, paths, feedPath } = context;
  const links = {
    membersUrl: relativeUrl(outputPath, paths.members),
    listingUrl: relativeUrl(outputPath, paths.listing(1)),
    opmlUrl: relativeUrl(outputPath, paths.opml),
    ...(feedPath ? { feedUrl: relativeUrl(outputPath, feedPath) } : {}),
  };
  const extra = { planet: { ...data, ...links, title, description: planet.description, words, rel: PLANET_LINK_REL } };
  const sourcePath = outputPath.replace(/index\.html$/, '');
  return {
    summary: { sourcePath, outputPath, kind: 'planet', title: pageTitle },
    job: {
      sourcePath,
      outputPath,
      kind: 'planet',
      text: '',
      // The page's whole input is its data: the build cache reuses the page while the data is unchanged.
      textHash: contentHash(JSON.stringify(extra)),
      frontMatter: { title: pageTitle, layout: PLANET_LAYOUT, draft: false, aliases: [], extra },
      bodyLine: 1,
    },
  };
}

function entryData(entry: PlanetEntry, language: string) {
  return { ...entry, dateText: formatDate(entry.date, language) };
}
