/** The planet's pure core: the members' entries merged newest first (ties in a fixed order), cut into pages. */
import type { MemberFeed } from './gather-feeds.js';
import type { PlanetConfig } from './planet-config.js';

/** An entry as the planet shows it: whose it is, and its text cut to an excerpt. */
export interface PlanetEntry {
  title: string;
  link: string;
  date: string;
  author?: string;
  /** The member's name, from the config. */
  member: string;
  /** The member's site: the config's, else the feed's own link. */
  memberSite?: string;
  id: string;
  excerpt: string;
  /** The excerpt is shorter than the entry's text. */
  cut: boolean;
}

/** Output paths of the planet's files, all under `config.path`. */
export interface PlanetPaths {
  /** Listing pages, newest first: `planet/index.html`, `planet/page/2.html`, … (as every paginated listing) */
  listing: (number: number) => string;
  members: string;
  feed: string;
  opml: string;
}

export function planetPaths(folder: string): PlanetPaths {
  return {
    listing: (number) => (number === 1 ? `${folder}index.html` : `${folder}page/${number}.html`),
    members: `${folder}members/index.html`,
    feed: `${folder}feed.xml`,
    opml: `${folder}subscriptions.opml`,
  };
}

/**
 * Each feed's newest `entriesPerFeed`, then all of them newest first, at most `maxEntries`. Entries of the same
 * instant keep the order of the feeds in the config, then their order in their feed: the same cache always gives
 * the same pages.
 */
export function mergeEntries(feeds: readonly MemberFeed[], config: Pick<PlanetConfig, 'entriesPerFeed' | 'maxEntries' | 'excerptLength'>): PlanetEntry[] {
  const all: { entry: PlanetEntry; feed: number; position: number }[] = [];
  feeds.forEach((feed, feedIndex) => {
    const memberSite = feed.member.site ?? feed.site;
    const newest = [...feed.entries].sort((a, b) => compareDates(a.date, b.date)).slice(0, config.entriesPerFeed);
    newest.forEach((entry, position) => {
      const { excerpt, cut } = excerptOf(entry.text, config.excerptLength);
      all.push({
        entry: {
          title: entry.title,
          link: entry.link,
          date: entry.date,
          ...(entry.author ? { author: entry.author } : {}),
          member: feed.member.name,
          ...(memberSite ? { memberSite } : {}),
          id: entry.id,
          excerpt,
          cut,
        },
        feed: feedIndex,
        position,
      });
    });
  });
  all.sort((a, b) => compareDates(a.entry.date, b.entry.date) || a.feed - b.feed || a.position - b.position);
  return all.slice(0, config.maxEntries).map(({ entry }) => entry);
}

/** Newest first. */
function compareDates(a: string, b: string): number {
  return a > b ? -1 : a < b ? 1 : 0;
}

/** The first `length` characters of `text`, cut at a word boundary when there is one near, with `…` when cut. */
export function excerptOf(text: string, length: number): { excerpt: string; cut: boolean } {
  const characters = [...text];
  if (characters.length <= length) return { excerpt: text, cut: false };
  if (length === 0) return { excerpt: '', cut: text !== '' };
  const head = characters.slice(0, length).join('');
  const space = head.lastIndexOf(' ');
  const cutAt = space > length * 0.6 ? head.slice(0, space) : head;
  return { excerpt: `${cutAt.replace(/[\s,;:.!?-]+$/, '')}…`, cut: true };
}

/** The listing pages: `perPage` entries each, at least one page (saying there is nothing yet). */
export function paginate<T>(entries: readonly T[], perPage: number): T[][] {
  if (entries.length === 0) return [[]];
  const pages: T[][] = [];
  for (let start = 0; start < entries.length; start += perPage) pages.push(entries.slice(start, start + perPage));
  return pages;
}
