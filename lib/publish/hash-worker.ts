/** Worker thread of file-hasher.ts: hashes batches of files and posts the results back in order. */
import { serveBatches } from '../workers/batch-worker.js';
import { hashJob } from './file-hasher.js';

serveBatches(hashJob);
