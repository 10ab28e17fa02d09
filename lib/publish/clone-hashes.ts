/**
 * The hashes a fresh clone's scan need not compute: a file git's index vouches for (lib/files/git-index.ts) is the
 * git blob the index names, and the manifest remembers, per object, the blob its body was published from. Where they
 * agree, the body's MD5 (and multipart ETag) are the manifest's, and the file is not read: in CI, where every
 * publish starts from a fresh clone, fleuron's own hash cache has nothing (every stamp is new), and reading 189 MB
 * to find the 1 % that changed was most of the publish.
 *
 * The manifest is public and anyone with the bucket's keys can write it; a blob recorded there is only the statement
 * "this blob's bytes have this MD5", true or false whatever the bucket holds, and fleuron writes it only for a body
 * it hashed (or took from such a statement) and git vouched for. A hand-edited false one makes a file skipped that
 * should be uploaded, as a false object written with those keys would make a page wrong.
 */
import { cacheEntry } from './hash-cache.js';
import { MULTIPART_THRESHOLD, PART_SIZE } from './body-hash.js';
import { manifestKey } from './manifest.js';
import type { TrackedFile } from '../files/git-index.js';
import type { Manifest } from './types.js';

/** CloneHashes.entry's answer for a file whose blob is not the one the manifest records for its key. */
export const OTHER_BLOB = Symbol('other blob');

/**
 * Hash cache entries (hash-cache.ts's format, uncompressed bodies) for the tracked files whose blob the manifest
 * records: the scan's hashing threads take them as they take the cache's, stat the file, and read it only if its
 * stamp is no longer the one git recorded. Asked file by file as the scan queues them (a pass over every tracked file
 * when the manifest arrived held the main thread ~120 ms at 10,000 files, the listing's requests with it).
 */
export class CloneHashes {
  /**
   * `keyOf` gives a relative path's object key, `gzipFor` whether it is stored compressed (such bodies are never
   * vouched for: their bytes depend on the compressor).
   */
  constructor(
    private readonly manifest: Manifest,
    private readonly keyOf: (relative: string) => string,
    private readonly gzipFor: (relative: string) => boolean,
  ) {}

  /**
   * The entry for a tracked file (what git's index says of it), when the manifest records its blob; OTHER_BLOB when it
   * records another one (the file changed since that publish, unless edited back since the checkout); else undefined.
   */
  entry(relative: string, file: TrackedFile): string | typeof OTHER_BLOB | undefined {
    const recorded = this.manifest.objects[manifestKey(this.keyOf(relative))];
    if (recorded?.git === undefined || this.gzipFor(relative)) return undefined;
    if (recorded.git !== file.blob) return OTHER_BLOB;
    const hash = bodyHashOf(recorded.etag, recorded.md5, file.stamp.size);
    return hash && cacheEntry(file.stamp, false, hash);
  }
}

/** The body hash an entry's ETag and MD5 give for a body of `size` bytes; undefined when they do not fit it. */
function bodyHashOf(etag: string, md5: string | undefined, size: number): { size: number; md5: string; multipartEtag?: string } | undefined {
  if (size <= MULTIPART_THRESHOLD) return md5 === undefined && /^[0-9a-f]{32}$/.test(etag) ? { size, md5: etag } : undefined;
  const parts = /^[0-9a-f]{32}-(\d+)$/.exec(etag);
  if (!parts || Number(parts[1]) !== Math.ceil(size / PART_SIZE) || md5 === undefined || !/^[0-9a-f]{32}$/.test(md5)) return undefined;
  return { size, md5, multipartEtag: etag };
}
