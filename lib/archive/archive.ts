/**
 * The archive bucket: before a deploy overwrites or deletes an object, its old version is copied
 * there server-side (no body travels), under `<deploy-id>/<key>`, beside a record of the deploy.
 * Archived objects expire after the retention period: by a lifecycle rule where the server has them,
 * else fleuron prunes expired deploys itself.
 */
import {
  CopyObjectCommand,
  DeleteObjectsCommand,
  GetBucketLifecycleConfigurationCommand,
  ListObjectsV2Command,
  PutBucketLifecycleConfigurationCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { copySourceOf } from '../publish/object-params.js';
import { readTextObject } from '../publish/scan-remote.js';
import { archivedKey, parseDeployRecord, recordKey, type DeployChange, type DeployRecord } from './deploy-record.js';

export interface ArchiveSettings {
  bucket: string;
  retentionDays: number;
}

export const DEFAULT_RETENTION_DAYS = 30;
const RULE_ID = 'fleuron-archive-retention';

/** Copies the current version of every change marked `archived`, then writes the deploy record. */
export async function archiveBeforeChange(
  client: S3Client,
  archive: ArchiveSettings,
  record: DeployRecord,
  concurrency: number,
): Promise<void> {
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
  await client.send(
    new PutObjectCommand({
      Bucket: archive.bucket,
      Key: recordKey(record.id),
      Body: Buffer.from(`${JSON.stringify(record, null, 1)}\n`),
      ContentType: 'application/json; charset=utf-8',
    }),
  );
}

/** Every deploy record of the archive for this site (bucket and prefix), oldest first. */
export async function listDeploys(client: S3Client, archive: ArchiveSettings, bucket: string, prefix: string): Promise<DeployRecord[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: archive.bucket, Delimiter: '/', ContinuationToken: token }));
    for (const item of page.Contents ?? []) if (item.Key?.endsWith('.deploy.json')) keys.push(item.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  const limit = pLimit(8);
  const records = await Promise.all(keys.map((key) => limit(async () => parseDeployRecord((await readTextObject(client, archive.bucket, key)) ?? ''))));
  return records
    .filter((record): record is DeployRecord => record !== undefined && record.bucket === bucket && record.prefix === prefix)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export type RetentionOutcome = { kind: 'lifecycle' } | { kind: 'pruned'; deploys: number };

/** Makes sure archived objects expire: a lifecycle rule if the server supports it, else pruning now. */
export async function ensureRetention(client: S3Client, archive: ArchiveSettings, now: Date = new Date()): Promise<RetentionOutcome> {
  try {
    const current = await client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: archive.bucket })).catch((error: { name?: string }) => {
      if (error.name === 'NoSuchLifecycleConfiguration') return { Rules: [] };
      throw error;
    });
    const ours = current.Rules?.find((rule) => rule.ID === RULE_ID);
    if (ours?.Expiration?.Days === archive.retentionDays && ours.Status === 'Enabled') return { kind: 'lifecycle' };
    const others = (current.Rules ?? []).filter((rule) => rule.ID !== RULE_ID);
    await client.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: archive.bucket,
        LifecycleConfiguration: {
          // Garage wants a Filter (And/Prefix), not the old rule-level Prefix.
          Rules: [...others, { ID: RULE_ID, Status: 'Enabled', Filter: { Prefix: '' }, Expiration: { Days: archive.retentionDays } }],
        },
      }),
    );
    return { kind: 'lifecycle' };
  } catch (error) {
    const name = (error as { name?: string }).name;
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (name !== 'NotImplemented' && status !== 501) throw error;
    return { kind: 'pruned', deploys: await pruneExpired(client, archive, now) };
  }
}

/** Deletes the deploys (archived objects and record) older than the retention period; returns how many. */
export async function pruneExpired(client: S3Client, archive: ArchiveSettings, now: Date): Promise<number> {
  const cutoff = now.getTime() - archive.retentionDays * 86_400_000;
  const expired: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: archive.bucket, Delimiter: '/', ContinuationToken: token }));
    for (const item of page.Contents ?? []) {
      const id = item.Key?.replace(/\.deploy\.json$/, '');
      if (id && id !== item.Key && item.LastModified && item.LastModified.getTime() < cutoff) expired.push(id);
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  for (const id of expired) {
    const keys: string[] = [];
    let next: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: archive.bucket, Prefix: `${id}/`, ContinuationToken: next }));
      for (const item of page.Contents ?? []) if (item.Key) keys.push(item.Key);
      next = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (next);
    keys.push(recordKey(id)); // the record last, so a half-pruned deploy is still listed
    for (let start = 0; start < keys.length; start += 1000) {
      await client.send(new DeleteObjectsCommand({ Bucket: archive.bucket, Delete: { Objects: keys.slice(start, start + 1000).map((Key) => ({ Key })), Quiet: true } }));
    }
  }
  return expired.length;
}

export type { DeployChange };
