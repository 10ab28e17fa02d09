/** Hashes of an object body: the MD5 a single PUT gets as ETag, and the ETag of a multipart upload. */
import * as crypto from 'node:crypto';
import { createHash, type Hash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readFileSync, readSync, type Stats } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { stampFrom, type FileStamp } from '../files/file-stamp.js';

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

/** A file's hash with the stamp of the version hashed. */
export interface HashedFile {
  stamp: FileStamp;
  hash: BodyHash;
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

/**
 * Node 20.12+'s one-shot `crypto.hash`: no Hash object per body. For 10,000 bodies of 10 KB it took 178 ms of CPU
 * where createHash took 242 ms (MD5 itself ~155 ms). Read off the namespace so that an older Node falls back.
 */
const oneShotHash = (crypto as { hash?: (algorithm: string, data: Buffer, encoding: 'hex') => string }).hash;

export function md5Hex(body: Buffer): string {
  return oneShotHash ? oneShotHash('md5', body, 'hex') : createHash('md5').update(body).digest('hex');
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
  return hashFile(path, gzip).hash;
}

/**
 * Hashes a file the way it will be stored, with the stamp of the version read (from the open descriptor: no
 * separate stat call). Small files are read synchronously into one reused buffer: no Buffer per file for the
 * garbage collector; large ones in one pass of reused chunks.
 */
export function hashFile(path: string, gzip: boolean): HashedFile {
  return hashFileUnless(path, gzip, () => false)!;
}

/**
 * As hashFile, but undefined, the file not read, when `unchanged` says its stamp (from the open descriptor) is one
 * already hashed: for a file that likely changed, one open and fstat instead of a stat, then an open and fstat.
 */
export function hashFileUnless(path: string, gzip: boolean, unchanged: (info: Stats) => boolean): HashedFile | undefined {
  const fd = openSync(path, 'r');
  try {
    const info = fstatSync(fd);
    if (unchanged(info)) return undefined;
    const stamp = stampFrom(info);
    const hash = stamp.size > MULTIPART_THRESHOLD ? hashLargeFile(fd) : hashSmallBody(readWhole(fd, stamp.size), gzip);
    return { stamp, hash };
  } finally {
    closeSync(fd);
  }
}

/** The first `size` bytes of an open file, in the reused read buffer (valid until the next read). */
function readWhole(fd: number, size: number): Buffer {
  if (scratch.length < size) scratch = Buffer.allocUnsafe(Math.max(size, scratch.length * 2));
  let length = 0;
  // A file that grows while read is hashed up to its size at open; the upload re-reads it.
  for (let read = -1; read !== 0 && length < size; length += read) read = readSync(fd, scratch, length, size - length, null);
  return scratch.subarray(0, length);
}

function hashSmallBody(body: Buffer, gzip: boolean): BodyHash {
  const stored = gzip ? deterministicGzip(body) : body;
  return { size: stored.length, md5: md5Hex(stored) };
}

/** The read buffer of hashFile, grown to the largest small file seen (at most the threshold). */
let scratch = Buffer.allocUnsafe(256 * 1024);
/** Chunk of a large file's single pass: a divisor of PART_SIZE, so a full chunk never straddles two parts. */
const LARGE_CHUNK = 1024 * 1024;

/**
 * One pass over an open large file: each chunk read once feeds both the whole-body MD5 and its part's MD5.
 * Synchronous reads into one reused chunk (this runs in a hashing thread, or for a single file): memory stays at
 * one chunk whatever the file's size. The first part's MD5 is not computed apart: MD5 goes block by block, so the
 * whole body's MD5 after the first PART_SIZE bytes is that part's MD5 before its end (`copy()` then `digest()`).
 * That is one part less of MD5 per large file (8 MiB, ~13 ms), of the two passes MD5 makes over it.
 */
function hashLargeFile(fd: number): BodyHash {
  const whole = createHash('md5');
  const parts: Buffer[] = [];
  const chunk = Buffer.allocUnsafe(LARGE_CHUNK);
  // undefined while in the first part: `whole` is that part's hash too.
  let part: Hash | undefined;
  let inPart = 0;
  let size = 0;
  for (let read = readSync(fd, chunk, 0, LARGE_CHUNK, null); read > 0; read = readSync(fd, chunk, 0, LARGE_CHUNK, null)) {
    size += read;
    let offset = 0;
    // A short read can leave a chunk across two parts: each piece goes to the whole and to its own part.
    while (offset < read) {
      const take = Math.min(PART_SIZE - inPart, read - offset);
      const piece = chunk.subarray(offset, offset + take);
      whole.update(piece);
      part?.update(piece);
      inPart += take;
      offset += take;
      if (inPart === PART_SIZE) {
        parts.push(part ? part.digest() : whole.copy().digest());
        part = createHash('md5');
        inPart = 0;
      }
    }
  }
  if (inPart > 0) parts.push(part ? part.digest() : whole.copy().digest());
  return { size, md5: whole.digest('hex'), multipartEtag: multipartEtagOf(parts) };
}
