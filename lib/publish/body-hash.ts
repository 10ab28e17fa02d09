/** Hashes of an object body: the MD5 a single PUT gets as ETag, and the ETag of a multipart upload. */
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

/** Bodies above this size are uploaded in parts (and never gzipped). */
export const MULTIPART_THRESHOLD = 16 * 1024 * 1024;
/** Part size of multipart uploads; the multipart ETag depends on it. */
export const PART_SIZE = 8 * 1024 * 1024;

export interface BodyHash {
  size: number;
  md5: string;
  multipartEtag?: string;
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

/** Hashes a file the way it will be stored. `size` is the file size from the scan. */
export async function hashFileBody(path: string, size: number, gzip: boolean): Promise<BodyHash> {
  if (size <= MULTIPART_THRESHOLD) {
    const body = await readSmallBody(path, gzip);
    return { size: body.length, md5: md5Hex(body) };
  }
  return hashLargeFile(path);
}

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
