/**
 * Restores a site to its state before a deploy. A rollback is itself a deploy: the versions it
 * replaces are archived first, so it can be rolled back too.
 */
import { CopyObjectCommand, DeleteObjectsCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { usageError } from '../errors/fleuron-error.js';
import { manifestBody, MANIFEST_NAME, parseManifest } from '../publish/manifest.js';
import { copySourceOf } from '../publish/object-params.js';
import { LOCK_NAME, lockedError, PublishLock, readLockState } from '../publish/publish-lock.js';
import { readTextObject, scanRemote, stateKey } from '../publish/scan-remote.js';
import { archiveBeforeChange, listDeploys, type ArchiveSettings } from './archive.js';
import { makeDeployId, type DeployRecord } from './deploy-record.js';
import { planRollback, type RestoreStep } from './rollback-plan.js';

export interface RollbackOptions {
  client: S3Client;
  bucket: string;
  prefix: string;
  archive: ArchiveSettings;
  targetId: string;
  concurrency: number;
  dryRun?: boolean;
  breakLock?: boolean;
}

export interface RollbackOutcome {
  /** The rollback's own deploy id (undefined on a dry run). */
  deployId?: string;
  steps: RestoreStep[];
  restored: number;
  deleted: number;
}

export async function rollback(options: RollbackOptions): Promise<RollbackOutcome> {
  const { client, bucket, prefix, archive } = options;
  const records = await listDeploys(client, archive, bucket, prefix);
  if (!records.some((record) => record.id === options.targetId)) {
    throw usageError('unknown-deploy', `there is no deploy ${options.targetId} of s3://${bucket}/${prefix} in the archive bucket "${archive.bucket}"`, 'list deploys with: fleuron history');
  }
  const steps = planRollback(records, options.targetId);
  if (options.dryRun) return { steps, restored: steps.filter((step) => step.from).length, deleted: steps.filter((step) => !step.from).length };

  const remote = await scanRemote(client, bucket, prefix);
  if (remote.state.has(stateKey(prefix, LOCK_NAME)) && !options.breakLock) {
    const state = await readLockState(client, bucket, prefix);
    if (state.kind === 'held') throw lockedError(bucket, prefix, state.record);
  }
  const lock = new PublishLock(client, bucket, prefix);
  await lock.acquire();
  try {
    const record: DeployRecord = {
      version: 1,
      id: makeDeployId(),
      time: new Date().toISOString(),
      bucket,
      prefix,
      kind: 'rollback',
      rollbackOf: options.targetId,
      changes: steps.map((step) => ({ key: step.key, action: step.from ? 'restore' : 'delete', archived: remote.objects.has(step.key) })),
    };
    await archiveBeforeChange(client, archive, record, options.concurrency);

    const limit = pLimit(options.concurrency);
    const restores = steps.filter((step) => step.from);
    // The archived copy kept its headers: copying it back restores body and headers together.
    await Promise.all(
      restores.map((step) =>
        limit(() => client.send(new CopyObjectCommand({ Bucket: bucket, Key: step.key, CopySource: copySourceOf(archive.bucket, step.from!), MetadataDirective: 'COPY' }))),
      ),
    );
    const deletes = steps.filter((step) => !step.from && remote.objects.has(step.key));
    for (let start = 0; start < deletes.length; start += 1000) {
      await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: deletes.slice(start, start + 1000).map((step) => ({ Key: step.key })), Quiet: true } }));
    }

    // The manifest no longer vouches for the headers of what was restored: the next publish re-checks them.
    const manifestKey = stateKey(prefix, MANIFEST_NAME);
    const manifest = parseManifest(await readTextObject(client, bucket, manifestKey));
    for (const step of steps) delete manifest.objects[step.key];
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: manifestKey, Body: manifestBody(manifest), ContentType: 'application/json; charset=utf-8', CacheControl: 'no-store' }));
    return { deployId: record.id, steps, restored: restores.length, deleted: deletes.length };
  } finally {
    await lock.release().catch(() => {});
  }
}
