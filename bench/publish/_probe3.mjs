import { S3Client } from '@aws-sdk/client-s3';
import { listPage } from '/work/wt/remote-speed/dist/s3/list-page.js';
const client = new S3Client({ endpoint: 'http://127.0.0.1:7491', region: 'garage', forcePathStyle: true, credentials: { accessKeyId: 'FLEURONTESTACCESSKEY', secretAccessKey: 'fleuron-test-secret-key-do-not-use-in-prod' } });
const bucket = process.argv[2];
const all = [];
{ let token; do { const p = await listPage(client, { Bucket: bucket, ContinuationToken: token, MaxKeys: 1000 }); all.push(...p.objects.map(o=>o.key)); token = p.isTruncated ? p.nextContinuationToken : undefined; } while (token); }
const sizes = [];
for (let off = 0; off < all.length - 1000; off += 37) {
  const p = await listPage(client, { Bucket: bucket, StartAfter: off ? all[off-1] : undefined, MaxKeys: 1000 });
  sizes.push(p.objects.length);
}
sizes.sort((a,b)=>a-b);
const q = (f) => sizes[Math.floor(f * (sizes.length-1))];
console.log('n', sizes.length, 'min', sizes[0], 'p1', q(0.01), 'p5', q(0.05), 'p10', q(0.1), 'p25', q(0.25), 'p50', q(0.5), 'full', sizes.filter(s=>s===1000).length);
for (const t of [880, 900, 910, 920, 930, 940, 950]) console.log(t, 'short fraction', (sizes.filter(s => s < t + 3).length / sizes.length).toFixed(3));
