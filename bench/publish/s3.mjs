/** Direct access to the embedded S3 server (not through the proxy): buckets and correctness checks. */
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { walk } from './generate.mjs';
import { CREDENTIALS } from './tools.mjs';

export function directClient(endpoint) {
  return new S3Client({
    endpoint,
    region: 'garage',
    forcePathStyle: true,
    credentials: { accessKeyId: CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: CREDENTIALS.AWS_SECRET_ACCESS_KEY },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

export async function createBucket(client, bucket) {
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
}

/** Every object of the bucket: Map key → { size, etag } (listing order is not trusted). */
export async function listBucket(client, bucket) {
  const objects = new Map();
  let token;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token, MaxKeys: 1000 }));
    for (const item of page.Contents ?? []) objects.set(item.Key, { size: item.Size ?? 0, etag: (item.ETag ?? '').replace(/"/g, '').toLowerCase() });
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return objects;
}

async function md5OfFile(file, size) {
  if (size < 64 * 1024 * 1024) return createHash('md5').update(readFileSync(file)).digest('hex');
  const hash = createHash('md5');
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk);
  return hash.digest('hex');
}

/** Map key → { size, md5 } of the folder. */
export async function indexFolder(dir) {
  const index = new Map();
  for (const key of walk(dir)) {
    const file = path.join(dir, key);
    const size = statSync(file).size;
    index.set(key.normalize('NFC'), { size, md5: await md5OfFile(file, size) });
  }
  return index;
}

/**
 * Compares the bucket with the folder: keys, sizes, and content (the ETag is the MD5 on s3rver, also
 * for multipart uploads; an `-N` ETag is compared by size only). `.fleuron/` (fleuron's manifest) is
 * not site content.
 */
export function compare(remote, local) {
  const missing = [];
  const extra = [];
  const wrongSize = [];
  const wrongContent = [];
  for (const [key, want] of local) {
    const got = remote.get(key);
    if (!got) missing.push(key);
    else if (got.size !== want.size) wrongSize.push(`${key} (${got.size} ≠ ${want.size})`);
    else if (!got.etag.includes('-') && got.etag !== want.md5) wrongContent.push(key);
  }
  for (const key of remote.keys()) if (!local.has(key) && !key.startsWith('.fleuron/')) extra.push(key);
  const ok = missing.length + extra.length + wrongSize.length + wrongContent.length === 0;
  const sample = (list) => list.slice(0, 3);
  return {
    ok,
    localFiles: local.size,
    remoteObjects: remote.size,
    missing: missing.length,
    extra: extra.length,
    wrongSize: wrongSize.length,
    wrongContent: wrongContent.length,
    examples: ok ? undefined : { missing: sample(missing), extra: sample(extra), wrongSize: sample(wrongSize), wrongContent: sample(wrongContent) },
  };
}
