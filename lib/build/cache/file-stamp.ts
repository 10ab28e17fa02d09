/**
 * A file's stamp, as git's index keeps one: size, modification and change times, inode. An unchanged stamp means
 * unchanged bytes, so a rebuild need not read the file; a changed stamp only means "read it and compare hashes".
 */
import { statSync, type Stats } from 'node:fs';

/** `size:mtimeMs:ctimeMs:inode`: one string, cheap to keep and to compare. */
export type FileStamp = string;

export function stampOf(stats: Stats): FileStamp {
  return `${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}:${stats.ino}`;
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
 * The stamp worth remembering for a file whose stats were taken after `stampedAt` (a `Date.now()`), or undefined
 * when the file is "racily clean" (git's term): changed so shortly before that a second change within the same
 * clock tick could leave the same stamp. Such a file is read again next time, and stamped then. Timestamps in whole
 * seconds (FAT, HFS+, some network file systems) need a wider margin than finer ones.
 */
export function trustedStamp(stats: Stats, stampedAt: number): FileStamp | undefined {
  const changed = Math.max(stats.mtimeMs, stats.ctimeMs);
  const wholeSeconds = stats.mtimeMs % 1000 === 0 && stats.ctimeMs % 1000 === 0;
  return changed < stampedAt - (wholeSeconds ? 2000 : 100) ? stampOf(stats) : undefined;
}
