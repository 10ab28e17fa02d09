/**
 * Gathers the members' feeds for a build: each feed asked (conditionally, a few at a time) unless offline or
 * recently asked, parsed, and remembered; a feed that fails is one warning and keeps its last good entries.
 */
import pLimit from 'p-limit';
import { readFeedCache, writeFeedCache, type CachedFeed } from './feed-cache.js';
import { FeedFetchError, fetchFeed } from './fetch-feed.js';
import { FeedParseError, parseFeedBody } from './parse-feed.js';
import type { PlanetConfig, PlanetMember } from './planet-config.js';

export interface GatherOptions {
  config: PlanetConfig;
  /** The feed cache file (see feed-cache.ts). */
  cacheFile: string;
  /** Build from the cache alone: nothing is fetched. */
  offline: boolean;
  warn: (line: string) => void;
  /** The clock, for `refreshMinutes` only (never shown in the output). */
  now?: () => number;
}

/** How a member's feed came to be what this build shows. */
export type FeedStatus = 'fetched' | 'not-modified' | 'recent' | 'offline' | 'failed';

export interface MemberFeed {
  member: PlanetMember;
  status: FeedStatus;
  /** The feed's own title and home page, from its last good copy. */
  title?: string;
  site?: string;
  /** Newest first. */
  entries: CachedFeed['entries'];
}

export async function gatherFeeds(options: GatherOptions): Promise<MemberFeed[]> {
  const { config, warn } = options;
  const now = options.now ?? Date.now;
  const cache = await readFeedCache(options.cacheFile);
  const limit = pLimit(config.concurrency);
  const feeds = await Promise.all(config.feeds.map((member) => limit(() => gatherOne(member, cache.get(member.url)))));
  if (!options.offline) {
    // Feeds no longer listed are forgotten.
    const kept = new Map<string, CachedFeed>();
    for (const member of config.feeds) {
      const entry = cache.get(member.url);
      if (entry) kept.set(member.url, entry);
    }
    await writeFeedCache(options.cacheFile, kept);
  }
  return feeds;

  async function gatherOne(member: PlanetMember, cached: CachedFeed | undefined): Promise<MemberFeed> {
    const fromCache = (status: FeedStatus): MemberFeed => ({
      member,
      status,
      ...(cached?.title ? { title: cached.title } : {}),
      ...(cached?.site ? { site: cached.site } : {}),
      entries: cached?.entries ?? [],
    });
    const label = `planet: the feed of ${member.name} (${member.url})`;
    const failed = (reason: string): MemberFeed => {
      const kept = cached && cached.entries.length > 0 ? `its ${cached.entries.length} entries from the last good copy are kept` : 'it has no entries yet';
      warn(`${label}: ${reason} — ${kept}`);
      return fromCache('failed');
    };
    if (options.offline) {
      if (!cached) warn(`${label}: not in the cache, and this is an offline build — build once without --offline`);
      return fromCache('offline');
    }
    if (cached && config.refreshMinutes > 0 && now() - cached.checkedAt < config.refreshMinutes * 60_000) return fromCache('recent');
    let fetched;
    try {
      fetched = await fetchFeed(member.url, {
        ...(cached?.etag ? { etag: cached.etag } : {}),
        ...(cached?.lastModified ? { lastModified: cached.lastModified } : {}),
        timeoutMs: config.timeoutSeconds * 1000,
        maxBytes: config.maxFeedKb * 1024,
      });
    } catch (error) {
      if (error instanceof FeedFetchError) return failed(error.message);
      throw error;
    }
    if (fetched.kind === 'not-modified') {
      if (!cached) return failed('answered 304 Not Modified to a request that was not conditional');
      cache.set(member.url, (cached = { ...cached, checkedAt: now() }));
      return fromCache('not-modified');
    }
    let parsed;
    try {
      parsed = parseFeedBody(fetched.body, member.url);
    } catch (error) {
      if (error instanceof FeedParseError) return failed(error.message);
      throw error;
    }
    const entries = [...parsed.entries].sort((a, b) => (a.date > b.date ? -1 : a.date < b.date ? 1 : 0)).slice(0, 1000);
    cached = {
      ...(fetched.etag ? { etag: fetched.etag } : {}),
      ...(fetched.lastModified ? { lastModified: fetched.lastModified } : {}),
      checkedAt: now(),
      ...(parsed.title ? { title: parsed.title } : {}),
      ...(parsed.site ? { site: parsed.site } : {}),
      entries,
    };
    cache.set(member.url, cached);
    return fromCache('fetched');
  }
}
