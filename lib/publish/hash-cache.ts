/**
 * Remembers the hashes of the files of a folder between publishes, the way git's index does: a
 * file whose size, mtime, ctime and inode are all unchanged since it was hashed is not read again.
 * Content is still compared by hash — the stamp only decides whether the hash must be recomputed.
 * Rewriting a file (even with its old mtime restored) changes its ctime, so it is re-hashed; a fresh
 * clone or a rebuild has new stamps everywhere, so everything is re-hashed.
 *
 * Stored outside the folder (the user's cache folder), one small text file per published folder.
 * Missing, unreadable or corrupt: every file is hashed, as without a cache.
 */
import { readFileSync } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat, utimes } from 'node:fs/promises';
import path from 'node:path';
import { changedJustBefore, stampOf, stampTimes, type FileStamp } from '../files/file-stamp.js';
import type { BodyHash } from './body-hash.js';
import { defaultCacheFile } from './hash-cache-file.js';

/**
 * One line per file, `<stamp>\t<hash>\t<JSON path>`: a compact text format, because a folder of
 * 100,000 files would otherwise cost an 18 MB JSON document and 100,000 objects in memory.
 */
const HEADER = 'fleuron-hash-cache 2';
const HASH = /^([0-9a-f]{32}):(\d+):((?:[0-9a-f]{32}-\d+)?)$/;
/**
 * A cache file not written for this long belongs to a folder no longer published from here (a
 * removed checkout, a CI workspace, a temporary folder): removed when another cache is saved.
 */
export const UNUSED_CACHE_MS = 30 * 24 * 3600 * 1000;

let temporaryCount = 0;

export class HashCache {
  readonly #file: string | undefined;
  /** Path → `<stamp>\t<hash>` from the last scan; emptied by lookupsDone(). */
  #previous: Map<string, string>;
  /** How many files the last scan recorded. */
  readonly #previousCount: number;
  /** What the next cache file holds: path, then `<stamp>\t<hash>` (joined only when written, to keep memory flat). */
  readonly #next: string[] = [];
  readonly #startedAt: number;
  #hits = 0;

  private constructor(file: string | undefined, previous: Map<string, string>, startedAt: number) {
    this.#file = file;
    this.#previous = previous;
    this.#previousCount = previous.size;
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

  /** The files the last scan recorded (relative paths). */
  paths(): string[] {
    return [...this.#previous.keys()];
  }

  /** What the last scan recorded for a file, as opaque text for entryMatches (which a hashing thread runs). */
  entry(relative: string): string | undefined {
    return this.#previous.get(relative);
  }

  /**
   * Every file of the scan has been looked up (entry()): the last scan's map goes, its entries live on where they are
   * reused. A scan of 100,000 files hashes on for a while after its walk, with the folder's files, the bucket's
   * listing and the manifest in memory; the map's table and keys are 7.5 MB of heap then (a heap snapshot).
   */
  lookupsDone(): void {
    this.#previous = new Map();
  }

  /**
   * Keeps the hash of a file read now for the next scan, as a whole entry (cacheEntry's text, as a hashing thread
   * sends it); a hash from this cache's own entry is `reuse`d instead.
   */
  rememberEntry(relative: string, entry: string): void {
    if (this.#file === undefined) return;
    // A file changed just before the scan may change again within the same timestamp tick: its hash is not kept.
    if (changedJustBefore(stampTimes(entry), this.#startedAt)) return;
    this.#next.push(relative, entry);
  }

  /** Keeps a file's entry (`entry(relative)`) as it is: the file still has the stamp it records. */
  reuse(relative: string, entry = this.#previous.get(relative)!): void {
    this.#hits += 1;
    this.#next.push(relative, entry);
  }

  /** Files whose hash came from the cache. */
  get hits(): number {
    return this.#hits;
  }

  /** Whether this scan saw exactly what the last one recorded: every entry reused, none added or dropped. */
  get unchanged(): boolean {
    return this.#previousCount > 0 && this.#hits === this.#previousCount && this.#next.length === 2 * this.#hits;
  }

  /**
   * Writes what this scan saw (and only that: removed files drop out). Never fails the publish. When nothing changed
   * (a no-op), the file is only touched, so that it does not look unused: writing 10,000 lines again cost ~20 ms.
   * Written a slice at a time, each slice's bytes in libuv's pool, so that the publish goes on meanwhile: written at
   * once at the scan's end, 10,000 lines held the main thread 50-65 ms between the scan and the first upload (a fresh
   * clone, 2-core machine). Its memory goes once written.
   */
  async save(realRoot: string): Promise<void> {
    if (this.#file === undefined) return;
    const file = this.#file;
    if (this.unchanged) {
      const now = new Date();
      // Removed meanwhile: written again below.
      if (await utimes(file, now, now).then(() => true, () => false)) return;
    }
    // Its own name: a publish whose early scan was set aside (other options) saves two scans at once.
    const temporary = `${file}.${process.pid}-${(temporaryCount += 1)}.tmp`;
    try {
      await mkdir(path.dirname(file), { recursive: true });
      const handle = await open(temporary, 'w');
      try {
        await handle.write(`${HEADER} ${JSON.stringify(realRoot)}\n`);
        // In slices: one string of the whole cache would be a needless peak of memory, and a long hold of the thread.
        for (let i = 0; i < this.#next.length; i += 2048) {
          let lines = '';
          for (let j = i; j < Math.min(i + 2048, this.#next.length); j += 2) lines += `${this.#next[j + 1]}\t${JSON.stringify(this.#next[j])}\n`;
          await handle.write(lines);
        }
      } finally {
        await handle.close();
      }
      await rename(temporary, file); // atomic: a concurrent reader sees the old or the new file
    } catch {
      // A read-only home or a full disk only costs the next publish some hashing.
    } finally {
      this.#next.length = 0;
    }
    await removeUnusedCaches(path.dirname(file), Date.now() - UNUSED_CACHE_MS);
  }
}

/** Removes the cache files (and leftover temporary files) of `dir` last written before `before` (ms). Never throws. */
export async function removeUnusedCaches(dir: string, before: number): Promise<void> {
  const names = await readdir(dir).catch(() => []);
  for (const name of names) {
    if (!name.startsWith('hashes-')) continue;
    const file = path.join(dir, name);
    // Removed meanwhile by another publish, or not ours to remove: left alone.
    const stats = await stat(file).catch(() => undefined);
    if (stats && stats.mtimeMs < before) await rm(file, { force: true }).catch(() => {});
  }
}

/** Whether an entry was recorded for this stamp and gzip setting (a hashing thread asks, with the file's stamp). */
export function entryMatches(entry: string, stamp: FileStamp, gzip: boolean): boolean {
  const prefix = cacheStampText(stamp, gzip);
  return entry.length > prefix.length && entry.charCodeAt(prefix.length) === 9 && entry.startsWith(prefix);
}

/** Whether an entry has its stamp and a well-formed hash (a damaged line is no entry). Allocates nothing. */
export function isWholeEntry(entry: string): boolean {
  HASH_AT.lastIndex = entry.indexOf('\t') + 1;
  return HASH_AT.lastIndex > 0 && HASH_AT.test(entry);
}

/**
 * The hash of a whole entry (isWholeEntry, or made by cacheEntry): cut at its known positions, not matched again
 * (a regular expression per file was a tenth of a warm scan's main thread in a profile).
 */
export function cachedHash(entry: string): BodyHash {
  const md5At = entry.indexOf('\t') + 1;
  const sizeAt = md5At + 33; // 32 hex digits and a colon
  const sizeEnd = entry.indexOf(':', sizeAt);
  const size = Number(entry.slice(sizeAt, sizeEnd));
  const md5 = entry.slice(md5At, md5At + 32);
  return sizeEnd + 1 < entry.length ? { size, md5, multipartEtag: entry.slice(sizeEnd + 1) } : { size, md5 };
}

/** HASH, read from a given position of an entry (sticky): no slice of the entry. */
const HASH_AT = new RegExp(HASH.source.slice(1), 'y');

/** A file's entry: `<stamp>:<z or ->\t<md5>:<size>:<multipart ETag or nothing>`. */
export function cacheEntry(stamp: FileStamp, gzip: boolean, hash: BodyHash): string {
  return `${cacheStampText(stamp, gzip)}\t${hash.md5}:${hash.size}:${hash.multipartEtag ?? ''}`;
}

/** A stamp and the gzip setting as a cache entry records them. */
export function cacheStampText(stamp: FileStamp, gzip: boolean): string {
  return `${stampOf(stamp)}:${gzip ? 'z' : '-'}`;
}

function readEntries(file: string | undefined, realRoot: string): Map<string, string> {
  const entries = new Map<string, string>();
  if (file === undefined) return entries;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return entries;
  }
  const lines = text.split('\n');
  if (lines[0] !== `${HEADER} ${JSON.stringify(realRoot)}`) return entries;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const second = line.indexOf('\t', line.indexOf('\t') + 1);
    if (second < 0) continue;
    const quoted = line.slice(second + 1);
    // Without a backslash, a JSON string is the text between its quotes: no JSON.parse for most lines.
    if (quoted.length >= 2 && quoted.startsWith('"') && quoted.indexOf('"', 1) === quoted.length - 1 && !quoted.includes('\\')) {
      entries.set(quoted.slice(1, -1), line.slice(0, second));
      continue;
    }
    try {
      const relative: unknown = JSON.parse(quoted);
      if (typeof relative === 'string') entries.set(relative, line.slice(0, second));
    } catch {
      // a damaged line: that file is simply hashed again
    }
  }
  return entries;
}
