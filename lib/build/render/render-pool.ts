/** Renders pages across the CPU's cores with worker threads, or in this thread for small builds and when running from TypeScript sources. */
import { availableParallelism } from 'node:os';
import { BatchPool, compiledWorker } from '../../workers/batch-pool.js';
import { prepareSite, type PageJob, type RenderContext } from './render-context.js';
import { renderPage, type RenderedPage } from './render-page.js';

/** Below this many pages, starting workers (each loads micromark and liquidjs) costs more than it saves. */
export const MIN_JOBS_FOR_WORKERS = 200;
const BATCH_SIZE = 50;

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
  const file = compiledWorker(new URL('./render-worker.js', import.meta.url));
  if (file === undefined || threads < 2 || jobs.length < MIN_JOBS_FOR_WORKERS) {
    const site = prepareSite(context);
    return { pages: jobs.map((job) => renderPage(job, site)), workers: 0 };
  }
  return { pages: await renderInWorkers(file, jobs, context, threads), workers: threads };
}

async function renderInWorkers(file: string, jobs: readonly PageJob[], context: RenderContext, threads: number): Promise<RenderedPage[]> {
  const pool = new BatchPool<PageJob, RenderedPage>(file, threads, 'render', { context });
  try {
    return await pool.runAll(jobs, BATCH_SIZE);
  } finally {
    await pool.close();
  }
}
