/** Hashes of an object body: the MD5 a single PUT gets as ETag, and the ETag of a multipart upload. */
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, fstatSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { FileStamp } from '../files/file-stamp.js';

/** Bodies above this size are uploaded in parts (and never gzipped). */
export const MULTIPART_THRESHOLD = 16 * 1024 * 1024;
/** Part size of multipart uploads; the multipart ETag depends on it. */
export const PART_SIZE = 8 * 1024 * 1024;

export type { FileStamp };

export interface BodyHash {
  size: number;
  md5: string;
  multipartEtag?: string;
}

/** A file's hash with the stamp of the version hashed; `fromCache` when it was not read. */
export interface HashedFile {
  stamp: FileStamp;
  hash: BodyHash;
  fromCache: boolean;
}

/**
 * `MD5(concat(binary MD5 of each part))-N`, the ETag S3 and Garage give a multipart upload.
 * Takes the binary MD5s of the parts.
 */
export function multipartEtagOf(partDigests: readonly Buffer[]): string {
  const outer = createHash('md5');
  for (const digest of partDigests) outer.update(digest);
  return `${outer.digest('hex')}-${partDigests.length}`;
}

/**
 * Gzip that gives the same bytes on every machine: no mtime (Node writes 0) and the OS byte fixed,
 * so a rebuild on another OS does not re-upload every compressed file.
 */
export function deterministicGzip(body: Buffer): Buffer {
  const compressed = gzipSync(body, { level: 9 });
  compressed[9] = 3;
  return compressed;
}

export function md5Hex(body: Buffer): string {
  return createHash('md5').update(body).digest('hex');
}

/**
 * Reads a small body whole (gzipped when asked). Synchronously: for thousands of small files one
 * blocking read each is several times faster than fs.promises' open/stat/read/close round trips.
 */
export async function readSmallBody(path: string, gzip: boolean): Promise<Buffer> {
  const raw = readFileSync(path);
  return gzip ? deterministicGzip(raw) : raw;
}

/** Hashes a file the way it will be stored. */
export async function hashFileBody(path: string, gzip: boolean): Promise<BodyHash> {
  return (await hashFile(path, gzip)).hash;
}

/**
 * Hashes a file the way it will be stored, unless `cached` knows the hash of this version (stamp).
 * Small files are read synchronously into one reused buffer: no Buffer per file for the garbage
 * collector, and the stamp comes from the open descriptor, so no separate stat call.
 */
export async function hashFile(path: string, gzip: boolean, cached?: (stamp: FileStamp) => BodyHash | undefined): Promise<HashedFile> {
  if (cached) {
    // One stat call for a file the cache knows, instead of open, fstat and close: most files of a re-publish.
    const info = statSync(path);
    const stamp = { size: info.size, mtimeMs: info.mtimeMs, ctimeMs: info.ctimeMs, ino: info.ino };
    const known = cached(stamp);
    if (known) return { stamp, hash: known, fromCache: true };
  }
  const fd = openSync(path, 'r');
  let stamp: FileStamp;
  let length = 0;
  try {
    const info = fstatSync(fd);
    stamp = { size: info.size, mtimeMs: info.mtimeMs, ctimeMs: info.ctimeMs, ino: info.ino };
    if (stamp.size <= MULTIPART_THRESHOLD) {
      if (scratch.length < stamp.size) scratch = Buffer.allocUnsafe(Math.max(stamp.size, scratch.length * 2));
      // A file that grows while read is hashed up to its size at open; the upload re-reads it.
      for (let read = -1; read !== 0 && length < stamp.size; length += read) read = readSync(fd, scratch, length, stamp.size - length, null);
    }
  } finally {
    closeSync(fd);
  }
  const hash = stamp.size > MULTIPART_THRESHOLD ? await hashLargeFile(path) : hashSmallBody(scratch.subarray(0, length), gzip);
  return { stamp, hash, fromCache: false };
}

function hashSmallBody(body: Buffer, gzip: boolean): BodyHash {
  const stored = gzip ? deterministicGzip(body) : body;
  return { size: stored.length, md5: md5Hex(stored) };
}

/** The read buffer of hashFileBody, grown to the largest small file seen (at most the threshold). */
let scratch = Buffer.allocUnsafe(256 * 1024);

/** One streaming pass: the whole-body MD5 and one MD5 per part. Memory stays at one chunk. */
async function hashLargeFile(path: string): Promise<BodyHash> {
  const whole = createHash('md5');
  const parts: Buffer[] = [];
  let part = createHash('md5');
  let inPart = 0;
  let size = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
    whole.update(chunk);
    size += chunk.length;
    let offset = 0;
    while (offset < chunk.length) {
      const take = Math.min(PART_SIZE - inPart, chunk.length - offset);
      part.update(chunk.subarray(offset, offset + take));
      inPart += take;
      offset += take;
      if (inPart === PART_SIZE) {
        parts.push(part.digest());
        part = createHash('md5');
        inPart = 0;
      }
    }
  }
  if (inPart > 0) parts.push(part.digest());
  return { size, md5: whole.digest('hex'), multipartEtag: multipartEtagOf(parts) };
}
