/** Worker thread of file-hasher.ts: hashes batches of files and posts the results back in order, as text lines. */
import { serveBatches } from '../workers/batch-worker.js';
import { hashJob, resultText } from './file-hasher.js';

serveBatches(async (job: Parameters<typeof hashJob>[0]) => resultText(await hashJob(job)));
