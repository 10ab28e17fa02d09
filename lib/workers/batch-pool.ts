/**
 * A pool of worker threads fed batches of jobs, results back in the jobs' order: the builder renders pages and
 * the publisher hashes files with it. Batches, not single jobs, because a message costs more than a small job.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { FleuronError } from '../errors/fleuron-error.js';
import type { BatchReply } from './batch-worker.js';

/**
 * The compiled worker at `url` (next to the module asking), when fleuron runs from `dist/` or the bundle, where each
 * worker is an entry of its own. Under Jest the sources are `.ts`: no worker, the caller works in its own thread.
 */
export function compiledWorker(url: URL): string | undefined {
  const file = fileURLToPath(url);
  return existsSync(file) ? file : undefined;
}

/**
 * A thread with Node's flags (a profiler's `--cpu-prof` then covers it too), or without any when one is a flag
 * threads refuse (`node --trace-gc …`, `node --max-semi-space-size=16 …`): the work does not need them.
 */
export function startWorkerThread(file: string, workerData: unknown, resourceLimits?: ResourceLimits): Worker {
  // --input-type (from `node --input-type=module -e …`) would refuse a worker file; a thread refuses a semi-space size
  // (bin/young-generation.js gives one), which resourceLimits sets instead.
  const execArgv = process.execArgv.filter((flag) => !flag.startsWith('--input-type') && !/^--max[-_]semi[-_]space[-_]size\b/.test(flag));
  const limits = resourceLimits ? { resourceLimits } : {};
  try {
    return new Worker(file, { workerData, execArgv, ...limits });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw error;
    return new Worker(file, { workerData, execArgv: [], ...limits });
  }
}

/** How many batches a thread holds at once: the next one waits in its queue while it works, so it never idles on a round trip. */
const IN_FLIGHT = 2;

export class BatchPool<Job, Result> {
  readonly #workers: Worker[];
  readonly #label: string;
  readonly #file: string;
  readonly #workerData: unknown;
  readonly #queues: BatchQueue<Job, Result>[] = [];

  /**
   * @param label what the threads do, for a message when one stops (`hashing`, `render`).
   * @param workerData sent once to each thread (the render context), before any batch.
   */
  constructor(file: string, threads: number, label: string, workerData?: unknown) {
    this.#workers = Array.from({ length: threads }, () => startWorkerThread(file, workerData));
    this.#label = label;
    this.#file = file;
    this.#workerData = workerData;
  }

  /**
   * Grows the pool to `threads` threads (never shrinks it); the queues already open send their batches to the new
   * ones too. A pool can start small when it expects little work (a thread takes tens of milliseconds of CPU to
   * start) and grow once it learns otherwise.
   */
  growTo(threads: number): void {
    while (this.#workers.length < threads) {
      const worker = startWorkerThread(this.#file, this.#workerData);
      this.#workers.push(worker);
      for (const queue of this.#queues) queue.adopt(worker);
    }
  }

  get size(): number {
    return this.#workers.length;
  }

  /** The results of `jobs`, in their order; the first error a thread reports rejects it. */
  async runAll(jobs: readonly Job[], batchSize: number): Promise<Result[]> {
    const queue = this.queue({ maxJobs: batchSize });
    for (const job of jobs) queue.add(job);
    return queue.finish();
  }

  /** A queue fed job by job while the threads already work on the first batches (see BatchQueue). */
  queue(limits: BatchLimits<Job>, deliver?: (index: number, result: Result) => void): BatchQueue<Job, Result> {
    const queue = new BatchQueue(this.#workers, this.#label, limits, deliver);
    this.#queues.push(queue);
    return queue;
  }

  async close(): Promise<void> {
    await Promise.all(this.#workers.map((worker) => worker.terminate()));
  }
}

export interface BatchLimits<Job> {
  /** At most this many jobs a batch. */
  maxJobs: number;
  /** With `weightOf`: a batch closes once its jobs weigh this much (bytes to hash), so batches take similar times. */
  maxWeight?: number;
  weightOf?: (job: Job) => number;
  /** What of a job is sent to a thread (default: all of it); a string copies faster than an object. */
  wire?: (job: Job) => unknown;
}

/**
 * Jobs added one by one, sent in batches to whichever thread has room, results kept in the order of `add`.
 * `add(job, true)` puts a job ahead of the waiting ones: a long job (a large file) started last would leave the
 * other threads idle while it runs alone.
 */
export class BatchQueue<Job, Result> {
  readonly #workers: Worker[];
  readonly #label: string;
  readonly #limits: BatchLimits<Job>;
  readonly #results: Result[] = [];
  /** Indexes of the jobs not sent yet: urgent ones first. */
  readonly #urgent: number[] = [];
  readonly #waiting: number[] = [];
  /** Position of the next job of #waiting to send (shift() on a 100,000-long array moves all of it each time). */
  #waitingHead = 0;
  /** Jobs in #urgent (added so, or moved there by promote()), and how many of them #waiting still lists ahead of its head. */
  readonly #promoted = new Set<number>();
  #promotedAhead = 0;
  /** Summed weight of the jobs not sent yet. */
  #pendingWeight = 0;
  readonly #jobs: (Job | undefined)[] = [];
  /** Per thread, the indexes of each batch sent and not answered yet, oldest first (a thread answers in order). */
  readonly #sent: number[][][];
  readonly #settled: Promise<void>;
  #finishing = false;
  /** Settled: every result in, or failed. */
  #over = false;
  #failure: unknown;
  #settle: (error?: unknown) => void = () => {};

  readonly #deliver: ((index: number, result: Result) => void) | undefined;

  /**
   * @param deliver takes each result as it comes in (in any order; its index is the job's position in the order of
   *   add), instead of finish() keeping them all: the caller's own work on results then overlaps the hashing, and
   *   100,000 results are never all held. What it throws rejects finish().
   */
  constructor(workers: readonly Worker[], label: string, limits: BatchLimits<Job>, deliver?: (index: number, result: Result) => void) {
    this.#workers = [...workers];
    this.#label = label;
    this.#limits = limits;
    this.#deliver = deliver;
    this.#sent = workers.map(() => []);
    this.#settled = new Promise<void>((resolve, reject) => {
      this.#settle = (error) => {
        this.#over = true;
        if (error === undefined) resolve();
        else reject(error);
      };
    });
    this.#settled.catch(() => {}); // reported by finish()
    workers.forEach((worker, index) => this.#listen(worker, index));
  }

  /** Sends batches to one more thread (BatchPool.growTo). */
  adopt(worker: Worker): void {
    if (this.#over) return;
    this.#workers.push(worker);
    this.#sent.push([]);
    this.#listen(worker, this.#workers.length - 1);
    this.#dispatch();
  }

  /** Queues a job; its result will be at this position (the count of jobs added before it) in finish()'s array. */
  add(job: Job, urgent = false): void {
    const index = this.#jobs.length;
    this.#jobs.push(job);
    if (urgent) {
      this.#urgent.push(index);
      this.#promoted.add(index); // never in #waiting: not promoted again
    } else {
      this.#waiting.push(index);
    }
    this.#pendingWeight += this.#limits.weightOf?.(job) ?? 0;
    this.#dispatch();
  }

  /** Jobs added and not sent yet. */
  get backlog(): number {
    return this.#pending();
  }

  /** The job at `index` (its position in the order of add) if it is still waiting to be sent, and not urgent. */
  waiting(index: number): Job | undefined {
    return this.#promoted.has(index) ? undefined : this.#jobs[index];
  }

  /** The position of the next job to be sent in the order of add (urgent ones aside), or undefined when none waits. */
  get nextWaiting(): number | undefined {
    for (let at = this.#waitingHead; at < this.#waiting.length; at++) if (!this.#promoted.has(this.#waiting[at]!)) return this.#waiting[at];
    return undefined;
  }

  /**
   * Moves a job that is still waiting ahead of the others, as `add(job, true)` would have, once the caller learns it
   * is long; `job` replaces it (with its weight now known).
   */
  promote(index: number, job: Job): void {
    if (this.waiting(index) === undefined) return;
    const { weightOf } = this.#limits;
    this.#pendingWeight += (weightOf?.(job) ?? 0) - (weightOf?.(this.#jobs[index]!) ?? 0);
    this.#jobs[index] = job;
    this.#promoted.add(index);
    this.#promotedAhead += 1;
    this.#urgent.push(index);
    this.#dispatch();
  }

  /**
   * Takes the next batch of the jobs waiting (not the urgent ones: long jobs are for the threads) and handles it in
   * this thread, its results delivered as a thread's are; false when no job waits or the queue failed. So this thread
   * works beside the pool once it has nothing else to do, without an isolate of its own to start (on 2 cores: one
   * worker and this thread instead of two workers beside an idle one). The caller pauses between calls, so that the
   * threads' replies come in and their next batches go out.
   */
  runHere(handle: (job: Job) => Result): boolean {
    if (this.#over || this.#failure !== undefined) return false;
    const batch = this.#takeBatch(false);
    if (!batch || batch.length === 0) return false; // none, or only urgent ones
    try {
      for (const at of batch) {
        const result = handle(this.#jobs[at]!);
        this.#jobs[at] = undefined;
        this.#store(at, result);
      }
    } catch (error) {
      this.#fail(error);
      return false;
    }
    this.#dispatch();
    return true;
  }

  /** Every result, in the order the jobs were added (none with `deliver`), once all are in; the first error rejects it. */
  async finish(): Promise<Result[]> {
    this.#finishing = true;
    this.#dispatch();
    await this.#settled;
    return this.#results;
  }

  #listen(worker: Worker, index: number): void {
    const onExit = (code: number) => this.#fail(new Error(`a ${this.#label} thread stopped (exit code ${code})`));
    const onMessage = (reply: BatchReply<Result>) => {
      if ('error' in reply) {
        const { code, message, hint, exitCode } = reply.error;
        return this.#fail(code ? new FleuronError(code, message, { hint, exitCode }) : new Error(message));
      }
      const batch = this.#sent[index]!.shift()!;
      try {
        reply.results.forEach((result, at) => this.#store(batch[at]!, result));
      } catch (error) {
        return this.#fail(error);
      }
      this.#dispatch();
    };
    const onError = (error: unknown) => this.#fail(error);
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    this.#settled.finally(() => worker.off('message', onMessage).off('error', onError).off('exit', onExit)).catch(() => {});
  }

  /** A job's result, from a thread or from runHere: handed to `deliver` as it comes, or kept for finish(). */
  #store(index: number, result: Result): void {
    if (this.#deliver) this.#deliver(index, result);
    else this.#results[index] = result;
  }

  #fail(error: unknown): void {
    if (this.#failure !== undefined) return;
    this.#failure = error;
    this.#settle(error);
  }

  /** Sends full batches to threads with room; partial ones only once no more jobs are coming. */
  #dispatch(): void {
    if (this.#failure !== undefined) return;
    for (let index = 0; index < this.#workers.length; index++) {
      while (this.#sent[index]!.length < IN_FLIGHT) {
        const batch = this.#takeBatch();
        if (!batch) break;
        this.#sent[index]!.push(batch);
        const { wire } = this.#limits;
        this.#workers[index]!.postMessage(batch.map((at) => (wire ? wire(this.#jobs[at]!) : this.#jobs[at])));
        for (const at of batch) this.#jobs[at] = undefined; // sent: the thread has its own copy
      }
    }
    if (this.#finishing && this.#pending() === 0 && this.#sent.every((batches) => batches.length === 0)) this.#settle();
  }

  #pending(): number {
    return this.#urgent.length + this.#waiting.length - this.#waitingHead - this.#promotedAhead;
  }

  /** The next job to send: urgent ones first (unless `urgentToo` is false), then the waiting ones in order (skipping those promoted). */
  #next(urgentToo = true): number | undefined {
    if (urgentToo && this.#urgent.length > 0) return this.#urgent.shift();
    while (this.#waitingHead < this.#waiting.length) {
      const next = this.#waiting[this.#waitingHead++]!;
      if (!this.#promoted.has(next)) return next;
      this.#promotedAhead -= 1;
    }
    return undefined;
  }

  /**
   * The next batch to send, or undefined when the waiting jobs do not fill one and more may come. Without
   * `urgentToo`, a batch of the waiting jobs alone (for runHere).
   */
  #takeBatch(urgentToo = true): number[] | undefined {
    const { maxJobs, maxWeight = Infinity, weightOf } = this.#limits;
    const pending = this.#pending();
    const full = pending >= maxJobs || this.#pendingWeight >= maxWeight || this.#urgent.length > 0;
    if (pending === 0 || (!this.#finishing && !full)) return undefined;
    const batch: number[] = [];
    let weight = 0;
    while (batch.length < maxJobs && weight < maxWeight) {
      const next = this.#next(urgentToo);
      if (next === undefined) break;
      batch.push(next);
      weight += weightOf?.(this.#jobs[next]!) ?? 0;
    }
    this.#pendingWeight -= weight;
    return batch;
  }
}
