/**
 * Restores a site to its state before a deploy. A rollback is itself a deploy: the versions it replaces are archived
 * first, so it can be rolled back too. It follows a publish's rules: plan first (every archived copy it needs must
 * still be there), the same safety checks (delete cap, never empty the site), the same lock, restores before the
 * manifest and deletes last, no delete after a failure, and a failed rollback is marked failed in the history.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import pMap from 'p-map';
import { checkArchiveBucket, listArchived, listDeploys, markDeployFailed, recordDeploy, type ArchiveSettings } from '../archive/archive.js';
import { type DeployRecord } from '../archive/deploy-record.js';
import { planRollback, type RestoreStep } from '../archive/rollback-plan.js';
import { FleuronError, usageError } from '../errors/fleuron-error.js';
import { deleteKeys, type KeyDeleteFailure } from '../s3/delete-keys.js';
import { copySourceOf } from '../s3/object-keys.js';
import { readObjectBytes } from '../s3/read-text-object.js';
import { S3Requests } from '../s3/s3-requests.js';
import { s3Sdk } from '../s3/sdk.js';
import { MANIFEST_OBJECT, manifestBody, manifestKey, readManifest } from './manifest.js';
import { lockedError, lockLostError, readLockState, withPublishLock, type PublishLock } from './publish-lock.js';
import { isPage } from './page-keys.js';
import { checkSafety } from './safety.js';
import { scanRemote, type RemoteScan } from './scan-remote.js';
import { sdkPages } from '../s3/list-page.js';
import { LOCK_NAME, MANIFEST_NAME, stateKey } from './state-keys.js';

export interface RollbackOptions {
  client: S3Client;
  bucket: string;
  prefix: string;
  archive: ArchiveSettings;
  targetId: string;
  concurrency: number;
  /** The delete cap, as for a publish; negative means none. */
  maxDeletes: number;
  dryRun?: boolean;
  breakLock?: boolean;
  lockLabel?: string;
}

export interface RollbackOutcome {
  /** The rollback's own deploy id (undefined on a dry run). */
  deployId?: string;
  steps: RestoreStep[];
  restored: number;
  deleted: number;
}

/** What the rollback will do, checked against the bucket as it is now. */
interface RollbackPlan {
  steps: RestoreStep[];
  restores: RestoreStep[];
  deletes: RestoreStep[];
  remote: RemoteScan;
}

export async function rollback(options: RollbackOptions): Promise<RollbackOutcome> {
  const planned = await planAgainstBucket(options);
  if (options.dryRun) return { steps: planned.steps, restored: planned.restores.length, deleted: planned.deletes.length };
  const { client, bucket, prefix } = options;
  const requests = S3Requests.over(client);
  if (planned.remote.state.has(stateKey(prefix, LOCK_NAME)) && !options.breakLock) {
    const state = await readLockState(requests, bucket, prefix);
    if (state.kind === 'held') throw lockedError(bucket, prefix, state.record);
  }
  return withPublishLock({ requests, bucket, prefix, label: options.lockLabel }, (lock) => applyRollback(options, planned, lock, requests));
}

/** Plans the rollback and checks it before anything changes: the archive, its copies, the safety rules. */
async function planAgainstBucket(options: RollbackOptions): Promise<RollbackPlan> {
  const { client, bucket, prefix, archive } = options;
  await checkArchiveBucket(client, archive, bucket);
  const records = await listDeploys(client, archive, bucket, prefix);
  if (!records.some((record) => record.id === options.targetId)) {
    throw usageError('unknown-deploy', `there is no deploy ${options.targetId} of s3://${bucket}/${prefix} in the archive bucket "${archive.bucket}"`, 'list deploys with: fleuron history');
  }
  const steps = planRollback(records, options.targetId);
  const [remote] = await Promise.all([scanRemote(sdkPages(client), bucket, prefix), checkArchivedCopies(options, steps)]);
  const restores = steps.filter((step) => step.from !== undefined);
  const deletes = steps.filter((step) => step.from === undefined && remote.objects.has(step.key));
  const after = new Set(remote.objects.keys());
  for (const step of restores) after.add(step.key);
  for (const step of deletes) after.delete(step.key);
  checkSafety({
    kind: 'rollback',
    deletes: deletes.length,
    existing: remote.objects.size,
    remaining: after.size,
    maxDeletes: options.maxDeletes,
    emptyReason: `rolling back ${options.targetId} would remove every object of s3://${bucket}/${prefix}`,
  });
  return { steps, restores, deletes, remote };
}

/** Every archived copy the rollback restores from must still be there (lifecycle expiry removes them). */
async function checkArchivedCopies(options: RollbackOptions, steps: readonly RestoreStep[]): Promise<void> {
  const byDeploy = new Map<string, RestoreStep[]>();
  for (const step of steps) {
    if (step.from === undefined) continue;
    const id = step.from.split('/')[1]!;
    byDeploy.set(id, [...(byDeploy.get(id) ?? []), step]);
  }
  for (const [id, needed] of byDeploy) {
    const kept = await listArchived(options.client, options.archive, id);
    const missing = needed.filter((step) => !kept.has(step.from!));
    if (missing.length > 0) {
      throw new FleuronError(
        'archive-incomplete',
        `${missing.length} archived copies that rolling back ${options.targetId} needs are missing from the archive bucket "${options.archive.bucket}" (such as ${missing[0]!.from}); nothing was changed`,
        { hint: `they may have expired (the archive keeps ${options.archive.retentionDays} days): roll back to a later deploy, or publish the wanted version from its sources` },
      );
    }
  }
}

/** Under the lock: record the rollback as a deploy, restore (assets, then pages), write the manifest, delete last. */
async function applyRollback(options: RollbackOptions, planned: RollbackPlan, lock: PublishLock, requests: S3Requests): Promise<RollbackOutcome> {
  const { client, bucket, prefix, archive } = options;
  const record = await recordDeploy(client, archive, {
    bucket,
    prefix,
    kind: 'rollback',
    rollbackOf: options.targetId,
    changes: planned.steps.map((step) => ({ key: step.key, action: step.from ? 'restore' : 'delete', archived: planned.remote.objects.has(step.key) })),
    concurrency: options.concurrency,
  });
  const failures: KeyDeleteFailure[] = [];
  const { CopyObjectCommand } = await s3Sdk();
  let restored = 0;
  let deleted = 0;
  try {
    for (const group of [planned.restores.filter((step) => !isPage(step.key)), planned.restores.filter((step) => isPage(step.key))]) {
      await pMap(
        group,
        async (step) => {
          if (failures.length > 0) return;
          try {
            // The archived copy kept its headers: copying it back restores body and headers together.
            await client.send(new CopyObjectCommand({ Bucket: bucket, Key: step.key, CopySource: copySourceOf(archive.bucket, step.from!), MetadataDirective: 'COPY' }));
            restored++;
          } catch (error) {
            failures.push({ key: step.key, error });
          }
        },
        { concurrency: options.concurrency },
      );
    }
    if (failures.length === 0) await forgetRestoredHeaders(client, bucket, prefix, planned.steps);
    if (failures.length === 0 && planned.deletes.length > 0) {
      const holder = await lock.holder();
      if (holder !== undefined) throw lockLostError(bucket, prefix, holder);
      const outcome = await deleteKeys(requests, bucket, planned.deletes.map((step) => step.key));
      deleted = outcome.deleted.length;
      failures.push(...outcome.failures);
    }
  } catch (error) {
    failures.push({ key: 'the rollback', error });
  }
  const failure = failures[0];
  if (failure) {
    const error = rollbackFailure(options, failure, failures.length, restored, deleted);
    await markDeployFailed(client, archive, record, error.message).catch(() => {});
    throw error;
  }
  return { deployId: record.id, steps: planned.steps, restored, deleted };
}

/** The manifest no longer vouches for the headers of what was restored: the next publish re-checks them. */
async function forgetRestoredHeaders(client: S3Client, bucket: string, prefix: string, steps: readonly RestoreStep[]): Promise<void> {
  const key = stateKey(prefix, MANIFEST_NAME);
  const { PutObjectCommand } = await s3Sdk();
  const manifest = readManifest(await readObjectBytes(client, bucket, key));
  for (const step of steps) delete manifest.objects[manifestKey(step.key)];
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: manifestBody(manifest), ...MANIFEST_OBJECT }));
}

function rollbackFailure(options: RollbackOptions, failure: KeyDeleteFailure, count: number, restored: number, deleted: number): FleuronError {
  if (failure.error instanceof FleuronError) return failure.error;
  const name = (failure.error as { name?: string }).name ?? 'error';
  const message = ((failure.error as Error).message ?? String(failure.error)).split('\n')[0];
  const others = count > 1 ? ` (and ${count - 1} more)` : '';
  return new FleuronError('rollback-failed', `rolling back ${options.targetId} failed on ${failure.key}: ${name}: ${message}${others}`, {
    hint: `${restored} objects were restored and ${deleted} deleted before it stopped; the history marks this rollback failed: run it again`,
    cause: failure.error,
  });
}

export type { DeployRecord };
