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
import { mergeEntries, paginate, planetPaths, type PlanetEntry } from './merge-entries.js';
import type { PlanetConfig } from './planet-config.js';
import { planetWordsFor } from './planet-words.js';
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
  const feedPath = site.baseUrl ? paths.feed : undefined;

  const files = new Map<string, string>();
  if (site.baseUrl) {
    const info = { title, language, baseUrl: site.baseUrl, paths, ...(planet.description ? { description: planet.description } : {}) };
    files.set(paths.feed, renderPlanetFeed(entries.slice(0, planet.entriesPerPage), info));
  }
  files.set(paths.opml, renderPlanetOpml(feeds, title));

  const summaries: PageSummary[] = [];
  const jobs: PlannedPage[] = [];
  const addPage = (outputPath: string, pageTitle: string, data: Record<string, unknown>) => {
    const links = {
      membersUrl: relativeUrl(outputPath, paths.members),
      listingUrl: relativeUrl(outputPath, paths.listing(1)),
      opmlUrl: relativeUrl(outputPath, paths.opml),
      ...(feedPath ? { feedUrl: relativeUrl(outputPath, feedPath) } : {}),
    };
    const extra = { planet: { ...data, ...links, title, description: planet.description, words, rel: PLANET_LINK_REL } };
    const sourcePath = outputPath.replace(/index\.html$/, '');
    summaries.push({ sourcePath, outputPath, kind: 'planet', title: pageTitle });
    jobs.push({
      sourcePath,
      outputPath,
      kind: 'planet',
      text: '',
      // The page's whole input is its data: the render cache reuses the page while the data is unchanged.
      textHash: contentHash(JSON.stringify(extra)),
      frontMatter: { title: pageTitle, layout: PLANET_LAYOUT, draft: false, aliases: [], extra },
      bodyLine: 1,
    });
  };

  pages.forEach((pageEntries, index) => {
    const number = index + 1;
    const outputPath = paths.listing(number);
    const pageOf = words.pageOf.replace('{n}', String(number)).replace('{total}', String(pages.length));
    addPage(outputPath, number === 1 ? title : `${title} · ${pageOf}`, {
      kind: 'listing',
      number,
      total: pages.length,
      pageOf,
      entries: pageEntries.map((entry) => entryData(entry, language)),
      ...(number > 1 ? { newerUrl: relativeUrl(outputPath, paths.listing(number - 1)) } : {}),
      ...(number < pages.length ? { olderUrl: relativeUrl(outputPath, paths.listing(number + 1)) } : {}),
    });
  });
  addPage(paths.members, `${title} · ${words.members}`, {
    kind: 'members',
    members: feeds.map((feed) => ({
      name: feed.member.name,
      site: feed.member.site ?? feed.site,
      feed: feed.member.url,
      entries: feed.entries.length,
    })),
  });
  return { summaries, jobs, files };
}

function entryData(entry: PlanetEntry, language: string) {
  return { ...entry, dateText: formatDate(entry.date, language) };
}
