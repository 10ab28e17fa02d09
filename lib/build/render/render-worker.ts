/** Worker thread entry: prepares the site once, then renders the batches of pages it is sent. */
import { workerData } from 'node:worker_threads';
import { serveBatches } from '../../workers/batch-worker.js';
import { prepareSite, type PageJob, type RenderContext } from './render-context.js';
import { renderPage } from './render-page.js';

const site = prepareSite((workerData as { context: RenderContext }).context);

serveBatches((job: PageJob) => renderPage(job, site));
