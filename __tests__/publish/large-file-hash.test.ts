import { CompleteMultipartUploadCommand, CreateMultipartUploadCommand, UploadPartCommand } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { compileHeaderPolicy } from '../../lib/headers/header-rules.js';
import { PART_SIZE } from '../../lib/publish/body-hash.js';
import { scanLocal } from '../../lib/publish/scan-local.js';
import { createTestBucket, headObject, testClient, testS3 } from '../support/test-s3.js';

/** Bytes this process has read through read(2) and friends so far (Linux), or undefined elsewhere. */
function bytesRead(): number | undefined {
  if (!existsSync('/proc/self/io')) return undefined;
  const match = /^rchar: (\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'));
  return match ? Number(match[1]) : undefined;
}

test('a large file is read once for its MD5 and its part MD5s, which give the ETag of a real multipart upload', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'large-hash-'));
  const size = 3 * PART_SIZE + 54_321; // 4 parts, the last one short
  const body = Buffer.alloc(size);
  for (let offset = 0; offset < size; offset += 4) body.writeUInt32LE((offset * 2654435761) >>> 0, Math.min(offset, size - 4));
  await writeFile(path.join(dir, 'video.mp4'), body);

  const before = bytesRead();
  const { files } = await scanLocal({ dir, prefix: '', policy: compileHeaderPolicy(), hashCache: false });
  const after = bytesRead();
  if (before !== undefined && after !== undefined) {
    // Once, not twice: a second pass for the parts would read another `size` bytes.
    expect(after - before).toBeGreaterThanOrEqual(size);
    expect(after - before).toBeLessThan(size * 1.5);
  }

  // A real multipart upload in parts of PART_SIZE: the server's MD5 of each part, and of the whole object.
  const bucket = await createTestBucket('large-hash');
  const client = testClient();
  const partEtags: string[] = [];
  try {
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'video.mp4', ContentType: 'video/mp4' }));
    for (let offset = 0, part = 1; offset < size; offset += PART_SIZE, part++) {
      const { ETag } = await client.send(new UploadPartCommand({ Bucket: bucket, Key: 'video.mp4', UploadId, PartNumber: part, Body: body.subarray(offset, offset + PART_SIZE) }));
      partEtags.push(ETag!.replace(/"/g, ''));
    }
    const Parts = partEtags.map((ETag, index) => ({ ETag, PartNumber: index + 1 }));
    await client.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'video.mp4', UploadId, MultipartUpload: { Parts } }));
  } finally {
    client.destroy();
  }
  const stored = (await headObject(bucket, 'video.mp4')).ETag?.replace(/"/g, '');
  const fromParts = `${createHash('md5').update(Buffer.concat(partEtags.map((etag) => Buffer.from(etag, 'hex')))).digest('hex')}-${partEtags.length}`;
  expect(files).toHaveLength(1);
  expect(files[0]!.size).toBe(size);
  expect(files[0]!.multipartEtag).toBe(fromParts);
  expect(files[0]!.multipartEtag).toMatch(/-4$/);
  // S3, Garage and Ceph give a multipart object the ETag of its parts; s3rver gives it the MD5 of the whole body.
  expect(stored).toBe(testS3().kind === 's3rver' ? files[0]!.md5 : files[0]!.multipartEtag);
});
