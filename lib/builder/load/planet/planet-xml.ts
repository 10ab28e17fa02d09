/** The planet's machine-readable files: its Atom feed (the merged entries) and the OPML list of its subscriptions. */
import { encodeUrlPath } from '../url-map.js';
import { escapeMarkup } from '../../../text/escape.js';
import type { MemberFeed } from './gather-feeds.js';
import type { PlanetEntry, PlanetPaths } from './merge-entries.js';

export interface PlanetFeedInfo {
  title: string;
  description?: string;
  language: string;
  /** The site's base URL, ending in `/`. */
  baseUrl: string;
  paths: PlanetPaths;
}

/**
 * Newest first, excerpts as text summaries, each entry pointing at the original post. `updated` is the newest
 * entry's date, never the build's time: the same entries give the same bytes.
 */
export function renderPlanetFeed(entries: readonly PlanetEntry[], info: PlanetFeedInfo): string {
  const absolute = (outputPath: string) => info.baseUrl + encodeUrlPath(outputPath.replace(/index\.html$/, ''));
  const home = absolute(info.paths.listing(1));
  const updated = entries[0]?.date ?? '1970-01-01T00:00:00.000Z';
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${escapeMarkup(info.language)}">`,
    `<title>${escapeMarkup(info.title)}</title>`,
    info.description ? `<subtitle>${escapeMarkup(info.description)}</subtitle>` : '',
    `<id>${escapeMarkup(home)}</id>`,
    `<link rel="self" href="${escapeMarkup(absolute(info.paths.feed))}"/>`,
    `<link rel="alternate" href="${escapeMarkup(home)}"/>`,
    `<updated>${updated}</updated>`,
  ].filter((line) => line !== '');
  for (const entry of entries) {
    lines.push(
      '<entry>',
      `<title>${escapeMarkup(entry.title)}</title>`,
      // Atom ids are IRIs; an RSS guid or JSON Feed id often is not, the link always is.
      `<id>${escapeMarkup(/^[a-z][a-z0-9+.-]*:\S+$/i.test(entry.id) ? entry.id : entry.link)}</id>`,
      `<link rel="alternate" href="${escapeMarkup(entry.link)}"/>`,
      `<published>${entry.date}</published>`,
      `<updated>${entry.date}</updated>`,
      `<author><name>${escapeMarkup(entry.author ?? entry.member)}</name></author>`,
      ...(entry.excerpt ? [`<summary type="text">${escapeMarkup(entry.excerpt)}</summary>`] : []),
      `<source><title>${escapeMarkup(entry.member)}</title>${entry.memberSite ? `<link rel="alternate" href="${escapeMarkup(entry.memberSite)}"/>` : ''}</source>`,
      '</entry>',
    );
  }
  lines.push('</feed>');
  return lines.join('\n') + '\n';
}

/** OPML 2.0, the file feed readers import: one outline per member, in the config's order. No date: same bytes. */
export function renderPlanetOpml(feeds: readonly MemberFeed[], title: string): string {
  const lines = ['<?xml version="1.0" encoding="utf-8"?>', '<opml version="2.0">', '<head>', `<title>${escapeMarkup(title)}</title>`, '</head>', '<body>'];
  for (const feed of feeds) {
    const site = feed.member.site ?? feed.site;
    const name = escapeMarkup(feed.member.name);
    lines.push(`<outline type="rss" text="${name}" title="${name}" xmlUrl="${escapeMarkup(feed.member.url)}"${site ? ` htmlUrl="${escapeMarkup(site)}"` : ''}/>`);
  }
  lines.push('</body>', '</opml>');
  return lines.join('\n') + '\n';
}
