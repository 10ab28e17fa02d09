/**
 * Hashes the files of a scan across the CPU's cores. Reading and MD5 are CPU work on the calling
 * thread in Node; with worker threads a 10,000-file folder hashes on every core, and the main thread
 * stays free for the bucket listing that runs at the same time. Small scans, and runs from the
 * TypeScript sources (tests), hash in this thread.
 */
import { availableParallelism } from 'node:os';
import { BatchPool, compiledWorker, type BatchQueue } from '../workers/batch-pool.js';
import { hashFile, MULTIPART_THRESHOLD, type BodyHash, type FileStamp } from './body-hash.js';

export interface HashJob {
  path: string;
  gzip: boolean;
  /** The file's size when the scan saw it: large files go first, and batches hold similar numbers of bytes. */
  size: number;
}

export type HashResult = { ok: true; stamp: FileStamp; hash: BodyHash } | { ok: false; code?: string; message: string };

/** Below this many files, starting workers costs more than it saves. */
export const MIN_JOBS_FOR_WORKERS = 500;
/**
 * A batch: at most 64 files or about 1 MiB. A message costs more than a small file, so not one file a message; not
 * much more either, or the last batches leave a thread idle while another finishes.
 */
const BATCH_LIMITS = { maxJobs: 64, maxWeight: 1024 * 1024, weightOf: (job: HashJob) => job.size };

/** One file, in this thread. Errors come back as values: they must cross from a worker. */
export async function hashJob(job: HashJob): Promise<HashResult> {
  try {
    const { stamp, hash } = await hashFile(job.path, job.gzip);
    return { ok: true, stamp, hash };
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    return { ok: false, ...(code === undefined ? {} : { code }), message };
  }
}

/**
 * A result as one line of text for the trip back from a worker: copying one string costs a fraction of copying the
 * nested objects (measured: postMessage was a tenth of a hashing thread's time with objects).
 */
export function resultText(result: HashResult): string {
  if (!result.ok) return `!${result.code ?? ''}\t${result.message}`;
  const { stamp, hash } = result;
  return `${stamp.size}:${stamp.mtimeMs}:${stamp.ctimeMs}:${stamp.ino}\t${hash.size}:${hash.md5}:${hash.multipartEtag ?? ''}`;
}

export function parseResultText(text: string): HashResult {
  const tab = text.indexOf('\t');
  if (text.startsWith('!')) return { ok: false, ...(tab > 1 ? { code: text.slice(1, tab) } : {}), message: text.slice(tab + 1) };
  const [size, mtimeMs, ctimeMs, ino] = text.slice(0, tab).split(':').map(Number) as [number, number, number, number];
  const [hashSize, md5, multipartEtag] = text.slice(tab + 1).split(':') as [string, string, string];
  return { ok: true, stamp: { size, mtimeMs, ctimeMs, ino }, hash: { size: Number(hashSize), md5, ...(multipartEtag ? { multipartEtag } : {}) } };
}

/** Files added one by one (hashing starts with the first batch), results in the order they were added. */
export class FileHasher {
  readonly #pool: BatchPool<HashJob, string> | undefined;
  readonly #queue: BatchQueue<HashJob, string> | undefined;
  readonly #inThisThread: HashJob[] = [];

  private constructor(pool: BatchPool<HashJob, string> | undefined) {
    this.#pool = pool;
    this.#queue = pool?.queue(BATCH_LIMITS);
  }

  /**
   * Threads for a scan of `files` files to hash, none for a small scan: one per core, up to 4. The main thread
   * needs little CPU meanwhile (the listing waits on the network), and a scan that hashes on one core of two
   * cannot keep up with a plain loop.
   */
  static start(files: number, threads = Math.min(4, availableParallelism())): FileHasher {
    const file = compiledWorker(new URL('./hash-worker.js', import.meta.url));
    if (file === undefined || files < MIN_JOBS_FOR_WORKERS || threads < 1) return new FileHasher(undefined);
    return new FileHasher(new BatchPool(file, threads, 'hashing'));
  }

  /** Queues a file; a large one ahead of the waiting small ones, so that it is not the last one running. */
  add(job: HashJob): void {
    if (this.#queue) this.#queue.add(job, job.size > MULTIPART_THRESHOLD);
    else this.#inThisThread.push(job);
  }

  /** The results of every file added, in their order. */
  async finish(): Promise<HashResult[]> {
    if (this.#queue) return (await this.#queue.finish()).map(parseResultText);
    return hashInThisThread(this.#inThisThread);
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
