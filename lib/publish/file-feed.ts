/**
 * The files of a folder's scan as they are hashed, for the parts of a publish that act on them before the scan ends
 * (early-lock.ts, early-uploads.ts): they start after the scan did, so the feed holds what came before for them.
 */
import type { LocalFile } from './types.js';

/** `read`: the file's bytes were read (its hash is new); false when the hash cache vouched for it. */
export type FileListener = (file: LocalFile, read: boolean) => void;

/** Told the object key of a file git's index says is another blob than the manifest records for that key. */
export type OtherBlobListener = (key: string) => void;

/**
 * Items handed to listeners as they come; while holding, kept too, and handed first to a listener that comes later.
 * A listener may add another while it is told of an item (the lock, taken, starts the uploads): that one has the item
 * from the held ones, and is not told of it twice.
 */
class HeldChannel<T> {
  #held: T[] | undefined = [];
  readonly #listeners = new Set<(item: T) => void>();

  push(item: T): void {
    this.#held?.push(item);
    for (const listener of [...this.#listeners]) listener(item);
  }

  listen(listener: (item: T) => void): () => void {
    for (const item of this.#held ?? []) listener(item);
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  stopHolding(): void {
    this.#held = undefined;
  }
}

export class FileFeed {
  /** The files read and those the cache vouched for, apart: a later listener is handed the read ones first. */
  readonly #read = new HeldChannel<LocalFile>();
  readonly #cached = new HeldChannel<LocalFile>();
  /**
   * Keys of files known to have changed before they are hashed (a fresh clone: git's blob is not the manifest's). The
   * early lock takes them as a change it is sure of (early-lock.ts), ahead of the walk's end.
   */
  readonly #otherBlobs = new HeldChannel<string>();
  #assetsHashed!: () => void;
  /** Once every file but the pages is hashed and handed over (the scan hashes pages last; see scan-local.ts). */
  readonly assetsHashed = new Promise<void>((resolve) => (this.#assetsHashed = resolve));

  push(file: LocalFile, read: boolean): void {
    (read ? this.#read : this.#cached).push(file);
  }

  pushOtherBlob(key: string): void {
    this.#otherBlobs.push(key);
  }

  markAssetsHashed(): void {
    this.#assetsHashed();
  }

  /** Hands over the files so far (while holding; the read ones first), then each new one, until the returned function is called. */
  listen(listener: FileListener): () => void {
    const stopRead = this.#read.listen((file) => listener(file, true));
    const stopCached = this.#cached.listen((file) => listener(file, false));
    return () => {
      stopRead();
      stopCached();
    };
  }

  /** Hands over the keys of other blobs so far (while holding), then each new one, until the returned function is called. */
  listenOtherBlobs(listener: OtherBlobListener): () => void {
    return this.#otherBlobs.listen(listener);
  }

  /** No listener will come that needs what came before it: nothing is held any longer. */
  stopHolding(): void {
    this.#read.stopHolding();
    this.#cached.stopHolding();
    this.#otherBlobs.stopHolding();
  }
}
