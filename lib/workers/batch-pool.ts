/**
 * A pool of worker threads fed batches of jobs, results back in the jobs' order: the builder renders pages and
 * the publisher hashes files with it. Batches, not single jobs, because a message costs more than a small job.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
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

export class BatchPool<Job, Result> {
  readonly #workers: Worker[];
  readonly #label: string;

  /**
   * @param label what the threads do, for a message when one stops (`hashing`, `render`).
   * @param workerData sent once to each thread (the render context), before any batch.
   */
  constructor(file: string, threads: number, label: string, workerData?: unknown) {
    // Workers inherit Node's flags; --input-type (from `node --input-type=module -e …`) would refuse a worker file.
    const execArgv = process.execArgv.filter((flag) => !flag.startsWith('--input-type'));
    this.#workers = Array.from({ length: threads }, () => new Worker(file, { workerData, execArgv }));
    this.#label = label;
  }

  get size(): number {
    return this.#workers.length;
  }

  /** The results of `jobs`, in their order; the first error a thread reports rejects it. */
  async runAll(jobs: readonly Job[], batchSize: number): Promise<Result[]> {
    const results: Result[] = new Array(jobs.length);
    let next = 0;
    await Promise.all(
      this.#workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            let start = 0;
            const onExit = (code: number) => reject(new Error(`a ${this.#label} thread stopped (exit code ${code})`));
            const done = (error?: unknown) => {
              worker.off('message', onMessage).off('error', done).off('exit', onExit);
              if (error === undefined) resolve();
              else reject(error);
            };
            const sendNext = () => {
              if (next >= jobs.length) return done();
              start = next;
              next = Math.min(jobs.length, next + batchSize);
              worker.postMessage(jobs.slice(start, next));
            };
            const onMessage = (reply: BatchReply<Result>) => {
              if ('error' in reply) {
                const { code, message, hint, exitCode } = reply.error;
                return done(code ? new FleuronError(code, message, { hint, exitCode }) : new Error(message));
              }
              reply.results.forEach((result, index) => (results[start + index] = result));
              sendNext();
            };
            worker.on('message', onMessage).on('error', done).on('exit', onExit);
            sendNext();
          }),
      ),
    );
    return results;
  }

  async close(): Promise<void> {
    await Promise.all(this.#workers.map((worker) => worker.terminate()));
  }
}
