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
  if (!isPlainObject(value)) throw usageError('config-invalid', `${file}: "planet" must be a mapping with path and feeds`, 'e.g. planet: { path: planet/, feeds: [{ url: https://example.org/feed.xml, name: Ann }] }');
  checkKeys(value, PLANET_KEYS, `${file}: planet`);
  const read = new PlanetReader(file);
  const whole = (key: keyof typeof DEFAULTS, min: number, max: number) => read.whole(value, key, min, max);
  const config: PlanetConfig = {
    path: read.folder(value),
    feeds: read.members(value),
    entriesPerPage: whole('entriesPerPage', 1, 500),
    maxEntries: whole('maxEntries', 1, 10000),
    entriesPerFeed: whole('entriesPerFeed', 1, 1000),
    excerptLength: whole('excerptLength', 0, MAX_EXCERPT_LENGTH),
    refreshMinutes: whole('refreshMinutes', 0, 525600),
    timeoutSeconds: whole('timeoutSeconds', 1, 300),
    maxFeedKb: whole('maxFeedKb', 1, 102400),
    concurrency: whole('concurrency', 1, 16),
  };
  const title = read.text(value, 'title', 'title');
  const description = read.text(value, 'description', 'description');
  if (title) config.title = title;
  if (description) config.description = description;
  return config;
}

/** Reads the planet's values one by one; each wrong one is an error naming `planet.<key>` in `file`. */
class PlanetReader {
  constructor(private readonly file: string) {}

  fail(key: string, expected: string, got: unknown) {
    return usageError('config-invalid', `${this.file}: "planet.${key}" must be ${expected}`, `got ${JSON.stringify(got)}`);
  }

  text(source: Record<string, unknown>, key: string, label: string): string | undefined {
    const found = source[key];
    if (found === undefined || found === null) return undefined;
    if (typeof found !== 'string' || found.trim() === '') throw this.fail(label, 'a non-empty text', found);
    return found.trim();
  }

  whole(source: Record<string, unknown>, key: keyof typeof DEFAULTS, min: number, max: number): number {
    const found = source[key];
    if (found === undefined || found === null) return DEFAULTS[key];
    if (typeof found !== 'number' || !Number.isInteger(found) || found < min || found > max) throw this.fail(key, `a whole number from ${min} to ${max}`, found);
    return found;
  }

  httpUrl(source: Record<string, unknown>, key: string, label: string): string | undefined {
    const found = this.text(source, key, label);
    if (found === undefined) return undefined;
    let url: URL;
    try {
      url = new URL(found);
    } catch {
      throw this.fail(label, 'an absolute http(s) URL', found);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw this.fail(label, 'an http(s) URL', found);
    return url.href;
  }

  /** The planet's folder inside the site, relative, ending in `/`. */
  folder(value: Record<string, unknown>): string {
    const folder = this.text(value, 'path', 'path') ?? 'planet/';
    const clean = folder.replace(/^\.?\/+/, '').replace(/\/*$/, '/');
    if (clean === '/' || clean.split('/').some((part) => part === '..' || part === '.' || part.startsWith('.') && part !== '')) {
      throw this.fail('path', 'a folder inside the site such as planet/', folder);
    }
    return clean;
  }

  /** The members: at least one, each feed listed once. */
  members(value: Record<string, unknown>): PlanetMember[] {
    const feeds = value.feeds;
    if (!Array.isArray(feeds) || feeds.length === 0) throw this.fail('feeds', 'a list of { url, name, site } entries (at least one)', feeds);
    const seen = new Set<string>();
    return feeds.map((entry: unknown, index): PlanetMember => {
      const member = this.member(entry, `feeds[${index}]`);
      if (seen.has(member.url)) throw usageError('config-invalid', `${this.file}: "planet.feeds[${index}].url" lists ${member.url} a second time`, 'list each feed once');
      seen.add(member.url);
      return member;
    });
  }

  member(entry: unknown, label: string): PlanetMember {
    if (!isPlainObject(entry)) throw this.fail(label, 'a mapping with url and name', entry);
    checkKeys(entry, PLANET_FEED_KEYS, `${this.file}: planet: ${label}`);
    const url = this.httpUrl(entry, 'url', `${label}.url`);
    const name = this.text(entry, 'name', `${label}.name`);
    if (!url) throw this.fail(`${label}.url`, 'the URL of the member\'s feed', entry.url);
    if (!name) throw this.fail(`${label}.name`, 'the member\'s name', entry.name);
    const site = this.httpUrl(entry, 'site', `${label}.site`);
    return { url, name, ...(site ? { site } : {}) };
  }
}
