/**
 * Hashes the files of a scan across the CPU's cores. Reading and MD5 are CPU work on the calling
 * thread in Node; with worker threads a 10,000-file folder hashes on every core: the threads while the
 * main thread walks the folder, and the main thread with them once the walk is done (between batches it
 * lets the bucket listing, running at the same time, take its turn). Small scans, and runs from the
 * TypeScript sources (tests), hash in this thread.
 */
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { BatchPool, compiledWorker, type BatchQueue } from '../workers/batch-pool.js';
import { hashFile, hashFileUnless, MULTIPART_THRESHOLD } from './body-hash.js';
import { cacheEntry, entryMatches } from './hash-cache.js';

export interface HashJob {
  path: string;
  gzip: boolean;
  /** The file's size when the scan saw it, if it did: large files go first, and batches hold similar numbers of bytes. */
  size?: number;
  /**
   * What the hash cache recorded for the file (a whole entry of hash-cache.ts: its stamp, a tab, its hash): a file
   * that still has that stamp is stat'ed, not read, and answered `unchanged`. The stat is done here, in a hashing
   * thread, not by the scan's main thread, which walks the folder meanwhile (10,000 stats were a quarter of a warm
   * scan's main thread).
   */
  cachedEntry?: string;
  /**
   * The cached stamp has likely moved (the cache looked stale: see scan-local.ts's StaleCacheProbe): the file is
   * opened at once and its stamp compared from the descriptor, then read from it if it moved. A stat, then an open
   * and an fstat, was a stat too many per file of a folder whose every mtime is new (~4 µs each, 10,000 files).
   */
  openFirst?: boolean;
}

/**
 * A file hashed: `entry` is the stamp and hash as a line of the hash cache holds them (hash-cache.ts's cacheEntry):
 * the main thread keeps that text as it is and reads only the hash out of it.
 */
export type HashResult = { ok: true; entry: string } | { ok: 'unchanged' } | { ok: false; code?: string; message: string };

const UNCHANGED: HashResult = { ok: 'unchanged' };

/** Files to read that make a pool started with one thread (for a warm cache) grow to its full size. */
const READ_TO_GROW = 256;
/**
 * Files still waiting for a thread when the walk ends that make a pool started with one thread grow to its full size:
 * more stats than a thread costs to start (twice as many while the walk goes on: thousands wait while the first
 * thread starts). A warm scan of 10,000 files stays on one thread, one of 100,000 grows.
 */
const BACKLOG_TO_GROW = 8192;
/** Below this many files, starting workers costs more than it saves. */
export const MIN_JOBS_FOR_WORKERS = 500;
/** What a file of unknown size is taken to weigh (a web page or a small asset). */
const TYPICAL_SIZE = 16 * 1024;
/** What a file the cache may vouch for weighs: a stat, the cost of reading a small page or so. */
const STAT_WEIGHT = 4 * 1024;
/**
 * A batch: at most 256 files or about 2 MiB (a few milliseconds of hashing). A message costs more than a small file,
 * so not one file a message; not much more either, or the last batches leave a thread idle while another finishes.
 */
const BATCH_LIMITS = { maxJobs: 256, maxWeight: 2 * 1024 * 1024, weightOf, wire: jobText };

function weightOf(job: HashJob): number {
  return job.cachedEntry === undefined ? (job.size ?? TYPICAL_SIZE) : STAT_WEIGHT;
}

/**
 * A job as sent to a thread: one letter for gzip and openFirst (`-`, `z`, `o`, `O`: see JOB_FLAGS), the cached entry
 * if any (a stamp, a tab, a hash), a tab, then the path (which may hold tabs).
 */
export function jobText(job: HashJob): string {
  return `${JOB_FLAGS[(job.gzip ? 1 : 0) + (job.openFirst ? 2 : 0)]}${job.cachedEntry ?? ''}\t${job.path}`;
}

/** The flag letter by gzip (1) + openFirst (2). */
const JOB_FLAGS = '-zoO';

export function parseJobText(text: string): HashJob {
  const flags = JOB_FLAGS.indexOf(text[0]!);
  const gzip = (flags & 1) === 1;
  if (text.charCodeAt(1) === 9) return { gzip, path: text.slice(2) };
  const end = text.indexOf('\t', text.indexOf('\t') + 1);
  const job: HashJob = { gzip, path: text.slice(end + 1), cachedEntry: text.slice(1, end) };
  if (flags & 2) job.openFirst = true;
  return job;
}

/** One file, in this thread (synchronously: no promise per file). Errors come back as values: they must cross from a worker. */
export function hashJob(job: HashJob): HashResult {
  try {
    const { cachedEntry, gzip } = job;
    if (cachedEntry !== undefined && job.openFirst) {
      const hashed = hashFileUnless(job.path, gzip, (info) => entryMatches(cachedEntry, info, gzip));
      return hashed === undefined ? UNCHANGED : { ok: true, entry: cacheEntry(hashed.stamp, gzip, hashed.hash) };
    }
    if (cachedEntry !== undefined && entryMatches(cachedEntry, statSync(job.path), gzip)) return UNCHANGED;
    const { stamp, hash } = hashFile(job.path, gzip);
    return { ok: true, entry: cacheEntry(stamp, gzip, hash) };
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
  if (result.ok === 'unchanged') return '=';
  if (!result.ok) return `!${result.code ?? ''}\t${result.message}`;
  return result.entry; // starts with the file's size: a digit
}

export function parseResultText(text: string): HashResult {
  if (text === '=') return UNCHANGED;
  if (!text.startsWith('!')) return { ok: true, entry: text };
  const tab = text.indexOf('\t');
  return { ok: false, ...(tab > 1 ? { code: text.slice(1, tab) } : {}), message: text.slice(tab + 1) };
}

/**
 * Files added one by one, each result handed to `onResult` with the file's position in the order of add, as soon as
 * it is in (in any order). Threads start when startThreads() is called (ahead of the first file: they take a while
 * to boot) or, at finish(), when enough files were added.
 */
export class FileHasher {
  readonly #onResult: (index: number, result: HashResult) => void;
  #pool: BatchPool<HashJob, string> | undefined;
  #queue: BatchQueue<HashJob, string> | undefined;
  /** Files added while no thread runs. */
  readonly #held: HashJob[] = [];
  /** Positions (in the order of add) of the files queued without their size. */
  readonly #sizeUnknown: number[] = [];
  #added = 0;
  /** Files added with a cached entry (most need a stat only), and files known to need reading. */
  #cachedAdded = 0;
  #toRead = 0;
  /** The threads the pool grows to once there is reading to do (it may start with one). */
  #threads = 0;

  constructor(onResult: (index: number, result: HashResult) => void) {
    this.#onResult = onResult;
  }

  /**
   * Threads for the hashing: one per core but one, up to 4, and this thread beside them once its walk is done
   * (finish()). None when run from the TypeScript sources (tests): then the files are hashed in this thread. When
   * nearly every file so far has a cached entry (a warm cache: stats, not reads), one thread starts, and the others
   * only once READ_TO_GROW files turn out to need reading or BACKLOG_TO_GROW files wait for it: a thread costs 45–90
   * ms of CPU to start (measured on a busy 2-core machine; 80–100 ms under load), more than the stats of 5,000 files,
   * and on two cores that CPU is the main thread's.
   */
  startThreads(threads = defaultHashThreads()): void {
    const file = compiledWorker(new URL('./hash-worker.js', import.meta.url));
    if (this.#pool || file === undefined || threads < 1) return;
    this.#threads = threads;
    const mostlyCached = this.#cachedAdded * 10 >= this.#added * 9 && this.#toRead < READ_TO_GROW;
    this.#pool = new BatchPool(file, mostlyCached ? 1 : threads, 'hashing');
    this.#queue = this.#pool.queue(BATCH_LIMITS, (index, text) => {
      const result = parseResultText(text);
      if (result.ok === true) this.#readOne();
      this.#onResult(index, result);
    });
    for (const job of this.#held.splice(0)) this.#queue.add(job, (job.size ?? 0) > MULTIPART_THRESHOLD);
  }

  /** Queues a file; a large one ahead of the waiting small ones, so that it is not the last one running. */
  add(job: HashJob): void {
    if (job.size === undefined) this.#sizeUnknown.push(this.#added);
    this.#added += 1;
    if (job.cachedEntry === undefined) this.#readOne();
    else this.#cachedAdded += 1;
    if (!this.#queue) return void this.#held.push(job);
    this.#queue.add(job, (job.size ?? 0) > MULTIPART_THRESHOLD);
    // One thread stats about as fast as the walk finds files: a backlog this long means it cannot keep up (100,000 files).
    if (this.#queue.backlog === BACKLOG_TO_GROW * 2) this.#pool!.growTo(this.#threads);
  }

  /** One more file to read (one without a cached entry, or one whose stamp changed): the pool grows when they add up. */
  #readOne(): void {
    this.#toRead += 1;
    if (this.#toRead === READ_TO_GROW) this.#pool?.growTo(this.#threads);
  }

  /** Once every file added is hashed (and handed to onResult); rejects with the first error. */
  async finish(): Promise<void> {
    if (!this.#queue && this.#held.length >= MIN_JOBS_FOR_WORKERS) this.startThreads();
    if (!this.#queue) return hashInThisThread(this.#held.splice(0), this.#onResult);
    if (this.#queue.backlog >= BACKLOG_TO_GROW) this.#pool!.growTo(this.#threads);
    const done = this.#queue.finish();
    done.catch(() => {}); // awaited below
    await this.#promoteLargeFiles(this.#queue);
    await hashBesideThreads(this.#queue);
    await done;
  }

  /**
   * Stats the files queued without a size while the threads hash, and moves the large ones still waiting to the
   * front. Hashing a large file takes as long as hundreds of pages (its part MD5s and whole MD5 are two passes of MD5
   * over one read): started last, it would run alone at the end. From the last file back to the next one to be sent:
   * those are the ones a large file would be late among, and the stat calls stay off the path of the first batches
   * (a fresh clone stats nothing before it hashes).
   */
  async #promoteLargeFiles(queue: BatchQueue<HashJob, string>): Promise<void> {
    let pausedAt = performance.now();
    for (let at = this.#sizeUnknown.length - 1; at >= 0; at--) {
      const index = this.#sizeUnknown[at]!;
      const next = queue.nextWaiting;
      if (next === undefined || index < next) return;
      const job = queue.waiting(index);
      const size = job && mayBeLarge(job.path) ? sizeOf(job.path) : undefined;
      if (job && size !== undefined && size > MULTIPART_THRESHOLD) queue.promote(index, { ...job, size });
      if (performance.now() - pausedAt > 4) {
        await new Promise((resolve) => setImmediate(resolve)); // replies in, batches out
        pausedAt = performance.now();
      }
    }
  }

  async close(): Promise<void> {
    await this.#pool?.close();
  }
}

/**
 * Hashing threads beside this one: one per core but one (this thread hashes too once its walk is done), at least one,
 * at most 4. On 2 cores one thread and this one instead of two beside an idle one: a fresh scan of the 10,000-file
 * benchmark folder took ~0.3 s less CPU in all (one isolate less to start and to warm up; `npm run bench:scan`).
 */
export function defaultHashThreads(cores = availableParallelism()): number {
  return Math.max(1, Math.min(4, cores - 1));
}

/**
 * This thread takes batches from the threads' queue until none waits (runHere: not the large files, which the threads
 * take first), with a pause after each (a batch is a few milliseconds of hashing), so that the threads' results come
 * in, their next batches go out, and the bucket listing running beside the scan gets its turn.
 */
async function hashBesideThreads(queue: BatchQueue<HashJob, string>): Promise<void> {
  const handle = (job: HashJob) => resultText(hashJob(job));
  while (queue.runHere(handle)) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * Whether a file may be above the multipart threshold, judged by its name: pages, style sheets, scripts and SVG are
 * not stat'ed to find out (most of a site; 10,000 stats were 80 ms of the main thread in a fresh clone's scan, the
 * thread the scan waits on). Only the order of hashing depends on it: a large page is hashed all the same, later.
 */
export function mayBeLarge(file: string): boolean {
  return !SMALL_BY_NAME.test(file);
}

const SMALL_BY_NAME = /\.(?:html?|css|m?js|svg)$/i;

/** A file's size, or undefined when it cannot be stat'ed: its thread reports why when it reads it. */
function sizeOf(file: string): number | undefined {
  try {
    return statSync(file, { throwIfNoEntry: false })?.size;
  } catch {
    return undefined;
  }
}

/**
 * The reads are synchronous, so without a pause the event loop would not run until every file is
 * hashed — and the bucket listing, running at the same time, would not send its next page.
 */
async function hashInThisThread(jobs: readonly HashJob[], onResult: (index: number, result: HashResult) => void): Promise<void> {
  let pausedAt = performance.now();
  for (const [index, job] of jobs.entries()) {
    if (performance.now() - pausedAt > 8) {
      await new Promise((resolve) => setImmediate(resolve));
      pausedAt = performance.now();
    }
    onResult(index, hashJob(job));
  }
}
