/** Renders pages across the CPU's cores with worker threads, or in this thread for small builds and when running from TypeScript sources. */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { FleuronError, type ExitCode } from '../../errors/fleuron-error.js';
import { prepareSite, type PageJob, type RenderContext } from './render-context.js';
import { renderPage, type RenderedPage } from './render-page.js';

/** Below this many pages, starting workers (each loads micromark and liquidjs) costs more than it saves. */
export const MIN_JOBS_FOR_WORKERS = 200;
const BATCH_SIZE = 50;

/** The compiled worker, when this module runs from `dist/` (under Jest the sources are `.ts`: no worker). */
function workerFile(): string | undefined {
  if (!import.meta.url.endsWith('.js')) return undefined;
  const file = fileURLToPath(new URL('./render-worker.js', import.meta.url));
  return existsSync(file) ? file : undefined;
}

export interface RenderPoolOptions {
  /** Number of worker threads; defaults to one less than the available parallelism. 0 or 1 renders in this thread. */
  threads?: number;
}

/**
 * One worker only replaces this thread, and pays for it (loading the modules, warming the JIT, copying the
 * context and the results): measured on 2 cores, 4,000 pages took 6.9 s in this thread and 9.4 s in 2 workers.
 * So workers start from 3 cores, leaving one for this thread and the system.
 */
export function defaultThreads(): number {
  return Math.max(1, availableParallelism() - 1);
}

/** Results come back in the order of `jobs`, with the number of worker threads used (0: this thread). */
export async function renderPages(jobs: readonly PageJob[], context: RenderContext, options: RenderPoolOptions = {}): Promise<{ pages: RenderedPage[]; workers: number }> {
  const threads = Math.min(options.threads ?? defaultThreads(), Math.ceil(jobs.length / BATCH_SIZE));
  const file = workerFile();
  if (file === undefined || threads < 2 || jobs.length < MIN_JOBS_FOR_WORKERS) {
    const site = prepareSite(context);
    return { pages: jobs.map((job) => renderPage(job, site)), workers: 0 };
  }
  return { pages: await renderInWorkers(file, jobs, context, threads), workers: threads };
}

async function renderInWorkers(file: string, jobs: readonly PageJob[], context: RenderContext, threads: number): Promise<RenderedPage[]> {
  const results: RenderedPage[] = new Array(jobs.length);
  let next = 0;
  const workers: Worker[] = [];
  try {
    await Promise.all(
      Array.from({ length: threads }, () =>
        new Promise<void>((resolve, reject) => {
          // Workers inherit Node's flags; --input-type (from `node --input-type=module -e …`) would refuse a worker file.
          const execArgv = process.execArgv.filter((flag) => !flag.startsWith('--input-type'));
          const worker = new Worker(file, { workerData: { context }, execArgv });
          workers.push(worker);
          let batchStart = 0;
          const sendNext = () => {
            if (next >= jobs.length) {
              resolve();
              return;
            }
            batchStart = next;
            next = Math.min(jobs.length, next + BATCH_SIZE);
            worker.postMessage(jobs.slice(batchStart, next));
          };
          worker.on('message', (message: { results?: RenderedPage[]; error?: { code?: string; message: string; hint?: string; exitCode?: ExitCode } }) => {
            if (message.error) {
              const { code, message: text, hint, exitCode } = message.error;
              reject(code ? new FleuronError(code, text, { hint, exitCode }) : new Error(text));
              return;
            }
            message.results!.forEach((result, index) => (results[batchStart + index] = result));
            sendNext();
          });
          worker.on('error', reject);
          worker.on('exit', (code) => {
            if (code !== 0) reject(new Error(`a render worker stopped with exit code ${code}`));
          });
          sendNext();
        }),
      ),
    );
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return results;
}
