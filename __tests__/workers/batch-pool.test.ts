import { spawnSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BatchPool } from '../../lib/workers/batch-pool.js';

/**
 * A worker speaking batch-worker.ts's protocol, in plain JavaScript (Jest runs the TypeScript sources, which a
 * worker thread cannot load): answers each job with its value and the size of the batch it came in.
 */
const WORKER = `
import { parentPort, threadId } from 'node:worker_threads';
let order = 0;
parentPort.on('message', (jobs) => {
  if (jobs.some((job) => job.fail)) return parentPort.postMessage({ error: { code: 'unreadable-file', message: 'cannot read ' + jobs.find((job) => job.fail).value } });
  if (jobs.some((job) => job.exit)) process.exit(3);
  const start = Date.now();
  while (Date.now() - start < (jobs[0].busyMs ?? 0));
  parentPort.postMessage({ results: jobs.map((job) => ({ value: job.value, batch: jobs.length, thread: threadId, order: order++ })) });
});
`;

interface Job {
  value: number;
  weight?: number;
  busyMs?: number;
  fail?: boolean;
  exit?: boolean;
}
interface Result {
  value: number;
  batch: number;
  thread: number;
  /** The how-manieth job its thread handled. */
  order: number;
}

let workerFile: string;
beforeAll(async () => {
  workerFile = path.join(await mkdtemp(path.join(os.tmpdir(), 'batch-pool-')), 'worker.mjs');
  await writeFile(workerFile, WORKER);
});

async function withPool<T>(threads: number, use: (pool: BatchPool<Job, Result>) => Promise<T>): Promise<T> {
  const pool = new BatchPool<Job, Result>(workerFile, threads, 'test');
  try {
    return await use(pool);
  } finally {
    await pool.close();
  }
}

test('results come back in the order jobs were added, urgent ones included, across threads and a partial last batch', async () => {
  const results = await withPool(2, async (pool) => {
    const queue = pool.queue({ maxJobs: 4 });
    for (let value = 0; value < 103; value++) queue.add({ value, busyMs: value % 10 === 0 ? 5 : 0 }, value % 17 === 0);
    return queue.finish();
  });
  expect(results.map((result) => result.value)).toEqual(Array.from({ length: 103 }, (_, value) => value));
  expect(Math.max(...results.map((result) => result.batch))).toBe(4);
  expect(new Set(results.map((result) => result.thread)).size).toBe(2);
});

test('a batch closes at its weight limit, and an urgent job is sent ahead of the waiting ones', async () => {
  const results = await withPool(1, async (pool) => {
    const queue = pool.queue({ maxJobs: 64, maxWeight: 100, weightOf: (job: Job) => job.weight ?? 0 });
    for (let value = 0; value < 10; value++) queue.add({ value, weight: 30 });
    queue.add({ value: 10, weight: 1000 }, true);
    return queue.finish();
  });
  // 30 + 30 + 30 + 30 ≥ 100: four jobs a batch; the heavy urgent job went alone, before the last waiting ones.
  expect(results.slice(0, 4).map((result) => result.batch)).toEqual([4, 4, 4, 4]);
  expect(results[10]).toMatchObject({ value: 10, batch: 1 });
});

test('a job promoted while waiting is sent next, with its new weight; one already sent or urgent is left alone', async () => {
  const results = await withPool(1, async (pool) => {
    const queue = pool.queue({ maxJobs: 2, maxWeight: 100, weightOf: (job: Job) => job.weight ?? 0 });
    for (let value = 0; value < 10; value++) queue.add({ value, weight: 10 }, value === 5);
    expect(queue.waiting(0)).toBeUndefined(); // sent at once: the thread has room for two batches
    expect(queue.waiting(5)).toBeUndefined(); // urgent already
    expect(queue.waiting(8)).toEqual({ value: 8, weight: 10 });
    queue.promote(8, { value: 8, weight: 500 });
    queue.promote(0, { value: 0, weight: 500 });
    queue.promote(5, { value: 5, weight: 500 });
    return queue.finish();
  });
  const order = results.map((result) => result.value).sort((a, b) => results[a]!.order - results[b]!.order);
  expect(order).toEqual([0, 1, 2, 3, 5, 8, 4, 6, 7, 9]);
  expect(results[8]!.batch).toBe(2); // with the urgent 5: its new weight closed the batch (500 ≥ 100)
  expect(results[4]!.batch).toBe(2);
});

test('runAll keeps its contract: every result in order', async () => {
  const results = await withPool(2, (pool) => pool.runAll(Array.from({ length: 50 }, (_, value) => ({ value })), 8));
  expect(results.map((result) => result.value)).toEqual(Array.from({ length: 50 }, (_, value) => value));
});

test('an error a thread reports rejects finish() with that error; a thread that stops rejects it too', async () => {
  await withPool(2, async (pool) => {
    const queue = pool.queue({ maxJobs: 2 });
    for (let value = 0; value < 10; value++) queue.add({ value, fail: value === 7 });
    await expect(queue.finish()).rejects.toMatchObject({ code: 'unreadable-file', message: 'cannot read 7' });
  });
  await withPool(1, async (pool) => {
    const queue = pool.queue({ maxJobs: 2 });
    for (let value = 0; value < 4; value++) queue.add({ value, exit: value === 3 });
    await expect(queue.finish()).rejects.toThrow('a test thread stopped (exit code 3)');
  });
});

test('an empty queue finishes at once', async () => {
  await expect(withPool(1, (pool) => pool.queue({ maxJobs: 8 }).finish())).resolves.toEqual([]);
});

test('a Node flag that worker threads refuse (node --trace-gc fleuron …) does not stop the pool: its threads start without the flags', () => {
  // Through the build in dist/ (as the CLI tests): Node refuses such a flag only when a thread is created with it.
  const pool = pathToFileURL(fileURLToPath(new URL('../../dist/workers/batch-pool.js', import.meta.url))).href;
  const script = `
    const { BatchPool } = await import(${JSON.stringify(pool)});
    const pool = new BatchPool(${JSON.stringify(workerFile)}, 1, 'test');
    const results = await pool.runAll([{ value: 1 }, { value: 2 }], 8);
    await pool.close();
    console.log(JSON.stringify(results.map((result) => result.value)));
  `;
  const child = spawnSync(process.execPath, ['--trace-gc', '--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(child.stderr).toBe('');
  expect(child.status).toBe(0);
  expect(child.stdout.trim().split('\n').at(-1)).toBe('[1,2]');
});

test('a pool grown while a queue runs sends that queue\'s batches to the new threads too, results still in order', async () => {
  const results = await withPool(1, async (pool) => {
    const queue = pool.queue({ maxJobs: 2 });
    for (let value = 0; value < 40; value++) queue.add({ value, busyMs: 3 });
    pool.growTo(3);
    expect(pool.size).toBe(3);
    for (let value = 40; value < 80; value++) queue.add({ value, busyMs: 3 });
    return queue.finish();
  });
  expect(results.map((result) => result.value)).toEqual(Array.from({ length: 80 }, (_, value) => value));
  expect(new Set(results.map((result) => result.thread)).size).toBe(3);
});

test('this thread takes batches beside the pool (runHere): waiting jobs only, never an urgent one, results in order, the queue settles when this thread did the last batch', async () => {
  const { results, here } = await withPool(1, async (pool) => {
    const queue = pool.queue({ maxJobs: 4 });
    for (let value = 0; value < 60; value++) queue.add({ value, busyMs: 2 }, value % 20 === 0);
    const finished = queue.finish();
    const here: number[] = [];
    while (queue.runHere((job) => (here.push(job.value), { value: job.value, batch: 0, thread: -1, order: -1 }))) {
      await new Promise((resolve) => setImmediate(resolve)); // the thread's replies in, its next batch out
    }
    expect(queue.runHere(() => ({ value: -1, batch: 0, thread: -1, order: -1 }))).toBe(false);
    return { results: await finished, here };
  });
  expect(results.map((result) => result.value)).toEqual(Array.from({ length: 60 }, (_, value) => value));
  expect(here.length).toBeGreaterThan(0);
  expect(here.filter((value) => value % 20 === 0)).toEqual([]);
  expect(results.filter((result) => result.thread === -1).map((result) => result.value)).toEqual(here);
  // The thread did some too: it started with two batches.
  expect(results.some((result) => result.thread !== -1)).toBe(true);
});

test('a job that fails in this thread (runHere) rejects finish() with its error', async () => {
  await withPool(1, async (pool) => {
    const queue = pool.queue({ maxJobs: 2 });
    for (let value = 0; value < 20; value++) queue.add({ value, busyMs: 5 });
    const finished = queue.finish();
    finished.catch(() => {});
    let calls = 0;
    const fails = (job: Job) => {
      if (job.value >= 4) throw new Error(`cannot hash ${job.value}`);
      return { value: job.value, batch: 0, thread: -1, order: -1 };
    };
    while (queue.runHere(fails)) calls += 1;
    expect(calls).toBeLessThan(10); // stopped at the failure, not after every job
    expect(queue.runHere(fails)).toBe(false); // failed: takes nothing more
    await expect(finished).rejects.toThrow(/^cannot hash \d+$/);
  });
});

test('a result refused by deliver in this thread (runHere: an unreadable file) rejects finish() with that error', async () => {
  await withPool(1, async (pool) => {
    const refuse = (index: number) => {
      if (index === 9) throw new Error('cannot read 9');
    };
    const queue = pool.queue({ maxJobs: 2 }, refuse);
    for (let value = 0; value < 12; value++) queue.add({ value, busyMs: 20 });
    const finished = queue.finish();
    finished.catch(() => {});
    while (queue.runHere((job) => ({ value: job.value, batch: 0, thread: -1, order: -1 }))) await new Promise((resolve) => setImmediate(resolve));
    await expect(finished).rejects.toThrow('cannot read 9');
  });
});
