/** Hashes of an object body: the MD5 a single PUT gets as ETag, and the ETag of a multipart upload. */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
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
 * Hashes a file the way it will be stored, with the stamp of the version read (from the open descriptor: no
 * separate stat call). Small files are read synchronously into one reused buffer: no Buffer per file for the
 * garbage collector; large ones in one pass of reused chunks.
 */
export async function hashFile(path: string, gzip: boolean): Promise<HashedFile> {
  const fd = openSync(path, 'r');
  try {
    const info = fstatSync(fd);
    const stamp = { size: info.size, mtimeMs: info.mtimeMs, ctimeMs: info.ctimeMs, ino: info.ino };
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
/** Chunk of a large file's single pass: a divisor of PART_SIZE, so a chunk never straddles two parts. */
const LARGE_CHUNK = 1024 * 1024;

/**
 * One pass over an open large file: each chunk read once feeds both the whole-body MD5 and its part's MD5.
 * Synchronous reads into one reused chunk (this runs in a hashing thread, or for a single file): memory stays at
 * one chunk whatever the file's size.
 */
function hashLargeFile(fd: number): BodyHash {
  const whole = createHash('md5');
  const parts: Buffer[] = [];
  const chunk = Buffer.allocUnsafe(LARGE_CHUNK);
  let part = createHash('md5');
  let inPart = 0;
  let size = 0;
  for (let read = readSync(fd, chunk, 0, LARGE_CHUNK, null); read > 0; read = readSync(fd, chunk, 0, LARGE_CHUNK, null)) {
    const bytes = chunk.subarray(0, read);
    whole.update(bytes);
    size += read;
    let offset = 0;
    while (offset < read) {
      const take = Math.min(PART_SIZE - inPart, read - offset);
      part.update(bytes.subarray(offset, offset + take));
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
