/** Worker thread of file-hasher.ts: hashes batches of files and posts the results back in order. */
import { parentPort } from 'node:worker_threads';
import { hashJob, type HashJob } from './file-hasher.js';

parentPort!.on('message', async (jobs: HashJob[]) => {
  const results = [];
  for (const job of jobs) results.push(await hashJob(job));
  parentPort!.postMessage(results);
});
