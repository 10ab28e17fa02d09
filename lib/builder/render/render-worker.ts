/** Worker thread entry: prepares the site, then renders the batches of pages it is sent; a new context (the preview's next build) is prepared again. */
import { parentPort, workerData } from 'node:worker_threads';
import { isFleuronError } from '../../errors/fleuron-error.js';
import { prepareSite, type PageJob, type RenderContext } from './render-context.js';
import { renderPage } from './render-page.js';

let site = prepareSite((workerData as { context: RenderContext }).context);
// Loaded and prepared: the pool starts timing pages from here, not from the worker's start-up.
parentPort!.postMessage({ ready: true });

// One message per page: the pool times each page from the one before it.
parentPort!.on('message', (message: PageJob[] | { context: RenderContext }) => {
  if (!Array.isArray(message)) {
    site = prepareSite(message.context);
    parentPort!.postMessage({ ready: true });
    return;
  }
  const jobs = message;
  try {
    for (const job of jobs) {
      const result = renderPage(job, site);
      // The page's bytes are handed over, not copied (render-page.ts gives each page a buffer of its own).
      parentPort!.postMessage({ result }, [result.html.buffer as ArrayBuffer]);
    }
  } catch (error) {
    const failure = isFleuronError(error)
      ? { code: error.code, message: error.message, hint: error.hint, exitCode: error.exitCode }
      : { message: error instanceof Error ? error.message : String(error) };
    parentPort!.postMessage({ error: failure });
  }
});
