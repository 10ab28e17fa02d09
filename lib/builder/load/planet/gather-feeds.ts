/**
 * Gathers the members' feeds for a build: each feed asked (conditionally, a few at a time) unless offline or
 * recently asked, parsed, and remembered; a feed that fails is one warning and keeps its last good entries.
 */
import pLimit from 'p-limit';
import { readFeedCache, writeFeedCache, type CachedFeed } from './feed-cache.js';
import { FeedFetchError, fetchFeed, type FetchedFeed } from './fetch-feed.js';
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
  const { config } = options;
  const now = options.now ?? Date.now;
  const cache = await readFeedCache(options.cacheFile);
  const limit = pLimit(config.concurrency);
  const feeds = await Promise.all(config.feeds.map((member) => limit(async () => {
    const { feed, remember } = await gatherOne(member, cache.get(member.url), { ...options, now });
    if (remember) cache.set(member.url, remember);
    return feed;
  })));
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
}

/** One member's feed for this build, and the cache entry to remember for it when it changed. */
interface Gathered {
  feed: MemberFeed;
  remember?: CachedFeed;
}

/** The feed of `member` as this build shows it, from its `cached` copy and (unless offline or recent) the network. */
async function gatherOne(member: PlanetMember, cached: CachedFeed | undefined, options: GatherOptions & { now: () => number }): Promise<Gathered> {
  const { config, warn, now } = options;
  const label = `planet: the feed of ${member.name} (${member.url})`;
  const failed = (reason: string): Gathered => {
    const kept = cached && cached.entries.length > 0 ? `its ${cached.entries.length} entries from the last good copy are kept` : 'it has no entries yet';
    warn(`${label}: ${reason} — ${kept}`);
    return { feed: memberFeed(member, 'failed', cached) };
  };
  if (options.offline) {
    if (!cached) warn(`${label}: not in the cache, and this is an offline build — build once without --offline`);
    return { feed: memberFeed(member, 'offline', cached) };
  }
  if (cached && config.refreshMinutes > 0 && now() - cached.checkedAt < config.refreshMinutes * 60_000) return { feed: memberFeed(member, 'recent', cached) };
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
    const remember = { ...cached, checkedAt: now() };
    return { feed: memberFeed(member, 'not-modified', remember), remember };
  }
  let remember;
  try {
    remember = freshCopy(member.url, fetched, now());
  } catch (error) {
    if (error instanceof FeedParseError) return failed(error.message);
    throw error;
  }
  return { feed: memberFeed(member, 'fetched', remember), remember };
}

/** The cache entry for a feed just fetched: parsed, its newest 1,000 entries first. Throws FeedParseError. */
function freshCopy(url: string, fetched: FetchedFeed & { kind: 'changed' }, checkedAt: number): CachedFeed {
  const parsed = parseFeedBody(fetched.body, url);
  const entries = [...parsed.entries].sort((a, b) => (a.date > b.date ? -1 : a.date < b.date ? 1 : 0)).slice(0, 1000);
  return {
    ...(fetched.etag ? { etag: fetched.etag } : {}),
    ...(fetched.lastModified ? { lastModified: fetched.lastModified } : {}),
    checkedAt,
    ...(parsed.title ? { title: parsed.title } : {}),
    ...(parsed.site ? { site: parsed.site } : {}),
    entries,
  };
}

/** What the build shows of a member's feed: its copy `cached` (or nothing yet), and how it came to be. */
function memberFeed(member: PlanetMember, status: FeedStatus, cached: CachedFeed | undefined): MemberFeed {
  return {
    member,
    status,
    ...(cached?.title ? { title: cached.title } : {}),
    ...(cached?.site ? { site: cached.site } : {}),
    entries: cached?.entries ?? [],
  };
}
