/** Pure: what the status page says while a publish runs, updated from the publish's own events. */
import type { PublishEvent } from '../../publish/publish.js';
import type { JobProgress } from './page-html.js';

const PHASE_STEPS: Record<string, string> = {
  uploads: 'uploading new and changed files',
  pages: 'uploading pages',
  headers: 'updating headers',
  manifest: 'writing the manifest',
  deletes: 'deleting what the site no longer has',
};

/** Keeps the status page's numbers up to date from the publish's own events. */
export function follow(progress: JobProgress, event: PublishEvent): void {
  switch (event.type) {
    case 'scanned-local':
      progress.step = `read ${event.files} files; listing the bucket`;
      break;
    case 'scanned-remote':
      progress.step = 'planning';
      break;
    case 'planned':
      progress.total = event.plan.uploads.length + event.plan.headerUpdates.length + event.plan.deletes.length;
      progress.bytesTotal = event.plan.uploads.reduce((sum, action) => sum + action.file.size, 0);
      progress.step = 'publishing';
      break;
    case 'phase':
      progress.step = PHASE_STEPS[event.phase] ?? event.phase;
      break;
    case 'action-done':
      progress.done += 1;
      progress.bytesDone += event.bytes;
      break;
  }
}
