/**
 * Reads a fetched feed (Atom, RSS 2.0, RSS 1.0 or JSON Feed, through feedsmith) into plain entries: text only,
 * http(s) links only. Nothing of a feed's HTML survives but its words: no markup, no script, no image, no style.
 */
import { parseFeed } from 'feedsmith';
import { convert } from 'html-to-text';
import { escapeMarkup } from '../../../text/escape.js';
import { MAX_EXCERPT_LENGTH } from './planet-config.js';

/** One post of a member's blog, as the planet keeps it. */
export interface FeedEntry {
  /** The entry's id in its feed (or its link), to drop duplicates. */
  id: string;
  title: string;
  /** The original post, an absolute http(s) URL. */
  link: string;
  /** ISO 8601 in UTC (`2025-03-01T10:00:00.000Z`). */
  date: string;
  author?: string;
  /** The body as plain text, whitespace collapsed, at most MAX_EXCERPT_LENGTH characters. */
  text: string;
}

export interface ParsedFeed {
  /** The feed's own title and home page, for the members page when the config gives no site. */
  title?: string;
  site?: string;
  entries: FeedEntry[];
}

/** Thrown for a body that is not a feed; its message goes into the feed's warning. */
export class FeedParseError extends Error {
  override name = 'FeedParseError';
}

// Loosely typed views of feedsmith's results: the four formats differ, and every field may be missing.
type Loose = Record<string, unknown>;
const field = (value: unknown, key: string): unknown => (value !== null && typeof value === 'object' ? (value as Loose)[key] : undefined);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]);
const str = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value : undefined);

/** Parses `body`, fetched from `feedUrl` (relative links resolve against it). */
export function parseFeedBody(body: string, feedUrl: string): ParsedFeed {
  let parsed: { format: string; feed: unknown };
  try {
    parsed = parseFeed(body) as { format: string; feed: unknown };
  } catch (error) {
    throw new FeedParseError(`not a feed (${(error as Error).message.replace(/\s+/g, ' ').slice(0, 120)})`);
  }
  const { format, feed } = parsed;
  const rawEntries = format === 'atom' ? list(field(feed, 'entries')) : list(field(feed, 'items'));
  const feedAuthor = authorName(format, feed);
  const title = format === 'atom' ? str(field(field(feed, 'title'), 'value')) ?? str(field(feed, 'title')) : str(field(feed, 'title'));
  const siteLink = format === 'atom' ? atomLink(feed) : format === 'json' ? str(field(feed, 'home_page_url')) : str(field(feed, 'link'));
  const site = siteLink ? httpUrl(siteLink, feedUrl) : undefined;
  // Relative entry links are relative to the blog more often than to wherever its feed is served from.
  const base = site ?? feedUrl;
  const entries: FeedEntry[] = [];
  const seen = new Set<string>();
  for (const raw of rawEntries) {
    const entry = readEntry(format, raw, base, feedAuthor);
    if (!entry || seen.has(entry.id)) continue;
    seen.add(entry.id);
    entries.push(entry);
  }
  return { ...(title ? { title: plainText(title, 300) } : {}), ...(site ? { site } : {}), entries };
}

function readEntry(format: string, raw: unknown, base: string, feedAuthor: string | undefined): FeedEntry | undefined {
  let title: string | undefined;
  let link: string | undefined;
  let date: string | undefined;
  let id: string | undefined;
  let html: string | undefined;
  if (format === 'atom') {
    title = atomTextAsHtml(field(raw, 'title'));
    link = atomLink(raw);
    date = str(field(raw, 'published')) ?? str(field(raw, 'updated'));
    id = str(field(raw, 'id'));
    html = atomTextAsHtml(field(raw, 'content')) ?? atomTextAsHtml(field(raw, 'summary'));
  } else if (format === 'json') {
    title = str(field(raw, 'title'));
    if (title) title = escapeMarkup(title);
    link = str(field(raw, 'url')) ?? str(field(raw, 'external_url'));
    date = str(field(raw, 'date_published')) ?? str(field(raw, 'date_modified'));
    id = str(field(raw, 'id'));
    const plain = str(field(raw, 'content_text')) ?? str(field(raw, 'summary'));
    html = str(field(raw, 'content_html')) ?? (plain === undefined ? undefined : escapeMarkup(plain));
  } else {
    // RSS 2.0 and RSS 1.0 (RDF): titles and descriptions are HTML in practice.
    title = str(field(raw, 'title'));
    link = str(field(raw, 'link'));
    const guid = field(raw, 'guid');
    const guidValue = str(field(guid, 'value')) ?? str(guid);
    if (!link && guidValue && field(guid, 'isPermaLink') !== false) link = guidValue;
    date = str(field(raw, 'pubDate')) ?? str(list(field(field(raw, 'dc'), 'dates'))[0]) ?? str(field(field(raw, 'dc'), 'date'));
    id = guidValue;
    html = str(field(field(raw, 'content'), 'encoded')) ?? str(field(raw, 'description'));
  }
  const url = link ? httpUrl(link, base) : undefined;
  const time = date ? Date.parse(date) : NaN;
  // An entry the reader cannot open, or cannot place in time, has no place on a planet sorted by date.
  if (!url || Number.isNaN(time)) return undefined;
  const text = html ? plainText(html, MAX_EXCERPT_LENGTH) : '';
  const cleanTitle = (title ? plainText(title, 300) : '') || text.slice(0, 80) || url;
  const author = authorName(format, raw) ?? feedAuthor;
  return {
    id: id ?? url,
    title: cleanTitle,
    link: url,
    date: new Date(time).toISOString(),
    ...(author ? { author } : {}),
    text,
  };
}

/** An Atom text construct as HTML: `html` and `xhtml` are markup already, `text` (the default) is not. */
function atomTextAsHtml(construct: unknown): string | undefined {
  const value = str(field(construct, 'value')) ?? str(construct);
  if (value === undefined) return undefined;
  const type = field(construct, 'type');
  return type === 'html' || type === 'xhtml' ? value : escapeMarkup(value);
}

function atomLink(value: unknown): string | undefined {
  const links = list(field(value, 'links'));
  const alternate = links.find((link) => field(link, 'rel') === 'alternate') ?? links.find((link) => field(link, 'rel') === undefined);
  return str(field(alternate, 'href'));
}

/** The first author's name; RSS's `author` is an email with the name in parentheses, `dc:creator` a name. */
function authorName(format: string, value: unknown): string | undefined {
  const creator = str(list(field(field(value, 'dc'), 'creators'))[0]) ?? str(field(field(value, 'dc'), 'creator'));
  const first = list(field(value, 'authors'))[0] ?? field(value, 'author');
  let name = format === 'rss' || format === 'rdf' ? creator : undefined;
  name ??= str(field(first, 'name')) ?? str(first);
  if (!name) return undefined;
  const inParentheses = /\(([^)]+)\)\s*$/.exec(name)?.[1];
  if (inParentheses) name = inParentheses;
  else if (/^\S+@\S+$/.test(name)) return undefined;
  const clean = plainText(escapeMarkup(name), 120);
  return clean === '' ? undefined : clean;
}

/** An absolute http(s) URL, or nothing: `javascript:`, `data:` and the like never become links. */
export function httpUrl(link: string, base: string): string | undefined {
  try {
    const url = new URL(link.trim(), base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

const CONVERT_OPTIONS = {
  wordwrap: false as const,
  // Only words are kept: link targets, images, scripts, styles, frames and forms all go.
  selectors: [
    { selector: 'a', options: { ignoreHref: true } },
    { selector: 'img', format: 'skip' },
    { selector: 'picture', format: 'skip' },
    { selector: 'video', format: 'skip' },
    { selector: 'audio', format: 'skip' },
    { selector: 'iframe', format: 'skip' },
    { selector: 'object', format: 'skip' },
    { selector: 'embed', format: 'skip' },
    { selector: 'svg', format: 'skip' },
    { selector: 'math', format: 'skip' },
    { selector: 'script', format: 'skip' },
    { selector: 'style', format: 'skip' },
    { selector: 'noscript', format: 'skip' },
    { selector: 'template', format: 'skip' },
    { selector: 'form', format: 'skip' },
    { selector: 'h1', options: { uppercase: false } },
    { selector: 'h2', options: { uppercase: false } },
    { selector: 'h3', options: { uppercase: false } },
    { selector: 'h4', options: { uppercase: false } },
    { selector: 'h5', options: { uppercase: false } },
    { selector: 'h6', options: { uppercase: false } },
    { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
  ],
  limits: { maxInputLength: 1_000_000 },
};

/** HTML → its words on one line, without characters XML forbids, cut to `max` characters. */
export function plainText(html: string, max: number): string {
  const text = convert(html, CONVERT_OPTIONS)
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]/g, '')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return [...text].slice(0, max).join('');
}
