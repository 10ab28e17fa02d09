/** The Atom feed of the blog: dated pages, newest first, absolute URLs from the base URL, dates from front matter only. */
import type { SiteConfig } from '../load/site-config.js';
import type { PageSummary } from '../load/site-map.js';
import { encodeUrlPath, FEED_PATH } from '../load/url-map.js';
import { toIsoDateTime } from '../load/words.js';
import { escapeXml } from './xml-text.js';

export interface FeedEntry {
  post: PageSummary;
  /** The post's body HTML; its relative links resolve against the entry's `xml:base`. */
  content: string;
}

/** Newest first; `posts` must already be sorted that way. Needs `config.baseUrl`. */
export function renderFeed(entries: readonly FeedEntry[], config: SiteConfig & { baseUrl: string }): string {
  const absolute = (outputPath: string) => config.baseUrl + encodeUrlPath(outputPath);
  const kept = entries.slice(0, config.feed.limit);
  const updatedOf = (post: PageSummary) => toIsoDateTime(post.updated ?? post.date!);
  const feedUpdated = kept.map((entry) => updatedOf(entry.post)).sort().at(-1) ?? '1970-01-01T00:00:00Z';
  const author = config.author
    ? `<author><name>${escapeXml(config.author.name)}</name>${config.author.email ? `<email>${escapeXml(config.author.email)}</email>` : ''}${config.author.url ? `<uri>${escapeXml(config.author.url)}</uri>` : ''}</author>\n`
    : `<author><name>${escapeXml(config.title)}</name></author>\n`;
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${escapeXml(config.language)}">`,
    `<title>${escapeXml(config.feed.title ?? config.title)}</title>`,
    config.description ? `<subtitle>${escapeXml(config.description)}</subtitle>` : '',
    `<id>${escapeXml(config.baseUrl)}</id>`,
    `<link rel="self" href="${escapeXml(absolute(FEED_PATH))}"/>`,
    `<link rel="alternate" href="${escapeXml(config.baseUrl)}"/>`,
    `<updated>${feedUpdated}</updated>`,
    author.trimEnd(),
  ].filter((line) => line !== '');
  for (const { post, content } of kept) {
    const url = absolute(post.outputPath);
    lines.push(
      `<entry xml:base="${escapeXml(url)}">`,
      `<title>${escapeXml(post.title)}</title>`,
      `<id>${escapeXml(url)}</id>`,
      `<link rel="alternate" href="${escapeXml(url)}"/>`,
      `<published>${toIsoDateTime(post.date!)}</published>`,
      `<updated>${updatedOf(post)}</updated>`,
      ...(post.description ? [`<summary>${escapeXml(post.description)}</summary>`] : []),
      `<content type="html">${escapeXml(content)}</content>`,
      '</entry>',
    );
  }
  lines.push('</feed>');
  return lines.join('\n') + '\n';
}
