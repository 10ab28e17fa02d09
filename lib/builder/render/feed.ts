/** The Atom feed of the blog: dated pages, newest first, absolute URLs from the base URL, dates from front matter only. */
import type { SiteConfig } from '../load/site-config.js';
import type { PageSummary } from '../load/site-map.js';
import { encodeUrlPath, FEED_PATH, styledPath } from '../load/url-map.js';
import { toIsoDateTime } from '../load/words.js';
import { escapeMarkup } from '../../text/escape.js';

export interface FeedEntry {
  post: PageSummary;
  /** The post's body HTML; its relative links resolve against the entry's `xml:base`. */
  content: string;
}

/** Newest first; `posts` must already be sorted that way. Needs `config.baseUrl`. */
export function renderFeed(entries: readonly FeedEntry[], config: SiteConfig & { baseUrl: string }): string {
  const absolute = (outputPath: string) => config.baseUrl + styledPath(encodeUrlPath(outputPath), config.urls ?? 'html');
  const kept = entries.slice(0, config.feed.limit);
  const updatedOf = (post: PageSummary) => toIsoDateTime(post.updated ?? post.date!);
  const feedUpdated = kept.map((entry) => updatedOf(entry.post)).sort().at(-1) ?? '1970-01-01T00:00:00Z';
  const author = config.author
    ? `<author><name>${escapeMarkup(config.author.name)}</name>${config.author.email ? `<email>${escapeMarkup(config.author.email)}</email>` : ''}${config.author.url ? `<uri>${escapeMarkup(config.author.url)}</uri>` : ''}</author>\n`
    : `<author><name>${escapeMarkup(config.title)}</name></author>\n`;
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${escapeMarkup(config.language)}">`,
    `<title>${escapeMarkup(config.feed.title ?? config.title)}</title>`,
    config.description ? `<subtitle>${escapeMarkup(config.description)}</subtitle>` : '',
    `<id>${escapeMarkup(config.baseUrl)}</id>`,
    `<link rel="self" href="${escapeMarkup(absolute(FEED_PATH))}"/>`,
    `<link rel="alternate" href="${escapeMarkup(config.baseUrl)}"/>`,
    `<updated>${feedUpdated}</updated>`,
    author.trimEnd(),
  ].filter((line) => line !== '');
  for (const { post, content } of kept) {
    const url = absolute(post.outputPath);
    lines.push(
      `<entry xml:base="${escapeMarkup(url)}">`,
      `<title>${escapeMarkup(post.title)}</title>`,
      `<id>${escapeMarkup(url)}</id>`,
      `<link rel="alternate" href="${escapeMarkup(url)}"/>`,
      `<published>${toIsoDateTime(post.date!)}</published>`,
      `<updated>${updatedOf(post)}</updated>`,
      ...(post.description ? [`<summary>${escapeMarkup(post.description)}</summary>`] : []),
      `<content type="html">${escapeMarkup(content)}</content>`,
      '</entry>',
    );
  }
  lines.push('</feed>');
  return lines.join('\n') + '\n';
}
