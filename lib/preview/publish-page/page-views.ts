/** What the publish page shows, assembled from settings and outcomes: pure, the HTML itself is in page-html.ts. */
import type { KeysForm } from './dotenv-file.js';
import type { PublishSettings } from '../../config/publish-settings.js';
import type { PublishSummary } from '../../publish/publish.js';
import type { RollbackOutcome } from '../../publish/rollback.js';
import { formatBytes, type FormView, type TargetView } from './page-html.js';
import type { Job } from './page-session.js';
import { keySourceOf } from './target-source.js';

/** Environment variables that win over `.env`: the form cannot change them. */
const OVERRIDING_VARIABLES = ['AWS_ENDPOINT_URL_S3', 'AWS_ENDPOINT_URL', 'AWS_REGION', 'FLEURON_BUCKET', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'];

/** Where the site goes; `scrub` takes any secret out of the endpoint. */
export function targetViewOf(
  settings: PublishSettings | undefined,
  found: { siteUrl: string | undefined; env: NodeJS.ProcessEnv; dotEnv: Record<string, string> },
  scrub: (text: string) => string,
): TargetView {
  return {
    bucket: settings?.bucket,
    endpoint: settings?.endpoint === undefined ? undefined : scrub(settings.endpoint),
    region: settings?.region ?? 'garage',
    prefix: settings?.prefix ?? '',
    siteUrl: found.siteUrl,
    keys: keySourceOf(found.env, found.dotEnv),
    archive: settings?.archive,
  };
}

/** The server settings form: what was typed, else the settings in force; never the secret itself. */
export function formViewOf(
  settings: PublishSettings | undefined,
  found: { env: NodeJS.ProcessEnv; dotEnv: Record<string, string> },
  typed?: KeysForm,
  errors: string[] = [],
): FormView {
  return {
    endpoint: typed?.endpoint ?? settings?.endpoint ?? '',
    region: typed?.region ?? settings?.region ?? 'garage',
    bucket: typed?.bucket ?? settings?.bucket ?? '',
    accessKeyId: typed?.accessKeyId ?? settings?.credentials?.accessKeyId ?? '',
    secretSet: Boolean(found.dotEnv.AWS_SECRET_ACCESS_KEY),
    errors,
    overridden: OVERRIDING_VARIABLES.filter((name) => found.env[name]),
  };
}

/** The line about the running or last job on the main page. */
export function jobLineOf(job: Job): { running: boolean; label: string } {
  const running = job.result === undefined;
  return { running, label: running ? `A ${job.progress.kind} is running: see its progress` : `The last ${job.progress.kind}: ${job.result!.ok ? 'done' : 'failed'}` };
}

/** The typed fields of the settings form as posted. */
export function keysFormOf(form: URLSearchParams): KeysForm {
  return {
    endpoint: form.get('endpoint') ?? '',
    region: form.get('region') ?? '',
    bucket: form.get('bucket') ?? '',
    accessKeyId: form.get('accessKeyId') ?? '',
    secretAccessKey: form.get('secretAccessKey') ?? '',
  };
}

/** The status page's lines after a publish. */
export function publishedLines(summary: PublishSummary): string[] {
  return [
    `Published s3://${summary.bucket}/${summary.prefix}: ${summary.uploaded} uploaded (${formatBytes(summary.bytesUploaded)}), ${summary.headersUpdated} headers updated, ${summary.deleted} deleted, ${summary.unchanged} unchanged, in ${summary.requests.total} requests.`,
    ...(summary.deployId ? [`This is deploy ${summary.deployId}: the versions it replaced are kept in the archive bucket.`] : []),
    ...summary.warnings.map((warning) => `Warning: ${warning}`),
  ];
}

/** The status page's lines after a restore of the site at `target` to before `deployId`. */
export function restoredLines(target: string, deployId: string, outcome: RollbackOutcome): string[] {
  return [
    `Restored ${target} as it was before ${deployId}: ${outcome.restored} files put back, ${outcome.deleted} deleted.`,
    ...(outcome.deployId ? [`This restore is deploy ${outcome.deployId}: it can be undone from the history.`] : []),
  ];
}
