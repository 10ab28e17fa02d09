/** What `fleuron publish` prints: a progress bar on a terminal, a few plain lines in CI, the summary, the plan. */
import cliProgress from 'cli-progress';
import type { PublishEvent, PublishSummary } from '../publish/publish.js';
import type { Action, Plan } from '../publish/types.js';
import { formatBytes, formatDuration, plural, printable } from './format.js';
import { redact } from './redact.js';

export interface Reporter {
  onEvent(event: PublishEvent): void;
  stop(): void;
}

type Write = (line: string) => void;

/** Progress to stderr: a bar (files and bytes) on a TTY, else one line per phase. Silent when `quiet`. */
export function createReporter(options: { tty: boolean; quiet: boolean; write: Write }): Reporter {
  if (options.quiet) return { onEvent: () => {}, stop: () => {} };
  let bar: cliProgress.SingleBar | undefined;
  let bytesDone = 0;
  let bytesTotal = 0;
  return {
    onEvent(event) {
      switch (event.type) {
        case 'scanned-local':
          options.write(`scanned the folder: ${plural(event.files, 'file')}, ${formatBytes(event.bytes)}`);
          break;
        case 'scanned-remote':
          options.write(`listed the bucket: ${plural(event.objects, 'object')}`);
          break;
        case 'planned': {
          const p = event.plan;
          bytesTotal = p.uploads.reduce((sum, action) => sum + action.file.size, 0);
          const total = p.uploads.length + p.headerUpdates.length + p.deletes.length;
          options.write(`plan: ${describePlanCounts(p)}`);
          bar?.stop(); // one plan per publish; should another come, its bar replaces the old one
          bar = undefined;
          if (options.tty && total > 0) {
            bar = new cliProgress.SingleBar(
              { format: '  {bar} {value}/{total} files | {done} of {size}', hideCursor: true, clearOnComplete: true, stream: process.stderr },
              cliProgress.Presets.shades_classic,
            );
            bar.start(total, 0, { done: formatBytes(0), size: formatBytes(bytesTotal) });
          }
          break;
        }
        case 'action-done':
          bytesDone += event.bytes;
          bar?.increment(1, { done: formatBytes(bytesDone), size: formatBytes(bytesTotal) });
          break;
        case 'phase':
          if (!options.tty && event.phase !== 'manifest') options.write(`${event.phase}…`);
          break;
      }
    },
    stop() {
      bar?.stop();
    },
  };
}

export function describePlanCounts(plan: Plan): string {
  const bytes = plan.uploads.reduce((sum, action) => sum + action.file.size, 0);
  return `${plan.uploads.length} to upload (${formatBytes(bytes)}), ${plan.headerUpdates.length} header updates, ${plan.deletes.length} to delete, ${plan.unchanged} unchanged`;
}

/** The dry-run listing: one line per action, with its reason. */
export function formatPlan(plan: Plan): string[] {
  const line = (action: Action) => {
    const verb = action.kind === 'upload' ? 'upload' : action.kind === 'update-headers' ? 'headers' : 'delete';
    const size = action.kind === 'upload' ? `  ${formatBytes(action.file.size)}` : '';
    return `${verb.padEnd(8)} ${printable(action.key)}${size}  (${action.reason})`;
  };
  return [...plan.uploads.map(line), ...plan.headerUpdates.map(line), ...plan.deletes.map(line)];
}

export function formatSummary(summary: PublishSummary): string {
  const target = `s3://${summary.bucket}/${summary.prefix}`;
  const verb = summary.dryRun ? 'dry run, nothing changed —' : 'published';
  const counts = summary.dryRun
    ? `would upload ${summary.uploaded} (${formatBytes(summary.bytesUploaded)}), update headers of ${summary.headersUpdated}, delete ${summary.deleted}; ${summary.unchanged} unchanged`
    : `${summary.uploaded} uploaded (${formatBytes(summary.bytesUploaded)}), ${summary.headersUpdated} headers updated, ${summary.deleted} deleted, ${summary.unchanged} unchanged`;
  const deploy = summary.deployId ? ` (deploy ${summary.deployId}, replaced versions archived)` : '';
  return redact(`${verb} ${target}: ${counts} — ${plural(summary.requests.total, 'request')} in ${formatDuration(summary.durationMs)}${deploy}`);
}

/** The plan as JSON-friendly data for `--dry-run --json`. */
export function planAsJson(plan: Plan): { kind: string; key: string; reason: string; size?: number }[] {
  return [...plan.uploads, ...plan.headerUpdates, ...plan.deletes].map((action) => ({
    kind: action.kind,
    key: action.key,
    reason: action.reason,
    ...(action.kind === 'upload' ? { size: action.file.size } : {}),
  }));
}
