/**
 * The copies a build makes of files git vouches for (lib/files/git-index.ts): output path → the source's blob, with
 * the copy's stamp. Handed to the publish that follows the build (`fleuron publish site-src`, what CI runs): a fresh
 * clone's output folder is new, fleuron's hash cache knows nothing of it, and the copied files (images, documents:
 * most of a site's bytes) would all be read again for their MD5s, which the bucket's manifest already records per
 * blob (lib/publish/clone-hashes.ts).
 *
 * A copy holds its source's blob when the source had git's stamp just before and just after it was copied: the bytes
 * copied were the checkout's. The copy's own stamp is taken then, and the publish's scan trusts the copy only while
 * it keeps that stamp. Not git's "racily clean" margin for it: the copy is made by this process for the publish it
 * starts, milliseconds before its scan; only another program writing into the output folder within the same clock
 * tick, keeping the size, could change it unseen.
 */
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { fileStats, hasStamp, stampFrom } from '../../files/file-stamp.js';
import { GitIndex, trackedFiles, type TrackedFile } from '../../files/git-index.js';

export class TrackedCopies {
  readonly #copies = new Map<string, TrackedFile>();

  private constructor(
    private readonly index: GitIndex,
    private readonly sourceDir: string,
  ) {}

  /** For a build of `sourceDir` (resolved): reads git's index of its work tree, if any (a few ms at 10,000 files). */
  static of(sourceDir: string): TrackedCopies {
    let index = GitIndex.EMPTY;
    try {
      index = trackedFiles(realpathSync(sourceDir));
    } catch {
      // No folder to resolve: the build reports it; nothing is vouched for.
    }
    return new TrackedCopies(index, sourceDir);
  }

  /** Output path → the blob and the copy's stamp, for every copy noted. */
  get copies(): ReadonlyMap<string, TrackedFile> {
    return this.#copies;
  }

  /** Before copying `source` (absolute): git's entry for it, if it is tracked and still has git's stamp. */
  before(source: string): TrackedFile | undefined {
    if (this.index.size === 0) return undefined;
    const relative = path.relative(this.sourceDir, source);
    // The theme's files are outside the sources.
    if (relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) return undefined;
    const entry = this.index.get(relative.split(path.sep).join('/'));
    return entry && hasStamp(source, entry.stamp) ? entry : undefined;
  }

  /** After `source` was copied to `target` (absolute), given what `before` returned for it. */
  after(outputPath: string, source: string, target: string, entry: TrackedFile | undefined): void {
    if (!entry || !hasStamp(source, entry.stamp)) return;
    const copy = fileStats(target);
    if (copy && copy.size === entry.stamp.size) this.#copies.set(outputPath, { blob: entry.blob, stamp: stampFrom(copy) });
  }
}
