/**
 * CPU per small PUT: the S3 client (as fleuron sets it up) against the signed PUT (lib/s3/signed-put.ts), in
 * alternating batches of 200 PUTs 16 at a time, to an existing bucket. Needs `npm run build`.
 *
 *   node bench/publish/put-cost.mjs [--endpoint http://127.0.0.1:7491] [--bucket NAME]   (keys: AWS_ACCESS_KEY_ID/...)
 */
import { createS3Connection } from '../../dist/s3/client.js';
import { smallPutter } from '../../dist/s3/signed-put.js';
import { RequestCounter } from '../../dist/s3/request-counter.js';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import pMap from 'p-map';
import { createHash } from 'node:crypto';
const option = (name, fallback) => (process.argv.includes(`--${name}`) ? process.argv[process.argv.indexOf(`--${name}`) + 1] : fallback);
const bucket = option('bucket', 'prbench');
const credentials = { accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'FLEURONTESTACCESSKEY', secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'fleuron-test-secret-key-do-not-use-in-prod' };
const target = { endpoint: option('endpoint', 'http://127.0.0.1:7491'), region: 'garage', forcePathStyle: true, credentials };
const { client } = createS3Connection(target, { maxSockets: 16 });
const put = smallPutter(target, new RequestCounter());
const body = Buffer.alloc(6000, 'x'); const md5 = createHash('md5').update(body).digest('base64');
const headers = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'public, max-age=0, must-revalidate' };
const ways = {
  sdk: (k) => client.send(new PutObjectCommand({ Bucket: bucket, Key: k, Body: body, ContentType: headers['content-type'], CacheControl: headers['cache-control'], ContentMD5: md5 })),
  signed: async (k) => { if (!(await put({ bucket, key: k, body, headers: { ...headers, 'content-md5': md5 } }))) throw new Error('fell back'); },
};
for (let round = 0; round < 4; round++) for (const [name, fn] of Object.entries(ways)) {
  const keys = Array.from({ length: 200 }, (_, i) => `r${round}/${name}/p${i}/index.html`);
  const cpu = process.cpuUsage(); const t = performance.now();
  await pMap(keys, fn, { concurrency: 16 });
  const used = process.cpuUsage(cpu);
  console.log(`${name.padEnd(6)} round ${round}: ${((used.user + used.system) / 1000 / 200).toFixed(2)} ms CPU per PUT, wall ${(performance.now() - t).toFixed(0)} ms`);
}
client.destroy();
