/**
 * The publish page's only doors into the publishing library: settings as `fleuron publish` resolves
 * them, the same publish() call, history and rollback. Thin on purpose: when the library's API moves,
 * only this file is re-pointed. The S3 SDK is loaded on first use: a preview nobody publishes from starts as fast as before.
 */
import type { DeployRecord } from '../../archive/deploy-record.js';
import type { RollbackOutcome } from '../../archive/rollback.js';
import { hasProfileCredentials, type PublishSettings } from '../../config/publish-settings.js';
import { FleuronError, isFleuronError } from '../../errors/fleuron-error.js';
import type { PublishEvent, PublishOutcome } from '../../publish/publish.js';
import type { S3Endpoint } from '../../s3/client.js';
import { describeS3Error, type S3ErrorContext } from '../../s3/s3-error.js';
import type { SiteRedirect } from '../../website/redirects.js';

/**
 * What the CLI hands the preview (the CLI owns settings resolution: flags, environment, `.env`,
 * fleuron.yaml). Each call reads afresh: the settings form changes `.env` while the preview runs.
 */
export interface PublishTargetSource {
  /** The folder whose `.env` `fleuron publish` reads (the working directory): the form writes there. */
  projectDir: string;
  readSettings(): Promise<PublishSettings>;
  /** The checks `fleuron publish` makes before any request (bucket, keys, archive ≠ site); returns the bucket. */
  checkTarget(settings: PublishSettings): string;
  /** Redirects and documents the site declares, given the built folder. */
  readRedirects(builtDir: string): Promise<{ redirects: SiteRedirect[]; indexPage?: string; errorPage?: string }>;
}

export type KeySource = 'environment' | '.env' | 'AWS profile' | undefined;

/** Where `fleuron publish` will take the keys from, in its order: the environment, then `.env`, then the SDK's profiles. */
export function keySourceOf(env: NodeJS.ProcessEnv, dotEnv: Record<string, string>): KeySource {
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) return 'environment';
  if ((env.AWS_ACCESS_KEY_ID ?? dotEnv.AWS_ACCESS_KEY_ID) && (env.AWS_SECRET_ACCESS_KEY ?? dotEnv.AWS_SECRET_ACCESS_KEY)) return '.env';
  return hasProfileCredentials(env) ? 'AWS profile' : undefined;
}

function endpointOf(settings: PublishSettings): S3Endpoint {
  return { endpoint: settings.endpoint, region: settings.region, forcePathStyle: settings.forcePathStyle, credentials: settings.credentials };
}

function contextOf(settings: PublishSettings, bucket: string, doing: string): S3ErrorContext {
  return { bucket, endpoint: settings.endpoint ?? 'AWS S3', region: settings.region, doing };
}

export interface PublishRun {
  builtDir: string;
  source: PublishTargetSource;
  settings: PublishSettings;
  bucket: string;
  dryRun: boolean;
  /** Override of the delete cap, to show a refused plan in full (never used to publish). */
  maxDeletes?: number;
  onEvent?: (event: PublishEvent) => void;
}

/** The publish `fleuron publish DIR` runs for an already built folder (lib/cli/run-publish.ts), option for option. */
export async function runPublish(run: PublishRun): Promise<PublishOutcome> {
  const { settings: target, bucket } = run;
  const site = await run.source.readRedirects(run.builtDir);
  const { publish } = await import('../../publish/publish.js');
  return publish({
    dir: run.builtDir,
    endpoint: endpointOf(target),
    bucket,
    prefix: target.prefix,
    concurrency: target.concurrency,
    maxDeletes: run.maxDeletes ?? target.maxDeletes,
    dryRun: run.dryRun,
    headerRules: target.headers,
    gzip: target.gzip,
    exclude: target.exclude,
    include: target.include,
    keep: target.keep,
    bandwidth: target.bandwidth,
    archive: target.archive,
    website: target.website.configure ? { indexDocument: site.indexPage ?? target.website.indexDocument, errorDocument: site.errorPage ?? target.website.errorDocument } : undefined,
    redirects: site.redirects,
    onEvent: run.onEvent,
  });
}

/** "Test connection": one listing request (no retries), answered with the CLI's own messages. */
export async function testConnection(settings: PublishSettings, bucket: string): Promise<{ ok: true; objects: number } | { ok: false; error: FleuronError }> {
  const [{ ListObjectsV2Command }, { createS3Connection }] = await Promise.all([import('@aws-sdk/client-s3'), import('../../s3/client.js')]);
  const { client } = createS3Connection(endpointOf(settings), { retry: { maxAttempts: 1 } });
  try {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: settings.prefix || undefined, MaxKeys: 1000 }));
    return { ok: true, objects: page.KeyCount ?? page.Contents?.length ?? 0 };
  } catch (error) {
    return { ok: false, error: describeS3Error(error, contextOf(settings, bucket, 'testing the connection')) };
  } finally {
    client.destroy();
  }
}

type ArchivedSettings = PublishSettings & { archive: NonNullable<PublishSettings['archive']> };

/** The deploys of this site kept in the archive bucket, newest first (as `fleuron history`). */
export async function readHistory(settings: ArchivedSettings, bucket: string): Promise<DeployRecord[]> {
  const [{ listDeploys }, { createS3Connection }] = await Promise.all([import('../../archive/archive.js'), import('../../s3/client.js')]);
  const { client } = createS3Connection(endpointOf(settings), { maxSockets: settings.concurrency });
  try {
    const records = await listDeploys(client, settings.archive, bucket, settings.prefix).catch((error) => {
      throw describeS3Error(error, contextOf(settings, settings.archive.bucket, 'listing deploys'));
    });
    return [...records].reverse();
  } finally {
    client.destroy();
  }
}

/** `fleuron rollback ID [--dry-run]`. */
export async function runRollback(settings: ArchivedSettings, bucket: string, deployId: string, dryRun: boolean): Promise<RollbackOutcome> {
  const [{ rollback }, { createS3Connection }] = await Promise.all([import('../../archive/rollback.js'), import('../../s3/client.js')]);
  const { client } = createS3Connection(endpointOf(settings), { maxSockets: settings.concurrency });
  try {
    return await rollback({ client, bucket, prefix: settings.prefix, archive: settings.archive, targetId: deployId, concurrency: settings.concurrency, dryRun }).catch((error) => {
      throw describeS3Error(error, contextOf(settings, settings.archive.bucket, `rolling back ${deployId}`));
    });
  } finally {
    client.destroy();
  }
}

export function hasArchive(settings: PublishSettings): settings is ArchivedSettings {
  return settings.archive !== undefined;
}

/** Any failure as the CLI's one line: message, then what to do. */
export function errorLine(error: unknown): string {
  const failure = isFleuronError(error) ? error : new FleuronError('unexpected', (error as Error)?.message ?? String(error));
  return failure.hint ? `${failure.message} — ${failure.hint}` : failure.message;
}
