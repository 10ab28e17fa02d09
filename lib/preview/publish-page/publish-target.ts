/**
 * The publish page's only doors into the publishing library: settings as `fleuron publish` resolves
 * them, the same publish() call, history and rollback. Thin on purpose: when the library's API moves,
 * only this file is re-pointed. The page loads it on first use (it brings the S3 SDK): a preview
 * nobody publishes from starts as fast as before.
 */
import { listDeploys } from '../../archive/archive.js';
import type { DeployRecord } from '../../archive/deploy-record.js';
import { rollback, type RollbackOutcome } from '../../publish/rollback.js';
import type { PublishSettings } from '../../config/publish-settings.js';
import type { FleuronError } from '../../errors/fleuron-error.js';
import { publish, type PublishEvent, type PublishOutcome } from '../../publish/publish.js';
import { endpointOf, settingsOptions } from '../../publish/settings-options.js';
import { createS3Connection } from '../../s3/client.js';
import { describeS3Error, type S3ErrorContext } from '../../s3/s3-error.js';
import { s3Sdk } from '../../s3/sdk.js';
import type { ArchivedSettings, PublishTargetSource } from './target-source.js';


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
  return publish({
    // The same settings mapping as `fleuron publish` (lib/publish/settings-options.ts).
    ...settingsOptions(target, site),
    dir: run.builtDir,
    bucket,
    maxDeletes: run.maxDeletes ?? target.maxDeletes,
    dryRun: run.dryRun,
    redirects: site.redirects,
    onEvent: run.onEvent,
  });
}

/** "Test connection": one listing request (no retries), answered with the CLI's own messages. */
export async function testConnection(settings: PublishSettings, bucket: string): Promise<{ ok: true; objects: number } | { ok: false; error: FleuronError }> {
  const { client } = createS3Connection(endpointOf(settings), { retry: { maxAttempts: 1 } });
  try {
    const { ListObjectsV2Command } = await s3Sdk();
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: settings.prefix || undefined, MaxKeys: 1000 }));
    return { ok: true, objects: page.KeyCount ?? page.Contents?.length ?? 0 };
  } catch (error) {
    return { ok: false, error: describeS3Error(error, contextOf(settings, bucket, 'testing the connection')) };
  } finally {
    client.destroy();
  }
}


/** The deploys of this site kept in the archive bucket, newest first (as `fleuron history`). */
export async function readHistory(settings: ArchivedSettings, bucket: string): Promise<DeployRecord[]> {
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
  const { client } = createS3Connection(endpointOf(settings), { maxSockets: settings.concurrency });
  try {
    // The same safety rules as `fleuron rollback`: the delete cap, the empty-site refusal, the lock.
    return await rollback({ client, bucket, prefix: settings.prefix, archive: settings.archive, targetId: deployId, concurrency: settings.concurrency, maxDeletes: settings.maxDeletes, dryRun }).catch((error: unknown) => {
      throw describeS3Error(error, contextOf(settings, settings.archive.bucket, `rolling back ${deployId}`));
    });
  } finally {
    client.destroy();
  }
}
