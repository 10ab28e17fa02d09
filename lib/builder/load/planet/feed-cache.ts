/**
 * What the planet remembers of each feed between builds, kept with the build cache: the validators for the next
 * conditional request, when it was last asked, and the entries of its last good copy (so a broken feed keeps them).
 */
import { readFile, mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FeedEntry } from './parse-feed.js';

export interface CachedFeed {
  etag?: string;
  lastModified?: string;
  /** When the feed last answered (200 or 304), in ms since the epoch: only for `planet.refreshMinutes`. */
  checkedAt: number;
  title?: string;
  site?: string;
  /** Newest first. */
  entries: FeedEntry[];
}

/** Bump when the stored shape or the way entries are read changes: an older cache is then ignored. */
const FORMAT = 1;

export const PLANET_CACHE_FILE = 'planet-feeds.json';

/** The cached feeds by feed URL; an absent, unreadable or older cache is an empty one. */
export async function readFeedCache(file: string): Promise<Map<string, CachedFeed>> {
  try {
    const stored = JSON.parse(await readFile(file, 'utf8')) as { format?: number; feeds?: Record<string, CachedFeed> };
    if (stored.format !== FORMAT || typeof stored.feeds !== 'object' || stored.feeds === null) return new Map();
    return new Map(Object.entries(stored.feeds));
  } catch {
    return new Map();
  }
}

/** Written whole through a temporary file, so an interrupted build leaves the previous cache intact. */
export async function writeFeedCache(file: string, feeds: ReadonlyMap<string, CachedFeed>): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const sorted = Object.fromEntries([...feeds].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify({ format: FORMAT, feeds: sorted }));
  await rename(temporary, file);
}
