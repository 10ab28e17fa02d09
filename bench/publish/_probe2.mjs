import { S3Client } from '@aws-sdk/client-s3';
import { listPage } from '/work/wt/remote-speed/dist/s3/list-page.js';
const client = new S3Client({ endpoint: 'http://127.0.0.1:7491', region: 'garage', forcePathStyle: true, credentials: { accessKeyId: 'FLEURONTESTACCESSKEY', secretAccessKey: 'fleuron-test-secret-key-do-not-use-in-prod' } });
const bucket = process.argv[2];
const all = [];
{ let token; do { const p = await listPage(client, { Bucket: bucket, ContinuationToken: token, MaxKeys: 1000 }); all.push(...p.objects.map(o=>o.key)); token = p.isTruncated ? p.nextContinuationToken : undefined; } while (token); }
console.log('total', all.length);
for (const max of [300, 500, 900, 950, 1000]) {
let token, sizes = [];
do { const p = await listPage(client, { Bucket: bucket, ContinuationToken: token, MaxKeys: max }); sizes.push(p.objects.length); token = p.isTruncated ? p.nextContinuationToken : undefined; } while (token);
console.log(max, sizes.join(','));
}
// 1000-key pages starting at many offsets
const shorts = [];
for (let off = 0; off < all.length - 1000; off += 50) {
  const p = await listPage(client, { Bucket: bucket, StartAfter: off ? all[off-1] : undefined, MaxKeys: 1000 });
  shorts.push(p.objects.length);
}
console.log('from offsets every 50:', shorts.join(','));
