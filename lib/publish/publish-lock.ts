/**
 * The advisory publish lock: `<prefix>.fleuron/lock.json`, holding who publishes and until when.
 * Garage ignores conditional PUTs, so two publishes starting in the same instant can both win: the
 * lock stops the common case (a second CI job, a member publishing during a deploy), not every race.
 */
import { AbortMultipartUploadCommand, DeleteObjectCommand, ListMultipartUploadsCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { FleuronError } from '../errors/fleuron-error.js';
import { readTextObject, stateKey } from './scan-remote.js';

export const LOCK_NAME = 'lock.json';
/** A lock not refreshed for this long is abandoned. */
export const LOCK_TTL_MS = 2 * 60_000;
const REFRESH_MS = 30_000;

export interface LockRecord {
  owner: string;
  user: string;
  host: string;
  pid: number;
  started: string;
  expires: string;
}

export type LockState =
  | { kind: 'free' }
  | { kind: 'held'; record: LockRecord }
  /** Left by a publish that did not finish: expired, its process gone, or unreadable. */
  | { kind: 'abandoned'; why: string; record?: LockRecord };

/** Whether a process of this host still runs (EPERM: it runs, as another user). */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Pure: what a lock record found in the bucket means now. */
export function judgeLock(text: string | undefined, now: Date, here: { host: string; isAlive: (pid: number) => boolean }): LockState {
  if (text === undefined) return { kind: 'free' };
  let record: LockRecord;
  try {
    record = JSON.parse(text) as LockRecord;
    if (typeof record.owner !== 'string' || typeof record.expires !== 'string') throw new Error('incomplete');
  } catch {
    return { kind: 'abandoned', why: 'its lock is unreadable' };
  }
  if (Date.parse(record.expires) <= now.getTime()) return { kind: 'abandoned', why: `its lock expired at ${record.expires}`, record };
  if (record.host === here.host && !here.isAlive(record.pid)) return { kind: 'abandoned', why: `its process ${record.pid} on ${record.host} is gone`, record };
  return { kind: 'held', record };
}

export async function readLockState(client: S3Client, bucket: string, prefix: string): Promise<LockState> {
  const text = await readTextObject(client, bucket, stateKey(prefix, LOCK_NAME));
  return judgeLock(text, new Date(), { host: os.hostname(), isAlive: processIsAlive });
}

function currentUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** Takes the lock, keeps it fresh while the publish runs, and gives it back. */
export class PublishLock {
  private readonly record: LockRecord;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly prefix: string,
  ) {
    const now = new Date();
    this.record = {
      owner: randomUUID(),
      user: currentUser(),
      host: os.hostname(),
      pid: process.pid,
      started: now.toISOString(),
      expires: new Date(now.getTime() + LOCK_TTL_MS).toISOString(),
    };
  }

  private get key(): string {
    return stateKey(this.prefix, LOCK_NAME);
  }

  /** Set when a refresh found the lock taken over (`--break-lock`) or removed: no longer refreshed, never written again. */
  private lostTo: LockRecord | 'removed' | undefined;

  private async write(): Promise<void> {
    this.record.expires = new Date(Date.now() + LOCK_TTL_MS).toISOString();
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: this.key, Body: Buffer.from(JSON.stringify(this.record)), ContentType: 'application/json; charset=utf-8', CacheControl: 'no-store' }),
    );
  }

  /** Writes the lock; undefined when we hold it, else the record of whoever overwrote it meanwhile. */
  async acquire(): Promise<LockRecord | undefined> {
    await this.write();
    const text = await readTextObject(this.client, this.bucket, this.key);
    const seen = text ? (JSON.parse(text) as LockRecord) : undefined;
    if (seen && seen.owner !== this.record.owner) return seen;
    this.timer = setInterval(() => {
      this.refresh().catch(() => {}); // a missed refresh only shortens the lock's life
    }, REFRESH_MS);
    this.timer.unref();
    return undefined;
  }

  /** Rewrites the lock only while it is still ours: a publish that broke it keeps it. */
  private async refresh(): Promise<void> {
    if ((await this.holder()) === undefined) await this.write();
  }

  /**
   * Undefined while the lock is ours; else who took it over (with `--break-lock`), or `removed`. Reads it from the
   * bucket unless a refresh already found it lost. Garage ignores conditional writes, so this is checked, not enforced.
   */
  async holder(): Promise<LockRecord | 'removed' | undefined> {
    if (this.lostTo) return this.lostTo;
    const text = await readTextObject(this.client, this.bucket, this.key);
    let seen: LockRecord | undefined;
    try {
      seen = text === undefined ? undefined : (JSON.parse(text) as LockRecord);
    } catch {
      seen = undefined;
    }
    if (seen?.owner === this.record.owner) return undefined;
    this.lostTo = seen ?? 'removed';
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    return this.lostTo;
  }

  /** Removes the lock if it is still ours. */
  async release(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.lostTo) return;
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.key }));
  }
}

/** Aborts the multipart uploads a killed publish left under the prefix; returns how many. */
export async function abortLeftoverUploads(client: S3Client, bucket: string, prefix: string): Promise<number> {
  let aborted = 0;
  let keyMarker: string | undefined;
  let uploadIdMarker: string | undefined;
  for (;;) {
    const page = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: prefix || undefined, KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker }));
    for (const upload of page.Uploads ?? []) {
      if (!upload.Key || !upload.UploadId) continue;
      await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: upload.Key, UploadId: upload.UploadId }));
      aborted++;
    }
    if (!page.IsTruncated) return aborted;
    keyMarker = page.NextKeyMarker;
    uploadIdMarker = page.NextUploadIdMarker;
  }
}

export function describeHolder(record: LockRecord): string {
  return `started ${record.started} by ${record.user}@${record.host}, pid ${record.pid}`;
}

/** The one-line refusal when another publish (or rollback) holds the lock. */
export function lockedError(bucket: string, prefix: string, record: LockRecord): FleuronError {
  return new FleuronError('locked', `another publish to s3://${bucket}/${prefix} is running (${describeHolder(record)})`, {
    hint: `wait for it to finish, or run with --break-lock if it is stale (the lock expires at ${record.expires})`,
  });
}

/** The failure of a publish whose lock another one took over (`--break-lock`) while it ran: it deletes nothing. */
export function lockLostError(bucket: string, prefix: string, holder: LockRecord | 'removed'): FleuronError {
  const by = holder === 'removed' ? 'was removed' : `was taken over by another publish (${describeHolder(holder)})`;
  return new FleuronError('lock-lost', `the publish lock of s3://${bucket}/${prefix} ${by} while this publish ran; it stopped before deleting anything`, {
    hint: 'let the other publish finish, then run this one again',
  });
}
