/**
 * Remembers the hashes of the files of a folder between publishes, the way git's index does: a
 * file whose size, mtime, ctime and inode are all unchanged since it was hashed is not read again.
 * Content is still compared by hash — the stamp only decides whether the hash must be recomputed.
 * Rewriting a file (even with its old mtime restored) changes its ctime, so it is re-hashed; a fresh
 * clone or a rebuild has new stamps everywhere, so everything is re-hashed.
 *
 * Stored outside the folder (the user's cache folder), one small JSON file per published folder.
 * Missing, unreadable or corrupt: every file is hashed, as without a cache.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BodyHash, FileStamp } from './body-hash.js';

interface CachedHash extends FileStamp {
  gzip: boolean;
  md5: string;
  storedSize: number;
  multipartEtag?: string;
}

const FORMAT = 1;
/**
 * A file changed this close to the moment it was hashed may change again within the same
 * timestamp tick (Linux stamps files from a coarse clock): such hashes are not kept.
 */
const RACY_WINDOW_MS = 2000;

export class HashCache {
  readonly #file: string | undefined;
  readonly #previous: Map<string, CachedHash>;
  readonly #next = new Map<string, CachedHash>();
  readonly #startedAt: number;
  #hits = 0;

  private constructor(file: string | undefined, previous: Map<string, CachedHash>, startedAt: number) {
    this.#file = file;
    this.#previous = previous;
    this.#startedAt = startedAt;
  }

  /**
   * The cache of the folder `realRoot`. `file` overrides where it is kept; `startedAt` (ms) is when
   * the scan began, for the racy-file rule (tests move it).
   */
  static open(realRoot: string, options: { file?: string; startedAt?: number } = {}): HashCache {
    const file = options.file ?? defaultCacheFile(realRoot);
    return new HashCache(file, readEntries(file, realRoot), options.startedAt ?? Date.now());
  }

  /** A cache that remembers nothing (`--no-hash-cache`). */
  static disabled(): HashCache {
    return new HashCache(undefined, new Map(), 0);
  }

  /** The hash recorded for this version of the file, if any. */
  lookup(relative: string, stamp: FileStamp, gzip: boolean): BodyHash | undefined {
    const entry = this.#previous.get(relative);
    if (!entry || entry.gzip !== gzip || !sameStamp(entry, stamp)) return undefined;
    this.#hits += 1;
    this.#next.set(relative, entry);
    return { size: entry.storedSize, md5: entry.md5, ...(entry.multipartEtag === undefined ? {} : { multipartEtag: entry.multipartEtag }) };
  }

  record(relative: string, stamp: FileStamp, gzip: boolean, hash: BodyHash): void {
    if (this.#file === undefined) return;
    if (Math.max(stamp.mtimeMs, stamp.ctimeMs) > this.#startedAt - RACY_WINDOW_MS) return;
    this.#next.set(relative, { ...stamp, gzip, md5: hash.md5, storedSize: hash.size, ...(hash.multipartEtag === undefined ? {} : { multipartEtag: hash.multipartEtag }) });
  }

  /** Files whose hash came from the cache. */
  get hits(): number {
    return this.#hits;
  }

  /** Writes what this scan saw (and only that: removed files drop out). Never fails the publish. */
  save(realRoot: string): void {
    if (this.#file === undefined) return;
    try {
      mkdirSync(path.dirname(this.#file), { recursive: true });
      const temporary = `${this.#file}.${process.pid}.tmp`;
      writeFileSync(temporary, JSON.stringify({ format: FORMAT, root: realRoot, files: Object.fromEntries(this.#next) }));
      renameSync(temporary, this.#file); // atomic: a concurrent reader sees the old or the new file
    } catch {
      // A read-only home or a full disk only costs the next publish some hashing.
    }
  }
}

function sameStamp(a: FileStamp, b: FileStamp): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino;
}

/** `$XDG_CACHE_HOME/fleuron/hashes-<digest of the folder path>.json`, else under `~/.cache`. */
export function defaultCacheFile(realRoot: string): string | undefined {
  const base = process.env.XDG_CACHE_HOME || (os.homedir() ? path.join(os.homedir(), '.cache') : undefined);
  if (!base) return undefined;
  const digest = createHash('sha256').update(realRoot).digest('hex').slice(0, 24);
  return path.join(base, 'fleuron', `hashes-${digest}.json`);
}

function readEntries(file: string | undefined, realRoot: string): Map<string, CachedHash> {
  if (file === undefined) return new Map();
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as { format?: number; root?: string; files?: Record<string, CachedHash> };
    if (data.format !== FORMAT || data.root !== realRoot || typeof data.files !== 'object' || data.files === null) return new Map();
    const entries = new Map<string, CachedHash>();
    for (const [relative, entry] of Object.entries(data.files)) if (isCachedHash(entry)) entries.set(relative, entry);
    return entries;
  } catch {
    return new Map();
  }
}

function isCachedHash(value: unknown): value is CachedHash {
  const entry = value as CachedHash;
  return (
    typeof entry === 'object' &&
    entry !== null &&
    typeof entry.size === 'number' &&
    typeof entry.mtimeMs === 'number' &&
    typeof entry.ctimeMs === 'number' &&
    typeof entry.ino === 'number' &&
    typeof entry.gzip === 'boolean' &&
    typeof entry.storedSize === 'number' &&
    typeof entry.md5 === 'string' &&
    /^[0-9a-f]{32}$/.test(entry.md5) &&
    (entry.multipartEtag === undefined || /^[0-9a-f]{32}-\d+$/.test(entry.multipartEtag))
  );
}
