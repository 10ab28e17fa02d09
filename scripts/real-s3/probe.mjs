// Probe the S3 behaviours a site publisher depends on, against the server described by the
// FLEURON_TEST_S3_* variables (as written by ceph-start.sh), and print one line per behaviour.
//   bash scripts/real-s3/ceph-start.sh && (set -a; . /tmp/fleuron-ceph/env; node scripts/real-s3/probe.mjs)
// Uses the project's own @aws-sdk/client-s3 (the client fleuron uses) and fetch for the website
// endpoint. Creates a bucket named fleuron-probe-<time>; it is left behind (the server is throwaway).
import { createHash } from 'node:crypto';
import http from 'node:http';
import {
  S3Client, CreateBucketCommand, PutObjectCommand, HeadObjectCommand, ListObjectsV2Command,
  CopyObjectCommand, DeleteObjectsCommand, PutBucketWebsiteCommand, PutBucketPolicyCommand,
  PutBucketLifecycleConfigurationCommand, CreateMultipartUploadCommand, UploadPartCommand,
  CompleteMultipartUploadCommand, AbortMultipartUploadCommand, GetObjectCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';

const env = process.env;
for (const v of ['FLEURON_TEST_S3_ENDPOINT', 'FLEURON_TEST_S3_ACCESS_KEY_ID', 'FLEURON_TEST_S3_SECRET_ACCESS_KEY']) {
  if (!env[v]) { console.error(`probe: ${v} is not set (source the env file ceph-start.sh wrote)`); process.exit(2); }
}
const region = env.FLEURON_TEST_S3_REGION || 'garage';
const client = (secret = env.FLEURON_TEST_S3_SECRET_ACCESS_KEY, accessKeyId = env.FLEURON_TEST_S3_ACCESS_KEY_ID) =>
  new S3Client({
    endpoint: env.FLEURON_TEST_S3_ENDPOINT, region, forcePathStyle: true,
    credentials: { accessKeyId, secretAccessKey: secret },
    requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED',
  });
const s3 = client();
const Bucket = `fleuron-probe-${Date.now()}`;
const md5 = (b) => createHash('md5').update(b).digest();
const errOf = async (p) => { try { await p; return 'accepted'; } catch (e) { return `${e.name} (HTTP ${e.$metadata?.httpStatusCode})`; } };
const row = (what, seen) => console.log(`${what.padEnd(62)} | ${seen}`);

// Not fetch(): undici drops a Host header silently, so the request would reach the S3 API instead.
// One connection per request: RGW's own HTML error pages carry a Content-Length shorter than the
// body, which breaks a kept-alive connection (Node: HPE_INVALID_CONSTANT).
function web(path, init = {}) {
  const host = `${Bucket}.${env.FLEURON_TEST_S3_WEBSITE_HOST_SUFFIX}`;
  const u = new URL(env.FLEURON_TEST_S3_WEBSITE_ENDPOINT);
  return new Promise((resolve) => {
    let head;
    const req = http.request({ hostname: u.hostname, port: u.port || 80, path, method: init.method || 'GET', agent: false, headers: { host, connection: 'close', ...(init.headers || {}) } }, (res) => {
      head = { status: res.statusCode, location: res.headers.location, type: res.headers['content-type'], etag: res.headers.etag };
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ ...head, body: Buffer.concat(chunks).toString() }));
    });
    // RGW sometimes sends bytes after the response it announced (see README): Node then fails
    // the request after having parsed the response head.
    req.on('error', (e) => resolve(head ? { ...head, status: `${head.status} (then ${e.code})`, body: '' } : { status: `unparsable (${e.code})`, body: '' }));
    req.end();
  });
}
const html = (s) => ({ Body: Buffer.from(s), ContentType: 'text/html; charset=utf-8' });

row('CreateBucket (SDK adds LocationConstraint=region)', await errOf(s3.send(new CreateBucketCommand({ Bucket }))));
row('wrong secret', await errOf(client('wrong-secret').send(new ListObjectsV2Command({ Bucket }))));
row('unknown access key', await errOf(client('x', 'NOSUCHKEY').send(new ListObjectsV2Command({ Bucket }))));
if (env.FLEURON_TEST_S3_OTHER_ACCESS_KEY_ID) {
  row('valid key of another user', await errOf(client(env.FLEURON_TEST_S3_OTHER_SECRET_ACCESS_KEY, env.FLEURON_TEST_S3_OTHER_ACCESS_KEY_ID).send(new ListObjectsV2Command({ Bucket }))));
}
row('signing region us-east-1 instead of ' + region, await errOf(new S3Client({ endpoint: env.FLEURON_TEST_S3_ENDPOINT, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: env.FLEURON_TEST_S3_ACCESS_KEY_ID, secretAccessKey: env.FLEURON_TEST_S3_SECRET_ACCESS_KEY } }).send(new ListObjectsV2Command({ Bucket }))));

// headers
const put = await s3.send(new PutObjectCommand({ Bucket, Key: 'a.css', Body: Buffer.from('a{}'), ContentType: 'text/css; charset=utf-8', CacheControl: 'max-age=60', ContentEncoding: 'identity', ContentLanguage: 'fr', Metadata: { m: '1' } }));
let h = await s3.send(new HeadObjectCommand({ Bucket, Key: 'a.css' }));
row('PutObject ETag = MD5 of body', String(put.ETag === `"${md5(Buffer.from('a{}')).toString('hex')}"`));
row('HEAD Content-Type / Cache-Control / Content-Encoding', `${h.ContentType} / ${h.CacheControl} / ${h.ContentEncoding}`);
await s3.send(new PutObjectCommand({ Bucket, Key: 'no-type', Body: Buffer.from('x') }));
h = await s3.send(new HeadObjectCommand({ Bucket, Key: 'no-type' }));
row('Content-Type when none is sent', String(h.ContentType));
const cp = await s3.send(new CopyObjectCommand({ Bucket, Key: 'a.css', CopySource: `${Bucket}/a.css`, MetadataDirective: 'REPLACE', ContentType: 'text/plain', CacheControl: 'no-cache' }));
h = await s3.send(new HeadObjectCommand({ Bucket, Key: 'a.css' }));
row('CopyObject REPLACE onto itself: new headers', `${h.ContentType} / ${h.CacheControl} / meta ${JSON.stringify(h.Metadata)}`);
row('CopyObject ETag as returned', JSON.stringify(cp.CopyObjectResult?.ETag));
row('CopyObject onto itself without REPLACE', await errOf(s3.send(new CopyObjectCommand({ Bucket, Key: 'a.css', CopySource: `${Bucket}/a.css` }))));

// multipart
const big = Buffer.alloc(20 * 1000 * 1000);
for (let i = 0; i < big.length; i++) big[i] = (i * 7919) & 255;
const part = 8 * 1024 * 1024;
const up = await new Upload({ client: s3, params: { Bucket, Key: 'big.bin', Body: big, ContentType: 'application/octet-stream' }, partSize: part }).done();
h = await s3.send(new HeadObjectCommand({ Bucket, Key: 'big.bin' }));
const parts = []; for (let o = 0; o < big.length; o += part) parts.push(md5(big.subarray(o, o + part)));
const want = `"${md5(Buffer.concat(parts)).toString('hex')}-${parts.length}"`;
row('multipart 20 MB / 8 MiB parts: HEAD ETag = md5-of-parts-N', `${h.ETag === want} (${h.ETag})`);
row('lib-storage Upload.done() ETag', JSON.stringify(up.ETag));
const mp = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'small-parts' }));
const p1 = await s3.send(new UploadPartCommand({ Bucket, Key: 'small-parts', UploadId: mp.UploadId, PartNumber: 1, Body: Buffer.alloc(1024 * 1024, 1) }));
const p2 = await s3.send(new UploadPartCommand({ Bucket, Key: 'small-parts', UploadId: mp.UploadId, PartNumber: 2, Body: Buffer.alloc(10, 2) }));
row('multipart with a 1 MiB non-last part', await errOf(s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: 'small-parts', UploadId: mp.UploadId, MultipartUpload: { Parts: [{ ETag: p1.ETag, PartNumber: 1 }, { ETag: p2.ETag, PartNumber: 2 }] } }))));
await s3.send(new AbortMultipartUploadCommand({ Bucket, Key: 'small-parts', UploadId: mp.UploadId })).catch(() => {});
const cpBig = await s3.send(new CopyObjectCommand({ Bucket, Key: 'big.bin', CopySource: `${Bucket}/big.bin`, MetadataDirective: 'REPLACE', ContentType: 'application/x-big' }));
h = await s3.send(new HeadObjectCommand({ Bucket, Key: 'big.bin' }));
row('CopyObject REPLACE of a multipart object: ETag after', `${h.ETag} (copy said ${cpBig.CopyObjectResult?.ETag})`);

// listing
const keys = []; for (let i = 0; i < 12; i++) keys.push(`p/${i}/index.html`, `p/${i}-2/index.html`);
await Promise.all(keys.map((Key) => s3.send(new PutObjectCommand({ Bucket, Key, ...html(Key) }))));
let token; const seen = []; let pages = 0;
do {
  const r = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'p/', MaxKeys: 10, ContinuationToken: token }));
  pages++; seen.push(...(r.Contents || []).map((c) => c.Key)); token = r.IsTruncated ? r.NextContinuationToken : undefined;
  if (pages === 1) row('ListObjectsV2 page 1: KeyCount / IsTruncated / token', `${r.KeyCount} / ${r.IsTruncated} / ${JSON.stringify(r.NextContinuationToken)}`);
} while (token);
const sorted = [...seen].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
row('ListObjectsV2 MaxKeys=10 over 24 keys', `${pages} pages, ${new Set(seen).size} keys, byte order: ${JSON.stringify(seen) === JSON.stringify(sorted)}`);

// DeleteObjects (the SDK always sends a checksum for it; RGW accepts CRC32 and Content-MD5, see README)
const d = await s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: 'p/0/index.html' }, { Key: 'p/1/index.html' }, { Key: 'never-existed' }] } }));
row('DeleteObjects (3 keys, 1 missing)', `deleted ${d.Deleted?.length ?? 0}, errors ${d.Errors?.length ?? 0}`);

// odd keys
const odd = ['odd/a b.html', 'odd/é.html', 'odd/plus+sign.html', 'odd/q?x.html', 'odd/hash#1.html', 'odd/pct%41.html'];
for (const Key of odd) await s3.send(new PutObjectCommand({ Bucket, Key, ...html(Key) }));
const oddBack = await Promise.all(odd.map((Key) => s3.send(new GetObjectCommand({ Bucket, Key })).then(async (r) => (await r.Body.transformToString()) === Key, () => false)));
row('odd keys round-trip through the API', oddBack.every(Boolean) ? 'all' : odd.filter((_, i) => !oddBack[i]).join(', '));

// website
await s3.send(new PutObjectCommand({ Bucket, Key: 'index.html', ...html('home'), CacheControl: 'max-age=60' }));
await s3.send(new PutObjectCommand({ Bucket, Key: 'docs/index.html', ...html('docs') }));
await s3.send(new PutObjectCommand({ Bucket, Key: '404.html', ...html('not found page') }));
await s3.send(new PutObjectCommand({ Bucket, Key: 'old.html', ...html('old'), WebsiteRedirectLocation: '/docs/' }));
row('PutBucketWebsite index+error', await errOf(s3.send(new PutBucketWebsiteCommand({ Bucket, WebsiteConfiguration: { IndexDocument: { Suffix: 'index.html' }, ErrorDocument: { Key: '404.html' } } }))));
let w = await web('/');
row('website GET / before any bucket policy', `${w.status}`);
const policy = (actions, res) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: actions, Resource: res }] });
await s3.send(new PutBucketPolicyCommand({ Bucket, Policy: policy(['s3:GetObject'], [`arn:aws:s3:::${Bucket}/*`]) }));
w = await web('/nope');
row('website GET /nope, policy with s3:GetObject only', `${w.status} body=${JSON.stringify(w.body.slice(0, 20))}`);
await s3.send(new PutBucketPolicyCommand({ Bucket, Policy: policy(['s3:GetObject', 's3:ListBucket'], [`arn:aws:s3:::${Bucket}`, `arn:aws:s3:::${Bucket}/*`]) }));
for (const p of ['/', '/docs/', '/docs', '/nope', '/docs/nope.html', '/old.html', '/odd/a%20b.html', '/odd/%C3%A9.html', '/odd/plus%2Bsign.html', '/odd/q%3Fx.html', '/odd/hash%231.html', '/odd/pct%2541.html']) {
  w = await web(p);
  row(`website GET ${p} (GetObject+ListBucket policy)`, `${w.status}${w.location ? ' Location: ' + w.location : ''} ${w.type ?? ''} body=${JSON.stringify(w.body.slice(0, 20))}`);
}
w = await web('/nope', { method: 'HEAD' });
row('website HEAD /nope', `${w.status}`);
w = await web('/');
const w304 = await web('/', { headers: { 'if-none-match': w.etag } });
row('website GET / with If-None-Match: <etag>', `${w304.status}`);
const wr = await web('/', { headers: { range: 'bytes=0-1' } });
row('website GET / with Range: bytes=0-1', `${wr.status} body=${JSON.stringify(wr.body)}`);
row('website POST /', `${(await web('/', { method: 'POST' })).status}`);

row('PutBucketWebsite with RoutingRules', await errOf(s3.send(new PutBucketWebsiteCommand({ Bucket, WebsiteConfiguration: {
  IndexDocument: { Suffix: 'index.html' }, ErrorDocument: { Key: '404.html' },
  RoutingRules: [{ Condition: { KeyPrefixEquals: 'old-docs/' }, Redirect: { ReplaceKeyPrefixWith: 'docs/', HttpRedirectCode: '301' } }],
} }))));
for (const p of ['/old-docs/', '/old-docs/page.html', '/old-docs']) {
  w = await web(p);
  row(`website GET ${p} (rule old-docs/ -> docs/, 301)`, `${w.status} Location: ${w.location}`);
}
row('PutBucketLifecycleConfiguration Expiration, And/Prefix filter', await errOf(s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules: [
  { ID: 'tmp', Status: 'Enabled', Filter: { And: { Prefix: 'tmp/' } }, Expiration: { Days: 1 } },
  { ID: 'mpu', Status: 'Enabled', Filter: { Prefix: '' }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } },
] } }))));
row('PutObject with x-amz-acl: public-read', await errOf(s3.send(new PutObjectCommand({ Bucket, Key: 'acl', Body: Buffer.from('x'), ACL: 'public-read' }))));
