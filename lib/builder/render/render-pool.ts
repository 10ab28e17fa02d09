/**
 * Renders pages across the CPU's cores with worker threads, or in this thread for small builds and when running from
 * TypeScript sources.
 *
 * Not on lib/workers/batch-pool.ts (the publisher's hashing pool), on purpose: a page has its own time limit, so the
 * worker answers page by page and a worker past the limit is stopped mid-batch, where BatchPool answers per batch
 * and has no deadline; a worker prepares its render context before it says it is ready, and the preview's session
 * sends a kept worker the next build's context, where BatchPool sends its data once, at start. Giving BatchPool all
 * that would change the worker protocol hashing uses, for no gain to hashing.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import { Worker } from 'node:worker_threads';
import { FleuronError, type ExitCode } from '../../errors/fleuron-error.js';
import { compiledWorker, startWorkerThread } from '../../workers/batch-pool.js';
import { prepareSite, type PageJob, type RenderContext } from './render-context.js';
import { renderPage, type RenderedPage } from './render-page.js';

/** Below this many pages, starting workers (each loads micromark and liquidjs) costs more than it saves. */
export const MIN_JOBS_FOR_WORKERS = 200;
const BATCH_SIZE = 50;

/** The compiled worker, when this module runs from `dist/` or the bundle (under Jest the sources are `.ts`: no worker). */
const workerFile = () => compiledWorker(new URL('./render-worker.js', import.meta.url));

export interface RenderPoolOptions {
  /**
   * Number of worker threads: 0 renders in this thread, 1 in this thread and one worker beside it, more in that many
   * workers while this thread waits. Defaults to one less than the available parallelism; on 2 cores, to one worker
   * beside this thread unless other work already keeps the CPUs busy (see defaultThreads).
   */
  threads?: number;
  /**
   * Render in a worker thread however few the pages, so that this thread stays free (the preview server answers
   * requests meanwhile) and the page time limit holds.
   */
  isolate?: boolean;
}

/**
 * One worker only replaces this thread, and pays for it (loading the modules, warming the JIT, copying the
 * context and the results): measured on 2 cores, 4,000 pages took 6.9 s in this thread and 9.4 s in 2 workers.
 * Two workers on 2 cores (this thread waiting) measured again for the cold build (#13, shared machine): CPU 5.9 → 8.3 s
 * (simple corpus) and 10.9 → 13.5 s (rich), peak RSS 210 → 300 MB and 245 → 320–340 MB, wall no better.
 * So worker pools start from 3 cores, leaving one for this thread and the system. On 2 cores this thread renders
 * with one worker beside it (renderHereAndInWorker): the rich corpus's cold build 8.3 → 6.8 s on the lightly loaded
 * machine, for 1–2.5 s more CPU; with other work waiting for the CPUs (load 6–10 on the 2 cores) it was slower than
 * this thread alone (rich 10.4–16.3 → 12.4–21.9 s, CPU +15–45 %). So the worker is started only when Linux's
 * CPU pressure says no task waited for a CPU in the last 10 s more than `MAX_CPU_PRESSURE` % of the time.
 * Where its extra CPU goes (README, "Cold builds"): a second heap and JIT add 1–2.5 s to V8's helper threads, and pages
 * cost up to 40 % more in both threads when the machine has other work, as they do in two separate build processes;
 * its start-up is ~0.2 s.
 */
export function defaultThreads(cores = availableParallelism(), cpuPressure: number | null = lastCpuPressure()): number {
  if (cores === 2) return cpuPressure !== null && cpuPressure > MAX_CPU_PRESSURE ? 0 : 1;
  return Math.max(0, cores - 1);
}

/** Percent of the last 10 s in which some task waited for a CPU, above which a second core is taken as busy. */
export const MAX_CPU_PRESSURE = 10;

/** Linux's `some avg10` CPU pressure (percent), or null where the system does not report it. */
function lastCpuPressure(): number | null {
  try {
    const match = /^some avg10=([\d.]+)/m.exec(readFileSync('/proc/pressure/cpu', 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** Results come back in the order of `jobs`, with the number of worker threads used (0: this thread). */
export async function renderPages(jobs: readonly PageJob[], context: RenderContext, options: RenderPoolOptions = {}): Promise<{ pages: RenderedPage[]; workers: number }> {
  const threads = Math.min(options.threads ?? defaultThreads(), Math.ceil(jobs.length / BATCH_SIZE));
  const file = workerFile();
  // Pages render in milliseconds; one that takes seconds is pathological (markdown.pageTimeLimitSeconds, default 10).
  const timeLimitMs = context.config.markdown.pageTimeLimitSeconds * 1000;
  if (file !== undefined && options.isolate && (threads < 2 || jobs.length < MIN_JOBS_FOR_WORKERS)) {
    return { pages: await renderInWorkers(file, jobs, context, 1, timeLimitMs), workers: 1 };
  }
  if (file === undefined || threads === 0 || jobs.length < MIN_JOBS_FOR_WORKERS) {
    const site = prepareSite(context);
    return { pages: jobs.map((job) => renderPage(job, site)), workers: 0 };
  }
  if (threads === 1) return { pages: await renderHereAndInWorker(file, jobs, context, timeLimitMs), workers: 1 };
  return { pages: await renderInWorkers(file, jobs, context, threads, timeLimitMs), workers: threads };
}

async function renderInWorkers(file: string, jobs: readonly PageJob[], context: RenderContext, threads: number, timeLimitMs: number): Promise<RenderedPage[]> {
  const queue: JobQueue = { jobs, next: 0, results: new Array(jobs.length) };
  const workers = Array.from({ length: threads }, () => startWorker(file, context));
  try {
    await Promise.all(workers.map((worker) => drive(worker, queue, context, timeLimitMs)));
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return queue.results;
}

/** How many pages this thread renders before it lets the worker's results in and sends the worker its next batch. */
const PAGES_BETWEEN_TURNS = 4;

/**
 * Renders on both cores of a 2-core machine without a third isolate: this thread and one worker take batches from
 * the same queue. This thread starts at once (the worker loads meanwhile) and hands over to the event loop every few
 * pages, so the worker's results come in and its next batch goes out while this thread renders. Pages rendered here
 * have no time limit, as in a build on one thread.
 */
async function renderHereAndInWorker(file: string, jobs: readonly PageJob[], context: RenderContext, timeLimitMs: number): Promise<RenderedPage[]> {
  const queue: JobQueue = { jobs, next: 0, results: new Array(jobs.length) };
  const worker = startWorker(file, context);
  let workerFailure: { error: unknown } | undefined;
  const workerDone = drive(worker, queue, context, timeLimitMs).catch((error: unknown) => {
    workerFailure = { error };
  });
  try {
    const site = prepareSite(context);
    while (queue.next < jobs.length && !workerFailure) {
      const start = queue.next;
      const end = (queue.next = Math.min(jobs.length, start + PAGES_BETWEEN_TURNS));
      for (let index = start; index < end; index++) queue.results[index] = renderPage(jobs[index]!, site);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await workerDone;
    if (workerFailure) throw workerFailure.error;
  } finally {
    await worker.terminate();
  }
  return queue.results;
}

/**
 * One render worker kept from build to build (the preview's): micromark and liquidjs stay loaded and warm, where a
 * new worker per rebuild pays for loading them again. Each build sends its context first, unless the worker holds an
 * equal one already. A worker that failed or ran past the time limit is dropped, and the next build starts a new one.
 */
export class RenderWorkerSession {
  private worker: Worker | undefined;
  /** The context the worker holds (prepared), as it was sent. */
  private sent: RenderContext | undefined;
  /** Contexts the worker was given (at its start, then each one that differed from the last): how often it prepared one. */
  contextsSent = 0;

  async render(jobs: readonly PageJob[], context: RenderContext): Promise<RenderedPage[]> {
    const file = workerFile();
    if (file === undefined) {
      const site = prepareSite(context);
      return jobs.map((job) => renderPage(job, site));
    }
    const fresh = this.worker === undefined;
    const worker = (this.worker ??= startWorker(file, context));
    // After a body edit the site's context is the one the worker holds: copying 4,000 page summaries to it and
    // preparing them (and its layout engine) again took 10–40 ms of bench:preview's ~100 ms edit → visible, against
    // 2–3 ms to render the page on the worker as prepared; comparing the two contexts takes ~2 ms.
    const prepared = !fresh && this.sent !== undefined && isDeepStrictEqual(this.sent, context);
    if (!fresh && !prepared) worker.postMessage({ context });
    if (!prepared) this.contextsSent += 1;
    this.sent = context;
    const queue: JobQueue = { jobs, next: 0, results: new Array(jobs.length) };
    try {
      await drive(worker, queue, context, context.config.markdown.pageTimeLimitSeconds * 1000, prepared);
    } catch (error) {
      this.worker = undefined;
      this.sent = undefined;
      await worker.terminate();
      throw error;
    }
    return queue.results;
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.sent = undefined;
    await worker?.terminate();
  }
}

/** The pages still to render, shared by the workers of one build, and their results in the order of the jobs. */
interface JobQueue {
  jobs: readonly PageJob[];
  next: number;
  results: RenderedPage[];
}

/**
 * A render worker's young generation, capped near Node 20's default (16 MB semi-spaces): Node 24's grows to 64 MB
 * ones (measured, rich corpus on Node 24: the cold build's peak RSS 468 → 393 MB with the cap).
 */
const RENDER_WORKER_LIMITS = { maxYoungGenerationSizeMb: 48 };

function startWorker(file: string, context: RenderContext): Worker {
  return startWorkerThread(file, { context }, RENDER_WORKER_LIMITS);
}

type WorkerMessage = { ready?: true; result?: RenderedPage; error?: { code?: string; message: string; hint?: string; exitCode?: ExitCode } };

/**
 * Feeds batches of the queue to one worker once it says it is ready (its context prepared; `ready`: it holds this
 * context already, and said so at an earlier build), until the queue is empty. Each page has the time limit from
 * when the one before it was done; past it the worker is stopped.
 */
function drive(worker: Worker, queue: JobQueue, context: RenderContext, timeLimitMs: number, ready = false): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const { jobs, results } = queue;
    let batchEnd = 0;
    let current = 0;
    let timer: NodeJS.Timeout | undefined;
    const settle = (error?: unknown) => {
      clearTimeout(timer);
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      if (error === undefined) resolve();
      else reject(error);
    };
    const startClock = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        const job = jobs[current]!;
        settle(pageTooSlow(`${context.sourceLabel}/${job.sourcePath || job.outputPath}`, timeLimitMs));
        void worker.terminate();
      }, timeLimitMs);
    };
    const sendNext = () => {
      if (queue.next >= jobs.length) {
        settle();
        return;
      }
      current = queue.next;
      batchEnd = queue.next = Math.min(jobs.length, queue.next + BATCH_SIZE);
      startClock();
      worker.postMessage(jobs.slice(current, batchEnd));
    };
    const onMessage = (message: WorkerMessage) => {
      if (message.ready) {
        sendNext();
        return;
      }
      if (message.error) {
        const { code, message: text, hint, exitCode } = message.error;
        settle(code ? new FleuronError(code, text, { hint, exitCode }) : new Error(text));
        return;
      }
      results[current] = withBuffer(message.result!);
      current += 1;
      if (current < batchEnd) startClock();
      else sendNext();
    };
    const onError = (error: Error) => settle(error);
    const onExit = (code: number) => settle(new Error(`a render worker stopped with exit code ${code}`));
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    if (ready) sendNext();
  });
}

/** A page from a worker: its bytes arrive as a plain Uint8Array, viewed again as the Buffer the builder expects (no copy). */
function withBuffer(page: RenderedPage): RenderedPage {
  const bytes = page.html as Uint8Array;
  return { ...page, html: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}

function pageTooSlow(pageFile: string, timeLimitMs: number): FleuronError {
  return new FleuronError('page-time-limit', `${pageFile}: rendering took more than ${timeLimitMs / 1000} s, the limit for one page; the page was not built`, {
    hint: 'simplify the page or its layout (deep nesting, huge tables, long loops), or raise markdown.pageTimeLimitSeconds in fleuron.yaml',
  });
}
