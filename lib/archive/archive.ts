/**
 * The archive bucket: before a deploy overwrites or deletes an object, its old version is copied
 * there server-side (no body travels), under `fleuron/<deploy-id>/<key>`, beside a record of the deploy.
 * Archived objects expire after the retention period: by a lifecycle rule scoped to `fleuron/` where
 * the server has them, else fleuron prunes expired deploys itself. The bucket must hold nothing else.
 */
import type { LifecycleRule, S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { ExitCode, FleuronError, usageError } from '../errors/fleuron-error.js';
import { deleteKeys } from '../s3/delete-keys.js';
import { copySourceOf } from '../s3/object-keys.js';
import { readTextObject } from '../s3/read-text-object.js';
import { S3Requests } from '../s3/s3-requests.js';
import { s3Sdk } from '../s3/sdk.js';
import { ARCHIVE_FOLDER, archivedKey, makeDeployId, parseDeployRecord, recordKey, type DeployChange, type DeployRecord } from './deploy-record.js';

export { ARCHIVE_FOLDER };

export interface ArchiveSettings {
  bucket: string;
  retentionDays: number;
}

const RULE_ID = 'fleuron-archive-retention';

const errorName = (error: unknown) => (error as { name?: string }).name ?? '';
const errorStatus = (error: unknown) => (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;

const ARCHIVE_HINT = 'name an empty bucket used only for fleuron\'s archives (not served as a website): fleuron expires what it keeps there';

/**
 * Refuses an archive bucket that is the site bucket, is served as a website (a deleted page would stay reachable) or
 * holds anything fleuron did not write there (its expiry rule must never reach another site's objects).
 * Two requests: a one-page listing of the bucket's top level, and its website configuration.
 */
export async function checkArchiveBucket(client: S3Client, archive: ArchiveSettings, siteBucket: string): Promise<void> {
  const { GetBucketWebsiteCommand, ListObjectsV2Command } = await s3Sdk();
  if (archive.bucket === siteBucket) {
    throw usageError('archive-is-site', `the archive bucket must not be the website bucket "${siteBucket}"`, 'name a second bucket, not served as a website: a deleted page must not stay reachable');
  }
  const [listing, website] = await Promise.all([
    client.send(new ListObjectsV2Command({ Bucket: archive.bucket, Delimiter: '/', MaxKeys: 10 })),
    client.send(new GetBucketWebsiteCommand({ Bucket: archive.bucket })).then(
      () => 'website' as const,
      (error: unknown) => {
        if (errorName(error) === 'NoSuchWebsiteConfiguration' || (errorStatus(error) === 404 && errorName(error) !== 'NoSuchBucket')) return 'none' as const;
        // A key without the owner permission cannot read it (Garage): the listing check still holds.
        if (errorName(error) === 'AccessDenied' || errorStatus(error) === 403 || errorStatus(error) === 501) return 'unknown' as const;
        throw error;
      },
    ),
  ]);
  const foreign = [...(listing.Contents ?? []).map((item) => item.Key ?? ''), ...(listing.CommonPrefixes ?? []).map((item) => item.Prefix ?? '')].find(
    (key) => key !== ARCHIVE_FOLDER,
  );
  if (foreign !== undefined) {
    throw usageError('archive-not-empty', `the archive bucket "${archive.bucket}" holds objects fleuron did not write (such as "${foreign}")`, ARCHIVE_HINT);
  }
  if (website === 'website') throw usageError('archive-is-website', `the archive bucket "${archive.bucket}" is served as a website`, ARCHIVE_HINT);
}

export interface DeployToRecord {
  bucket: string;
  prefix: string;
  kind: DeployRecord['kind'];
  rollbackOf?: string;
  changes: DeployChange[];
  concurrency: number;
}

/**
 * Starts a deploy in the archive: the versions it replaces or deletes are copied there (server-side), its record is
 * written, and the retention rule is kept set. Done before the deploy changes anything.
 */
export async function recordDeploy(client: S3Client, archive: ArchiveSettings, deploy: DeployToRecord, now: Date = new Date()): Promise<DeployRecord> {
  const record: DeployRecord = {
    version: 1,
    id: makeDeployId(now),
    time: now.toISOString(),
    bucket: deploy.bucket,
    prefix: deploy.prefix,
    kind: deploy.kind,
    ...(deploy.rollbackOf ? { rollbackOf: deploy.rollbackOf } : {}),
    changes: deploy.changes,
  };
  await archiveBeforeChange(client, archive, record, deploy.concurrency);
  await ensureRetention(client, archive, now);
  return record;
}

/** Marks a deploy that stopped before it was complete: history shows it failed. */
export async function markDeployFailed(client: S3Client, archive: ArchiveSettings, record: DeployRecord, message: string): Promise<void> {
  await writeDeployRecord(client, archive, { ...record, failed: { message } });
}

/** Copies the current version of every change marked `archived`, then writes the deploy record. */
export async function archiveBeforeChange(client: S3Client, archive: ArchiveSettings, record: DeployRecord, concurrency: number): Promise<void> {
  const { CopyObjectCommand } = await s3Sdk();
  const limit = pLimit(concurrency);
  await Promise.all(
    record.changes
      .filter((change) => change.archived)
      .map((change) =>
        limit(() =>
          client.send(
            new CopyObjectCommand({
              Bucket: archive.bucket,
              Key: archivedKey(record.id, change.key),
              CopySource: copySourceOf(record.bucket, change.key),
              MetadataDirective: 'COPY',
            }),
          ),
        ),
      ),
  );
  await writeDeployRecord(client, archive, record);
}

/** Writes (or rewrites, e.g. to mark it failed) a deploy's record. */
export async function writeDeployRecord(client: S3Client, archive: ArchiveSettings, record: DeployRecord): Promise<void> {
  const { PutObjectCommand } = await s3Sdk();
  await client.send(
    new PutObjectCommand({
      Bucket: archive.bucket,
      Key: recordKey(record.id),
      Body: Buffer.from(`${JSON.stringify(record, null, 1)}\n`),
      ContentType: 'application/json; charset=utf-8',
    }),
  );
}

/** The keys of the archive's top level under fleuron's folder: deploy records and the deploys' folders. */
async function listArchiveTop(client: S3Client, archive: ArchiveSettings): Promise<{ key: string; lastModified?: Date }[]> {
  const { paginateListObjectsV2 } = await s3Sdk();
  const entries: { key: string; lastModified?: Date }[] = [];
  for await (const page of paginateListObjectsV2({ client }, { Bucket: archive.bucket, Prefix: ARCHIVE_FOLDER, Delimiter: '/' })) {
    for (const item of page.Contents ?? []) if (item.Key) entries.push({ key: item.Key, lastModified: item.LastModified });
  }
  return entries;
}

/** Every deploy record of the archive for this site (bucket and prefix), oldest first. */
export async function listDeploys(client: S3Client, archive: ArchiveSettings, bucket: string, prefix: string): Promise<DeployRecord[]> {
  const keys = (await listArchiveTop(client, archive)).map((entry) => entry.key).filter((key) => key.endsWith('.deploy.json'));
  const limit = pLimit(8);
  const records = await Promise.all(keys.map((key) => limit(async () => parseDeployRecord((await readTextObject(client, archive.bucket, key)) ?? ''))));
  return records
    .filter((record): record is DeployRecord => record !== undefined && record.bucket === bucket && record.prefix === prefix)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The keys archived for a deploy (its folder), to check a rollback's sources before changing anything. */
export async function listArchived(client: S3Client, archive: ArchiveSettings, id: string): Promise<Set<string>> {
  const { paginateListObjectsV2 } = await s3Sdk();
  const keys = new Set<string>();
  for await (const page of paginateListObjectsV2({ client }, { Bucket: archive.bucket, Prefix: archivedKey(id, '') })) {
    for (const item of page.Contents ?? []) if (item.Key) keys.add(item.Key);
  }
  return keys;
}

/**
 * Pure: the bucket's lifecycle rules with fleuron's expiry rule, scoped to its folder (Garage wants a `Filter`, not
 * the old rule-level `Prefix`), added or updated; the bucket's other rules kept as they are. Undefined when the
 * rules already are as wanted.
 */
export function retentionRules(current: readonly LifecycleRule[], retentionDays: number): LifecycleRule[] | undefined {
  const ours = current.find((rule) => rule.ID === RULE_ID);
  const prefixOf = (rule: LifecycleRule) => rule.Filter?.Prefix ?? rule.Filter?.And?.Prefix;
  if (ours?.Expiration?.Days === retentionDays && ours.Status === 'Enabled' && prefixOf(ours) === ARCHIVE_FOLDER) return undefined;
  const others = current.filter((rule) => rule.ID !== RULE_ID);
  return [...others, { ID: RULE_ID, Status: 'Enabled', Filter: { Prefix: ARCHIVE_FOLDER }, Expiration: { Days: retentionDays } }];
}

export type RetentionOutcome = { kind: 'lifecycle' } | { kind: 'pruned'; deploys: number };

/** Makes sure archived objects expire: a lifecycle rule if the server supports it, else pruning now. */
export async function ensureRetention(client: S3Client, archive: ArchiveSettings, now: Date = new Date()): Promise<RetentionOutcome> {
  const { GetBucketLifecycleConfigurationCommand, PutBucketLifecycleConfigurationCommand } = await s3Sdk();
  try {
    const current = await client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: archive.bucket })).catch((error: unknown) => {
      if (errorName(error) === 'NoSuchLifecycleConfiguration') return { Rules: [] };
      throw error;
    });
    const rules = retentionRules(current.Rules ?? [], archive.retentionDays);
    if (rules) await client.send(new PutBucketLifecycleConfigurationCommand({ Bucket: archive.bucket, LifecycleConfiguration: { Rules: rules } }));
    return { kind: 'lifecycle' };
  } catch (error) {
    if (errorName(error) !== 'NotImplemented' && errorStatus(error) !== 501) throw error;
    return { kind: 'pruned', deploys: await pruneExpired(client, archive, now) };
  }
}

/** Deletes the deploys (archived objects and record) older than the retention period; returns how many. */
export async function pruneExpired(client: S3Client, archive: ArchiveSettings, now: Date): Promise<number> {
  const cutoff = now.getTime() - archive.retentionDays * 86_400_000;
  const expired = (await listArchiveTop(client, archive))
    .filter((entry) => entry.key.endsWith('.deploy.json') && entry.lastModified !== undefined && entry.lastModified.getTime() < cutoff)
    .map((entry) => entry.key.slice(ARCHIVE_FOLDER.length, -'.deploy.json'.length));
  const requests = S3Requests.over(client);
  for (const id of expired) {
    // The record last, so a half-pruned deploy is still listed (and pruned again next time).
    let result = await deleteKeys(requests, archive.bucket, [...(await listArchived(client, archive, id))]);
    if (result.failures.length === 0) result = await deleteKeys(requests, archive.bucket, [recordKey(id)]);
    const failure = result.failures[0];
    if (failure) {
      throw new FleuronError('prune-failed', `could not delete ${result.failures.length} expired objects of deploy ${id} from the archive bucket "${archive.bucket}" (${errorName(failure.error) || 'error'} on "${failure.key}")`, {
        hint: 'check that the key may delete in the archive bucket; the next publish tries again',
        exitCode: ExitCode.failed,
        cause: failure.error,
      });
    }
  }
  return expired.length;
}

export type { DeployChange };
