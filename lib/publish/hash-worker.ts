/** Worker thread of file-hasher.ts: hashes batches of files and posts the results back in order, as text lines. */
import { serveBatches } from '../workers/batch-worker.js';
import { hashJob, parseJobText, resultText } from './file-hasher.js';

serveBatches((job: string) => resultText(hashJob(parseJobText(job))));
