/**
 * The files of a folder's scan as they are hashed, for the parts of a publish that act on them before the scan ends
 * (early-lock.ts, early-uploads.ts): they start after the scan did, so the feed holds what came before for them.
 */
import type { LocalFile } from './types.js';

/** `read`: the file's bytes were read (its hash is new); false when the hash cache vouched for it. */
export type FileListener = (file: LocalFile, read: boolean) => void;

/** Told the object key of a file git's index says is another blob than the manifest records for that key. */
export type OtherBlobListener = (key: string) => void;

export class FileFeed {
  /** Every file so far, read or vouched for by the cache, while holding (see stopHolding). */
  #held: { read: LocalFile[]; cached: LocalFile[] } | undefined = { read: [], cached: [] };
  readonly #listeners = new Set<FileListener>();
  /**
   * Keys of files known to have changed before they are hashed (a fresh clone: git's blob is not the manifest's), while
   * holding. The early lock takes them as a change it is sure of (early-lock.ts), ahead of the walk's end.
   */
  #otherBlobs: string[] | undefined = [];
  readonly #otherBlobListeners = new Set<OtherBlobListener>();
  #assetsHashed!: () => void;
  /** Once every file but the pages is hashed and handed over (the scan hashes pages last; see scan-local.ts). */
  readonly assetsHashed = new Promise<void>((resolve) => (this.#assetsHashed = resolve));

  push(file: LocalFile, read: boolean): void {
    if (read) this.#held?.read.push(file);
    else this.#held?.cached.push(file);
    // A listener may add another (the lock, taken, starts the uploads): that one has this file from the held ones.
    for (const listener of [...this.#listeners]) listener(file, read);
  }

  pushOtherBlob(key: string): void {
    this.#otherBlobs?.push(key);
    for (const listener of [...this.#otherBlobListeners]) listener(key);
  }

  markAssetsHashed(): void {
    this.#assetsHashed();
  }

  /** Hands over the files so far (while holding; the read ones first), then each new one, until the returned function is called. */
  listen(listener: FileListener): () => void {
    const held = this.#held;
    if (held) {
      for (const file of held.read) listener(file, true);
      for (const file of held.cached) listener(file, false);
    }
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Hands over the keys of other blobs so far (while holding), then each new one, until the returned function is called. */
  listenOtherBlobs(listener: OtherBlobListener): () => void {
    for (const key of this.#otherBlobs ?? []) listener(key);
    this.#otherBlobListeners.add(listener);
    return () => this.#otherBlobListeners.delete(listener);
  }

  /** No listener will come that needs the files before it: they are no longer held. */
  stopHolding(): void {
    this.#held = undefined;
    this.#otherBlobs = undefined;
  }
}
