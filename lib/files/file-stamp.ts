/**
 * A file's stamp, as git's index keeps one: size, modification and change times, inode. An unchanged stamp means
 * unchanged bytes, so neither a rebuild nor a re-publish need read the file; a changed stamp only means "read it
 * and compare hashes". One rule for both of when a stamp is too fresh to trust.
 */
import { statSync, type Stats } from 'node:fs';

/** What identifies one version of a file on disk without reading it (a `Stats` is one). */
export interface FileStamp {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
}

/** `size:mtimeMs:ctimeMs:inode`: a stamp as one string, cheap to keep and to compare. */
export type StampKey = string;

export function stampOf(stamp: FileStamp): StampKey {
  return `${stamp.size}:${stamp.mtimeMs}:${stamp.ctimeMs}:${stamp.ino}`;
}

/**
 * The modification and change times written in a stamp key, or at the start of a text that begins with one (a hash
 * cache entry): read back where stampOf wrote them, without splitting the rest.
 */
export function stampTimes(key: string): Pick<FileStamp, 'mtimeMs' | 'ctimeMs'> {
  const afterSize = key.indexOf(':') + 1;
  const afterMtime = key.indexOf(':', afterSize) + 1;
  return { mtimeMs: Number(key.slice(afterSize, afterMtime - 1)), ctimeMs: Number(key.slice(afterMtime, key.indexOf(':', afterMtime))) };
}

/** A stamp's four numbers alone, from a `Stats` (a record kept per file, not the whole Stats). */
export function stampFrom(stats: FileStamp): FileStamp {
  return { size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs, ino: stats.ino };
}

/** Whether `file` is a regular file that still has this stamp (false when it is missing or cannot be stat'ed). */
export function hasStamp(file: string, stamp: FileStamp): boolean {
  const stats = fileStats(file);
  return stats !== undefined && stampOf(stats) === stampOf(stamp);
}

/** The stats of a regular file, or undefined when it is missing or something else. */
export function fileStats(file: string): Stats | undefined {
  try {
    const stats = statSync(file, { throwIfNoEntry: false });
    return stats?.isFile() ? stats : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether a file whose stamp was taken after `stampedAt` (a `Date.now()`) is "racily clean" (git's term): changed so
 * shortly before that a second change within the same clock tick could leave the same stamp. Such a stamp is not
 * remembered; the file is read again next time, and stamped then. Timestamps in whole seconds (FAT, HFS+, some
 * network file systems) need a wider margin than finer ones.
 */
export function changedJustBefore(stamp: Pick<FileStamp, 'mtimeMs' | 'ctimeMs'>, stampedAt: number): boolean {
  const changed = Math.max(stamp.mtimeMs, stamp.ctimeMs);
  const wholeSeconds = stamp.mtimeMs % 1000 === 0 && stamp.ctimeMs % 1000 === 0;
  return changed >= stampedAt - (wholeSeconds ? 2000 : 100);
}

/** The stamp worth remembering for a file stamped after `stampedAt`, or undefined when it changed just before. */
export function trustedStamp(stamp: FileStamp, stampedAt: number): StampKey | undefined {
  return changedJustBefore(stamp, stampedAt) ? undefined : stampOf(stamp);
}
