/** The worker side of batch-pool.ts: answers each batch of jobs with its results, or with the error that stopped it. */
import { parentPort } from 'node:worker_threads';
import { isFleuronError, type ExitCode } from '../errors/fleuron-error.js';

export type BatchReply<Result> = { results: Result[] } | { error: { code?: string; message: string; hint?: string; exitCode?: ExitCode } };

/** Runs in a worker thread: `handle` each job of every batch the pool sends, in order. */
export function serveBatches<Job, Result>(handle: (job: Job) => Result | Promise<Result>): void {
  parentPort!.on('message', async (jobs: Job[]) => {
    let reply: BatchReply<Result>;
    try {
      const results: Result[] = [];
      for (const job of jobs) results.push(await handle(job));
      reply = { results };
    } catch (error) {
      reply = {
        error: isFleuronError(error)
          ? { code: error.code, message: error.message, hint: error.hint, exitCode: error.exitCode }
          : { message: error instanceof Error ? error.message : String(error) },
      };
    }
    parentPort!.postMessage(reply);
  });
}
