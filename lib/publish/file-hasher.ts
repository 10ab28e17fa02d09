/**
 * Hashes the files of a scan across the CPU's cores. Reading and MD5 are CPU work on the calling
 * thread in Node; with worker threads a 10,000-file folder hashes on every core, and the main thread
 * stays free for the bucket listing that runs at the same time. Small scans, and runs from the
 * TypeScript sources (tests), hash in this thread.
 */
import { availableParallelism } from 'node:os';
import { BatchPool, compiledWorker } from '../workers/batch-pool.js';
import { hashFile, type BodyHash, type FileStamp } from './body-hash.js';
import { matchCacheEntry } from './hash-cache.js';

export interface HashJob {
  path: string;
  gzip: boolean;
  /** The hash cache's entry for this file, reused if the file's stamp still matches it. */
  cacheEntry?: string;
}

export type HashResult =
  | { ok: true; stamp: FileStamp; hash: BodyHash; fromCache: boolean }
  | { ok: false; code?: string; message: string };

/** Below this many files, starting workers costs more than it saves. */
export const MIN_JOBS_FOR_WORKERS = 500;
const BATCH_SIZE = 64;

/** One file, in this thread. Errors come back as values: they must cross from a worker. */
export async function hashJob(job: HashJob): Promise<HashResult> {
  try {
    const cached = job.cacheEntry === undefined ? undefined : (stamp: FileStamp) => matchCacheEntry(job.cacheEntry, stamp, job.gzip);
    return { ok: true, ...(await hashFile(job.path, job.gzip, cached)) };
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    return { ok: false, ...(code === undefined ? {} : { code }), message };
  }
}

export class FileHasher {
  readonly #pool: BatchPool<HashJob, HashResult> | undefined;

  private constructor(pool: BatchPool<HashJob, HashResult> | undefined) {
    this.#pool = pool;
  }

  /**
   * Workers for a scan of `files` files, none for a small scan. One core is left to the main thread,
   * which lists the bucket meanwhile, and to whatever serves that listing: with a local server
   * (the benchmark's s3rver, a preview), hashing on every core slowed the listing it waits for.
   */
  static start(files: number, threads = Math.min(4, availableParallelism() - 1)): FileHasher {
    const file = compiledWorker(new URL('./hash-worker.js', import.meta.url));
    if (file === undefined || files < MIN_JOBS_FOR_WORKERS || threads < 1) return new FileHasher(undefined);
    return new FileHasher(new BatchPool(file, threads, 'hashing'));
  }

  /** The results of `jobs`, in their order. */
  async hashAll(jobs: readonly HashJob[]): Promise<HashResult[]> {
    return this.#pool ? this.#pool.runAll(jobs, BATCH_SIZE) : hashInThisThread(jobs);
  }

  async close(): Promise<void> {
    await this.#pool?.close();
  }
}

/**
 * The reads are synchronous, so without a pause the event loop would not run until every file is
 * hashed — and the bucket listing, running at the same time, would not send its next page.
 */
async function hashInThisThread(jobs: readonly HashJob[]): Promise<HashResult[]> {
  const results: HashResult[] = [];
  let pausedAt = performance.now();
  for (const job of jobs) {
    if (performance.now() - pausedAt > 8) {
      await new Promise((resolve) => setImmediate(resolve));
      pausedAt = performance.now();
    }
    results.push(await hashJob(job));
  }
  return results;
}
