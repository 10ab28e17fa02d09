/**
 * The advisory publish lock: `<prefix>.fleuron/lock.json`, holding who publishes and until when.
 * Garage ignores conditional PUTs, so two publishes starting in the same instant can both win: the
 * lock stops the common case (a second CI job, a member publishing during a deploy), not every race.
 * Every key of a website bucket is public: the lock names no user and no host, only a random id,
 * an optional label the user chose, and an opaque id of the machine and process.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import { FleuronError, usageError } from '../errors/fleuron-error.js';
import type { S3Requests } from '../s3/s3-requests.js';
import { s3Sdk } from '../s3/sdk.js';
import { LOCK_NAME, stateKey } from './state-keys.js';

/** A lock not refreshed for this long is abandoned. */
export const LOCK_TTL_MS = 2 * 60_000;
const REFRESH_MS = 30_000;
const MAX_LABEL_LENGTH = 64;

/** Which process holds the lock, in terms no other machine (or container) can share. */
export interface ProcessIdentity {
  /** Hash of the kernel's boot id and the pid namespace: equal only where the pid means the same process. */
  machine: string;
  pid: number;
  /** The process's start time (clock ticks since boot): a pid reused by another process differs. */
  start: string;
}

export interface LockRecord {
  /** Random, one per publish. */
  owner: string;
  /** Chosen by the user (FLEURON_LOCK_LABEL, --lock-label), to say who publishes. */
  label?: string;
  /** Missing where the machine cannot be identified (not Linux): the lock then ends only by expiry. */
  process?: ProcessIdentity;
  started: string;
  expires: string;
}

export type LockState =
  | { kind: 'free' }
  | { kind: 'held'; record: LockRecord }
  /** Left by a publish that did not finish: expired, its process gone, or unreadable. */
  | { kind: 'abandoned'; why: string; record?: LockRecord };

/** Where a liveness check can be trusted: this machine's id, and a check of pid + start time. */
export interface LivenessProbe {
  machine: string | undefined;
  isAlive: (pid: number, start: string) => boolean;
}

/** The start time of a process from /proc (field 22 of its stat line), or undefined when it does not exist. */
function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its closing one.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

let identity: ProcessIdentity | null | undefined;

/**
 * This process, identified by what another machine or container cannot share: the boot id (containers of one
 * host share it) with the pid namespace (they do not), the pid and its start time. Undefined off Linux.
 */
export function thisProcess(): ProcessIdentity | undefined {
  if (identity === undefined) {
    try {
      const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
      const namespace = readlinkSync('/proc/self/ns/pid');
      const start = processStart(process.pid);
      identity = start === undefined ? null : { machine: createHash('sha256').update(`${boot}\n${namespace}`).digest('hex').slice(0, 16), pid: process.pid, start };
    } catch {
      identity = null;
    }
  }
  return identity ?? undefined;
}

/** This machine's probe: pid and start time through /proc. */
export function localProbe(): LivenessProbe {
  return { machine: thisProcess()?.machine, isAlive: (pid, start) => processStart(pid) === start };
}

/** Pure: what a lock record found in the bucket means now. */
export function judgeLock(text: string | undefined, now: Date, here: LivenessProbe): LockState {
  if (text === undefined) return { kind: 'free' };
  let record: LockRecord;
  try {
    record = JSON.parse(text) as LockRecord;
    if (typeof record.owner !== 'string' || typeof record.expires !== 'string') throw new Error('incomplete');
  } catch {
    return { kind: 'abandoned', why: 'its lock is unreadable' };
  }
  if (Date.parse(record.expires) <= now.getTime()) return { kind: 'abandoned', why: `its lock expired at ${record.expires}`, record };
  const holder = record.process;
  // Only on the same machine and pid namespace does a pid mean the same process; elsewhere the lease decides.
  if (holder && here.machine !== undefined && holder.machine === here.machine && !here.isAlive(holder.pid, String(holder.start))) {
    return { kind: 'abandoned', why: 'its process is gone', record };
  }
  return { kind: 'held', record };
}

export async function readLockState(requests: S3Requests, bucket: string, prefix: string): Promise<LockState> {
  const text = await requests.readText(bucket, stateKey(prefix, LOCK_NAME));
  return judgeLock(text, new Date(), localProbe());
}

/** A label is shown to whoever meets the lock (and to anyone who reads the public bucket): short, printable. */
export function checkLockLabel(label: string | undefined): string | undefined {
  if (label === undefined || label === '') return undefined;
  if (label.length > MAX_LABEL_LENGTH || /[\u0000-\u001f\u007f-\u009f]/.test(label)) {
    throw usageError('bad-lock-label', `the lock label must be printable text of at most ${MAX_LABEL_LENGTH} characters`, 'e.g. FLEURON_LOCK_LABEL="CI main"; it is readable by anyone who can read the bucket');
  }
  return label;
}

/** The record a new lock holds. */
export function newLockRecord(now: Date, label?: string): LockRecord {
  const holder = thisProcess();
  return {
    owner: randomUUID(),
    ...(label ? { label } : {}),
    ...(holder ? { process: holder } : {}),
    started: now.toISOString(),
    expires: new Date(now.getTime() + LOCK_TTL_MS).toISOString(),
  };
}

/** Takes the lock, keeps it fresh while the publish runs, and gives it back. */
export class PublishLock {
  private readonly record: LockRecord;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly requests: S3Requests,
    private readonly bucket: string,
    private readonly prefix: string,
    label?: string,
  ) {
    this.record = newLockRecord(new Date(), label);
  }

  private get key(): string {
    return stateKey(this.prefix, LOCK_NAME);
  }

  /** Set when a refresh found the lock taken over (`--break-lock`) or removed: no longer refreshed, never written again. */
  private lostTo: LockRecord | 'removed' | undefined;
  /** When the lock was last read back as ours (performance.now()). */
  private confirmedAt = -Infinity;

  private async write(): Promise<void> {
    this.record.expires = new Date(Date.now() + LOCK_TTL_MS).toISOString();
    await this.requests.putObject({ Bucket: this.bucket, Key: this.key, Body: Buffer.from(JSON.stringify(this.record)), ContentType: 'application/json; charset=utf-8', CacheControl: 'no-store' });
  }

  /** Writes the lock; undefined when we hold it, else the record of whoever overwrote it meanwhile. */
  async acquire(): Promise<LockRecord | undefined> {
    // Two round trips in a row, on purpose: the lock is read back after it is written, because Garage ignores
    // conditional writes and the last writer of two publishes started together is the one that holds it.
    await this.write();
    const text = await this.requests.readText(this.bucket, this.key);
    const seen = text ? (JSON.parse(text) as LockRecord) : undefined;
    if (seen && seen.owner !== this.record.owner) return seen;
    this.confirmedAt = performance.now();
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
   * bucket unless a refresh already found it lost, or it was read back as ours less than `confirmedWithinMs` ago.
   * Garage ignores conditional writes, so this is checked, not enforced: a takeover just after a check goes unseen
   * whenever the check was made.
   */
  async holder(confirmedWithinMs = 0): Promise<LockRecord | 'removed' | undefined> {
    if (this.lostTo) return this.lostTo;
    if (performance.now() - this.confirmedAt < confirmedWithinMs) return undefined;
    const text = await this.requests.readText(this.bucket, this.key);
    let seen: LockRecord | undefined;
    try {
      seen = text === undefined ? undefined : (JSON.parse(text) as LockRecord);
    } catch {
      seen = undefined;
    }
    if (seen?.owner === this.record.owner) {
      this.confirmedAt = performance.now();
      return undefined;
    }
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
    await this.requests.deleteObject(this.bucket, this.key);
  }
}

/** Aborts the multipart uploads a killed publish left under the prefix; returns how many. */
export async function abortLeftoverUploads(client: S3Client, bucket: string, prefix: string): Promise<number> {
  let aborted = 0;
  // By hand: the SDK has paginators for ListObjectsV2 and ListParts, none for ListMultipartUploads (two markers).
  let keyMarker: string | undefined;
  let uploadIdMarker: string | undefined;
  const { AbortMultipartUploadCommand, ListMultipartUploadsCommand } = await s3Sdk();
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
  const label = typeof record.label === 'string' ? ` by "${record.label.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?')}"` : '';
  return `started ${record.started}${label}, lock ${String(record.owner).slice(0, 8)}`;
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

export interface LockTarget {
  requests: S3Requests;
  bucket: string;
  prefix: string;
  label?: string;
}

/**
 * Runs `work` holding the publish lock: takes it (refusing when another publish took it meanwhile), keeps it fresh,
 * and gives it back whatever happens. What was found before (a held or abandoned lock) is the caller's to judge.
 */
export async function withPublishLock<T>(target: LockTarget, work: (lock: PublishLock) => Promise<T>): Promise<T> {
  return holdingLock(acquirePublishLock(target), work);
}

/** Takes the lock, refusing when another publish took it meanwhile. */
export async function acquirePublishLock(target: LockTarget): Promise<PublishLock> {
  const lock = new PublishLock(target.requests, target.bucket, target.prefix, target.label);
  const other = await lock.acquire();
  if (other) throw lockedError(target.bucket, target.prefix, other);
  return lock;
}

/** Runs `work` holding a lock being taken (acquirePublishLock), and gives it back whatever happens. */
export async function holdingLock<T>(taking: Promise<PublishLock>, work: (lock: PublishLock) => Promise<T>): Promise<T> {
  const lock = await taking;
  try {
    return await work(lock);
  } finally {
    await lock.release().catch(() => {}); // an unreleased lock expires by itself
  }
}
