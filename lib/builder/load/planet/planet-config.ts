/** The `planet:` section of `fleuron.yaml`: the members' feeds and how they are gathered, validated strictly. */
import { checkKeys, isPlainObject } from '../../../config/check-keys.js';
import { usageError } from '../../../errors/fleuron-error.js';

export interface PlanetMember {
  /** The member's feed (Atom, RSS 2.0 or JSON Feed), an http(s) URL. */
  url: string;
  /** Shown with every entry of the feed and on the members page. */
  name: string;
  /** The member's site (home page); else the feed's own link. */
  site?: string;
}

export interface PlanetConfig {
  /** Folder of the planet in the site, relative, ending in `/` (`planet/`). */
  path: string;
  title?: string;
  description?: string;
  feeds: PlanetMember[];
  /** Entries per listing page. */
  entriesPerPage: number;
  /** Entries kept in all (newest first); older ones fall off the last page. */
  maxEntries: number;
  /** Entries kept from each feed (its newest), so one prolific blog cannot fill the planet. */
  entriesPerFeed: number;
  /** Characters of text kept from an entry's body. */
  excerptLength: number;
  /** A feed fetched less than this many minutes ago is not asked again (0: every build asks, conditionally). */
  refreshMinutes: number;
  /** Give up on a feed after this many seconds. */
  timeoutSeconds: number;
  /** Give up on a feed whose body is larger than this. */
  maxFeedKb: number;
  /** Feeds fetched at the same time. */
  concurrency: number;
}

export const PLANET_KEYS = [
  'path', 'title', 'description', 'feeds', 'entriesPerPage', 'maxEntries', 'entriesPerFeed', 'excerptLength',
  'refreshMinutes', 'timeoutSeconds', 'maxFeedKb', 'concurrency',
] as const;
export const PLANET_FEED_KEYS = ['url', 'name', 'site'] as const;

/** Longest excerpt: the cache keeps this much text of each entry, so a longer setting could not be honoured. */
export const MAX_EXCERPT_LENGTH = 2000;

const DEFAULTS = {
  entriesPerPage: 20,
  maxEntries: 200,
  entriesPerFeed: 20,
  excerptLength: 300,
  refreshMinutes: 0,
  timeoutSeconds: 10,
  maxFeedKb: 2048,
  concurrency: 4,
} as const;

/** Validates the parsed `planet:` value of the config file `file`; `undefined` when the site has no planet. */
export function parsePlanetConfig(value: unknown, file: string): PlanetConfig | undefined {
  if (value === undefined || value === null) return undefined;
  const where = `${file}: planet`;
  const fail = (key: string, expected: string, got: unknown) =>
    usageError('config-invalid', `${file}: "planet.${key}" must be ${expected}`, `got ${JSON.stringify(got)}`);
  if (!isPlainObject(value)) throw usageError('config-invalid', `${file}: "planet" must be a mapping with path and feeds`, 'e.g. planet: { path: planet/, feeds: [{ url: https://example.org/feed.xml, name: Ann }] }');
  checkKeys(value, PLANET_KEYS, where);

  const text = (source: Record<string, unknown>, key: string, label: string): string | undefined => {
    const found = source[key];
    if (found === undefined || found === null) return undefined;
    if (typeof found !== 'string' || found.trim() === '') throw fail(label, 'a non-empty text', found);
    return found.trim();
  };
  const whole = (key: keyof typeof DEFAULTS, min: number, max: number): number => {
    const found = value[key];
    if (found === undefined || found === null) return DEFAULTS[key];
    if (typeof found !== 'number' || !Number.isInteger(found) || found < min || found > max) throw fail(key, `a whole number from ${min} to ${max}`, found);
    return found;
  };
  const httpUrl = (source: Record<string, unknown>, key: string, label: string): string | undefined => {
    const found = text(source, key, label);
    if (found === undefined) return undefined;
    let url: URL;
    try {
      url = new URL(found);
    } catch {
      throw fail(label, 'an absolute http(s) URL', found);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw fail(label, 'an http(s) URL', found);
    return url.href;
  };

  const folder = text(value, 'path', 'path') ?? 'planet/';
  const clean = folder.replace(/^\.?\/+/, '').replace(/\/*$/, '/');
  if (clean === '/' || clean.split('/').some((part) => part === '..' || part === '.' || part.startsWith('.') && part !== '')) {
    throw fail('path', 'a folder inside the site such as planet/', folder);
  }

  const feeds = value.feeds;
  if (!Array.isArray(feeds) || feeds.length === 0) throw fail('feeds', 'a list of { url, name, site } entries (at least one)', feeds);
  const seen = new Set<string>();
  const members = feeds.map((entry: unknown, index): PlanetMember => {
    const label = `feeds[${index}]`;
    if (!isPlainObject(entry)) throw fail(label, 'a mapping with url and name', entry);
    checkKeys(entry, PLANET_FEED_KEYS, `${where}: ${label}`);
    const url = httpUrl(entry, 'url', `${label}.url`);
    const name = text(entry, 'name', `${label}.name`);
    if (!url) throw fail(`${label}.url`, 'the URL of the member\'s feed', entry.url);
    if (!name) throw fail(`${label}.name`, 'the member\'s name', entry.name);
    if (seen.has(url)) throw usageError('config-invalid', `${file}: "planet.${label}.url" lists ${url} a second time`, 'list each feed once');
    seen.add(url);
    const site = httpUrl(entry, 'site', `${label}.site`);
    return { url, name, ...(site ? { site } : {}) };
  });

  const config: PlanetConfig = {
    path: clean,
    feeds: members,
    entriesPerPage: whole('entriesPerPage', 1, 500),
    maxEntries: whole('maxEntries', 1, 10000),
    entriesPerFeed: whole('entriesPerFeed', 1, 1000),
    excerptLength: whole('excerptLength', 0, MAX_EXCERPT_LENGTH),
    refreshMinutes: whole('refreshMinutes', 0, 525600),
    timeoutSeconds: whole('timeoutSeconds', 1, 300),
    maxFeedKb: whole('maxFeedKb', 1, 102400),
    concurrency: whole('concurrency', 1, 16),
  };
  const title = text(value, 'title', 'title');
  const description = text(value, 'description', 'description');
  if (title) config.title = title;
  if (description) config.description = description;
  return config;
}
