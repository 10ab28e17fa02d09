/** The site settings of `fleuron.yaml`: every key the builder reads, its type, its default. */
import path from 'node:path';
import { checkKeys, isPlainObject } from '../../config/check-keys.js';
import { PROJECT_FILE_NAMES, projectFileDir, readProjectFile } from '../../config/project-file.js';
import { usageError } from '../../errors/fleuron-error.js';
import { parsePlanetConfig, type PlanetConfig } from './planet/planet-config.js';
import type { UrlStyle } from './url-map.js';

export interface SiteAuthor {
  name: string;
  email?: string;
  url?: string;
}

export interface NavigationEntry {
  title: string;
  /** A source path relative to the site folder: `qui-sommes-nous.md`, `notes/` or `blog/index.md`. */
  path: string;
}

export interface SiteConfig {
  title: string;
  /** Absolute URL of the published site, ending in `/`; needed for the feed and the sitemap. */
  baseUrl?: string;
  /** BCP 47 tag (`fr`, `en-GB`); picks the theme's words and date format. */
  language: string;
  description?: string;
  author?: SiteAuthor;
  /** The menu; when absent it comes from the folder tree. */
  navigation?: NavigationEntry[];
  /** "Edit this page" link template; `{path}` becomes the page's source path. */
  editLink?: string;
  feed: { title?: string; limit: number };
  /** `html` (the default): `docs/x.md` is `docs/x.html`, which works from `file://` too; `pretty`: `docs/x/index.html`, linked as `docs/x/`. */
  urls: UrlStyle;
  /** Warn about pages whose HTML + CSS, as served, exceeds this many kilobytes. */
  budget: { pageKb: number };
  /** Folder listings longer than this many entries are split over several pages (`folder/page/2.html` …). */
  pagination: { pageSize: number };
  /** `publish: gzip: true`: the publisher stores text gzipped, so readers download gzipped bytes (for the size report). */
  servedGzipped: boolean;
  markdown: {
    /** Pass raw HTML through instead of escaping it. */
    allowHtml: boolean;
    /** Table of contents on every page with at least three headings (a page's `toc` overrides). */
    toc: boolean;
    /** Refuse Markdown files larger than this, instead of exhausting memory. */
    maxFileKb: number;
    /** A page (Markdown and layout) rendering longer than this in a worker fails the build (see render-pool.ts). */
    pageTimeLimitSeconds: number;
    /** GitHub's alerts (`> [!NOTE]` …) as styled boxes instead of plain quotes. */
    alerts: boolean;
    /** PHP Markdown Extra's definition lists (`Term` then `: definition`), as `<dl>`. */
    definitionLists: boolean;
    /** Syntax highlighting of fenced code blocks, at build time (CSS classes, the theme's highlight.css). */
    highlight: boolean;
  };
  /** The members' blogs gathered into the site at build time (see lib/builder/load/planet/). */
  planet?: PlanetConfig;
}

/** Top-level keys of `fleuron.yaml`; `publish` and `redirects` belong to the publisher and are not checked here. */
export const SITE_CONFIG_KEYS = [
  'title', 'baseUrl', 'language', 'description', 'author', 'navigation', 'editLink', 'urls', 'feed', 'budget', 'pagination',
  'markdown', 'planet', 'publish', 'redirects',
] as const;
export const AUTHOR_KEYS = ['name', 'email', 'url'] as const;
export const NAVIGATION_KEYS = ['title', 'path'] as const;
export const FEED_KEYS = ['title', 'limit'] as const;
export const BUDGET_KEYS = ['pageKb'] as const;
export const PAGINATION_KEYS = ['pageSize'] as const;
export const MARKDOWN_KEYS = ['allowHtml', 'toc', 'maxFileKb', 'pageTimeLimitSeconds', 'alerts', 'definitionLists', 'highlight'] as const;

export const DEFAULT_PAGE_BUDGET_KB = 14;
/** 50 entries with a title, date and summary are 3–4 KB gzipped: a listing page stays well within the budget. */
export const DEFAULT_LISTING_PAGE_SIZE = 50;
export const DEFAULT_MAX_FILE_KB = 2048;
export const DEFAULT_PAGE_TIME_LIMIT_SECONDS = 10;

/** Reads and validates the site's `fleuron.yaml` (found as preview and publish find it); a site without one gets the defaults. */
export async function loadSiteConfig(sourceDir: string): Promise<{ config: SiteConfig; file?: string }> {
  const projectFile = await readProjectFile(projectFileDir(sourceDir));
  if (!projectFile) return { config: parseSiteConfig({}, PROJECT_FILE_NAMES[0], path.basename(path.resolve(sourceDir))) };
  return { config: parseSiteConfig(projectFile.data, projectFile.path), file: projectFile.path };
}

/** Validates the parsed YAML of a config file named `file`; throws a usage error naming the file and key. */
// long because: one check per key of fleuron.yaml, in the README's order, sharing the `fail`/`text` helpers above them.
export function parseSiteConfig(data: Record<string, unknown>, file: string, fallbackTitle = 'Site'): SiteConfig {
  checkKeys(data, SITE_CONFIG_KEYS, file);
  const fail = (key: string, expected: string, hint?: string) =>
    usageError('config-invalid', `${file}: "${key}" must be ${expected}`, hint ?? `got ${JSON.stringify(valueAt(data, key))}`);
  const text = (source: Record<string, unknown>, key: string, where = key): string | undefined => {
    const value = source[key.split('.').pop()!];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string' || value.trim() === '') throw fail(where, 'a non-empty text');
    return value;
  };
  const section = (key: string, known: readonly string[]): Record<string, unknown> => {
    const value = data[key];
    if (value === undefined || value === null) return {};
    if (!isPlainObject(value)) throw fail(key, `a mapping with keys ${known.join(', ')}`);
    checkKeys(value, known, `${file}: ${key}`);
    return value;
  };
  const positive = (source: Record<string, unknown>, key: string, where: string, fallback: number): number => {
    const value = source[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'number' || !(value > 0)) throw fail(where, 'a positive number');
    return value;
  };
  const flag = (source: Record<string, unknown>, key: string, where: string): boolean => {
    const value = source[key];
    if (value === undefined || value === null) return false;
    if (typeof value !== 'boolean') throw fail(where, 'true or false');
    return value;
  };

  const config: SiteConfig = {
    title: text(data, 'title') ?? fallbackTitle,
    language: text(data, 'language') ?? 'en',
    urls: 'html',
    feed: { limit: 20 },
    budget: { pageKb: DEFAULT_PAGE_BUDGET_KB },
    pagination: { pageSize: DEFAULT_LISTING_PAGE_SIZE },
    // Only read here: the publisher checks the publish section (a wrong value is its error to report).
    servedGzipped: isPlainObject(data.publish) && data.publish.gzip === true,
    markdown: { allowHtml: false, toc: false, maxFileKb: DEFAULT_MAX_FILE_KB, pageTimeLimitSeconds: DEFAULT_PAGE_TIME_LIMIT_SECONDS, alerts: false, definitionLists: false, highlight: false },
  };
  if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(config.language)) throw fail('language', 'a language tag such as fr or en-GB');

  const baseUrl = text(data, 'baseUrl');
  if (baseUrl !== undefined) {
    let url: URL;
    try {
      url = new URL(baseUrl);
    } catch {
      throw fail('baseUrl', 'an absolute URL such as https://example.org/');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw fail('baseUrl', 'an http(s) URL');
    url.search = '';
    url.hash = '';
    config.baseUrl = url.href.endsWith('/') ? url.href : `${url.href}/`;
  }
  const description = text(data, 'description');
  if (description !== undefined) config.description = description;

  const author = data.author;
  if (typeof author === 'string' && author.trim() !== '') config.author = { name: author };
  else if (author !== undefined && author !== null) {
    if (!isPlainObject(author)) throw fail('author', 'a name or a mapping with name, email, url');
    checkKeys(author, AUTHOR_KEYS, `${file}: author`);
    const name = text(author, 'name', 'author.name');
    if (!name) throw fail('author.name', 'a non-empty text');
    config.author = { name };
    const email = text(author, 'email', 'author.email');
    const url = text(author, 'url', 'author.url');
    if (email) config.author.email = email;
    if (url) config.author.url = url;
  }

  const navigation = data.navigation;
  if (navigation !== undefined && navigation !== null) {
    if (!Array.isArray(navigation)) throw fail('navigation', 'a list of { title, path } entries');
    config.navigation = navigation.map((entry: unknown, index) => {
      const where = `navigation[${index}]`;
      if (!isPlainObject(entry)) throw fail(where, 'a mapping with title and path');
      checkKeys(entry, NAVIGATION_KEYS, `${file}: ${where}`);
      const title = text(entry, 'title', `${where}.title`);
      const entryPath = text(entry, 'path', `${where}.path`);
      if (!title || !entryPath) throw fail(where, 'a mapping with both title and path');
      return { title, path: entryPath.normalize('NFC') };
    });
  }

  const urls = text(data, 'urls');
  if (urls !== undefined) {
    if (urls !== 'html' && urls !== 'pretty') throw fail('urls', 'html or pretty', `got ${JSON.stringify(urls)}; pretty writes docs/x.md as docs/x/index.html`);
    config.urls = urls;
  }

  const editLink = text(data, 'editLink');
  if (editLink !== undefined) {
    if (!editLink.includes('{path}')) throw fail('editLink', 'a URL template containing {path}', 'e.g. https://git.example.org/site/_edit/main/site-src/{path}');
    config.editLink = editLink;
  }

  const feed = section('feed', FEED_KEYS);
  const feedTitle = text(feed, 'title', 'feed.title');
  config.feed = { limit: Math.floor(positive(feed, 'limit', 'feed.limit', 20)) };
  if (feedTitle) config.feed.title = feedTitle;

  const budget = section('budget', BUDGET_KEYS);
  config.budget = { pageKb: positive(budget, 'pageKb', 'budget.pageKb', DEFAULT_PAGE_BUDGET_KB) };

  const pagination = section('pagination', PAGINATION_KEYS);
  const pageSize = positive(pagination, 'pageSize', 'pagination.pageSize', DEFAULT_LISTING_PAGE_SIZE);
  if (!Number.isInteger(pageSize)) throw fail('pagination.pageSize', 'a whole number of entries', 'e.g. pagination: { pageSize: 50 }');
  config.pagination = { pageSize };

  const markdown = section('markdown', MARKDOWN_KEYS);
  config.markdown = {
    allowHtml: flag(markdown, 'allowHtml', 'markdown.allowHtml'),
    toc: flag(markdown, 'toc', 'markdown.toc'),
    maxFileKb: positive(markdown, 'maxFileKb', 'markdown.maxFileKb', DEFAULT_MAX_FILE_KB),
    pageTimeLimitSeconds: positive(markdown, 'pageTimeLimitSeconds', 'markdown.pageTimeLimitSeconds', DEFAULT_PAGE_TIME_LIMIT_SECONDS),
    alerts: flag(markdown, 'alerts', 'markdown.alerts'),
    definitionLists: flag(markdown, 'definitionLists', 'markdown.definitionLists'),
    highlight: flag(markdown, 'highlight', 'markdown.highlight'),
  };
  const planet = parsePlanetConfig(data.planet, file);
  if (planet) config.planet = planet;
  return config;
}

function valueAt(data: Record<string, unknown>, dotted: string): unknown {
  let value: unknown = data;
  for (const part of dotted.replace(/\[(\d+)\]/g, '.$1').split('.')) {
    value = isPlainObject(value) || Array.isArray(value) ? (value as Record<string, unknown>)[part] : undefined;
  }
  return value;
}
