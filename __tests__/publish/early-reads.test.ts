/**
 * The reads a publish sends before the S3 client is loaded (lib/publish/early-reads.ts, lib/s3/early-get.ts), signed
 * by lib/s3/sigv4.ts and sent with node:http to the test server, which checks signatures: they must read what
 * the SDK reads, and anything else must come back as "read it again" (undefined), never as an answer.
 */
import { PutBucketWebsiteCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createS3Connection } from '../../lib/s3/client.js';
import { S3Requests } from '../../lib/s3/s3-requests.js';
import { readWebsite } from '../../lib/website/bucket-website.js';
import { startEarlyReads } from '../../lib/publish/early-reads.js';
import { listPage, sdkPages } from '../../lib/s3/list-page.js';
import { createTestBucket, testClient, testS3 } from '../support/test-s3.js';

// Characters a path and a query must encode as S3 signs them: space, +, an accent, ! ' ( ) *, ~ and =.
const PREFIX = "site dir/é+x!'()*~=/";
const KEYS = ['index.html', 'a b.html', 'c+d.html', 'é.html', "it's (1)*.html", '~tilde.html'].map((key) => PREFIX + key);

const endpointOf = (accessKeyId = testS3().accessKeyId) => ({
  endpoint: testS3().endpoint,
  region: testS3().region,
  forcePathStyle: true,
  credentials: { accessKeyId, secretAccessKey: testS3().secretAccessKey },
});

describe('early reads', () => {
  let bucket: string;
  const manifest = Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3, 250, 251]);

  beforeAll(async () => {
    bucket = await createTestBucket('early');
    const client = testClient();
    try {
      for (const key of [...KEYS, 'elsewhere.html']) await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: `${PREFIX}.fleuron/manifest.json`, Body: manifest }));
    } finally {
      client.destroy();
    }
  }, 60_000);

  test('read the first listing page and the manifest as the SDK does, under a prefix that needs encoding', async () => {
    const reads = startEarlyReads({ endpoint: endpointOf(), bucket, prefix: PREFIX })!;
    await reads.written;
    const client = testClient();
    try {
      const expected = await listPage(client, { Bucket: bucket, Prefix: PREFIX, MaxKeys: 1000 });
      expect(expected.objects).toHaveLength(KEYS.length + 1);
      expect(await reads.firstPage).toEqual(expected);
    } finally {
      client.destroy();
    }
    expect(Buffer.from((await reads.takeManifest())!)).toEqual(manifest);
    // Handed over once: the reads keep no hold on the bytes.
    expect(await reads.takeManifest()).toBeUndefined();
    expect(reads.counter.byOperation()).toEqual({ GetObject: 1, ListObjectsV2: 1 });
  });

  test('list further pages as the SDK does (a range from StartAfter, a continuation), counting each request', async () => {
    const reads = startEarlyReads({ endpoint: endpointOf(), bucket, prefix: PREFIX })!;
    const client = testClient();
    try {
      for (const input of [
        { Bucket: bucket, Prefix: PREFIX, StartAfter: KEYS[2], MaxKeys: 2 },
        { Bucket: bucket, Prefix: PREFIX, MaxKeys: 3 },
      ]) {
        const expected = await listPage(client, input);
        const page = await reads.pages(input);
        // (A continuation token may differ between two requests for the same page: compared by where it leads.)
        expect({ ...page, nextContinuationToken: undefined }).toEqual({ ...expected, nextContinuationToken: undefined });
        expect(page.isTruncated).toBe(true);
        const next = { ...input, ContinuationToken: page.nextContinuationToken, StartAfter: undefined };
        expect((await reads.pages(next)).objects).toEqual((await listPage(client, next)).objects);
      }
    } finally {
      client.destroy();
    }
    expect(reads.counter.byOperation()).toEqual({ GetObject: 1, ListObjectsV2: 5 });
  });

  test('a page the early request cannot read is listed through the S3 client, once it is handed over', async () => {
    const reads = startEarlyReads({ endpoint: endpointOf('NOTAKEYNOTAKEYNOTAKE'), bucket, prefix: PREFIX })!;
    const client = testClient();
    try {
      const input = { Bucket: bucket, Prefix: PREFIX, MaxKeys: 1000 };
      const page = reads.pages(input);
      let settled = false;
      void page.then(() => (settled = true));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(settled).toBe(false); // waits for the client
      reads.useClientPages(sdkPages(client));
      expect(await page).toEqual(await listPage(client, input));
    } finally {
      client.destroy();
    }
  });

  test('the website configuration read early reads as the SDK reads it: none, found, found with routing rules', async () => {
    const client = testClient();
    // A client that cannot reach any server: what it reads can only be the early answers.
    const { client: counted, counter } = createS3Connection({ ...endpointOf(), endpoint: 'http://127.0.0.1:9' }, { retry: { maxAttempts: 1 } });
    try {
      const expectedNone = await readWebsite(S3Requests.over(client), bucket);
      expect(expectedNone).toEqual({ kind: 'none' });
      const early = startEarlyReads({ endpoint: endpointOf(), bucket, prefix: PREFIX }, true)!;
      expect(await readWebsite(S3Requests.over(counted, counter), bucket, early.website)).toEqual(expectedNone);
      await client.send(new PutBucketWebsiteCommand({ Bucket: bucket, WebsiteConfiguration: { IndexDocument: { Suffix: 'index.html' }, ErrorDocument: { Key: '404.html' } } }));
      const found = startEarlyReads({ endpoint: endpointOf(), bucket, prefix: PREFIX }, true)!;
      expect(await readWebsite(S3Requests.over(counted, counter), bucket, found.website)).toEqual(await readWebsite(S3Requests.over(client), bucket));
      expect((await readWebsite(S3Requests.over(client), bucket)).kind).toBe('found');
      // Routing rules are read by the SDK's parser (replayed: no second request), every field of them kept.
      const rules = [{ Condition: { KeyPrefixEquals: 'old/', HttpErrorCodeReturnedEquals: '404' }, Redirect: { ReplaceKeyPrefixWith: 'new/', HttpRedirectCode: '301' } }];
      await client.send(new PutBucketWebsiteCommand({ Bucket: bucket, WebsiteConfiguration: { IndexDocument: { Suffix: 'index.html' }, ErrorDocument: { Key: '404.html' }, RoutingRules: rules } }));
      const withRules = startEarlyReads({ endpoint: endpointOf(), bucket, prefix: PREFIX }, true)!;
      const read = await readWebsite(S3Requests.over(counted, counter), bucket, withRules.website);
      expect(read).toEqual(await readWebsite(S3Requests.over(client), bucket));
      expect(read.kind === 'found' && read.config.routingRules?.[0]?.Redirect?.ReplaceKeyPrefixWith).toBe('new/');
      // Each early answer was read without a second request: one GetBucketWebsite each.
      await expect(readWebsite(S3Requests.over(counted, counter), bucket)).rejects.toThrow();
      expect(counter.byOperation()).toEqual({ GetBucketWebsite: 4 });
      expect(early.counter.byOperation()).toEqual({ GetObject: 1, ListObjectsV2: 1 });
    } finally {
      client.destroy();
      counted.destroy();
    }
  });

  test('a missing manifest is null (no need to ask again)', async () => {
    const reads = startEarlyReads({ endpoint: endpointOf(), bucket, prefix: 'nothing-here/' })!;
    expect(await reads.takeManifest()).toBeNull();
    expect((await reads.firstPage)?.objects).toEqual([]);
  });

  // (The embedded s3rver does not check signatures, only access keys; Ceph RGW checks both: npm run test:real-s3.)
  test('a refused request (an unknown key) is undefined: the SDK asks again and reports the error', async () => {
    const reads = startEarlyReads({ endpoint: endpointOf('NOTAKEYNOTAKEYNOTAKE'), bucket, prefix: PREFIX })!;
    await reads.written;
    expect(await reads.firstPage).toBeUndefined();
    expect(await reads.takeManifest()).toBeUndefined();
  });

  test('a server that cannot be reached is undefined too, and the requests count as written', async () => {
    const reads = startEarlyReads({ endpoint: { ...endpointOf(), endpoint: 'http://127.0.0.1:9' }, bucket, prefix: '' })!;
    await reads.written;
    expect(await reads.firstPage).toBeUndefined();
    expect(await reads.takeManifest()).toBeUndefined();
  });

  test('nothing is sent without an endpoint or keys (AWS itself, or keys from a profile: the SDK resolves those)', () => {
    expect(startEarlyReads({ endpoint: { region: 'garage', forcePathStyle: true, credentials: endpointOf().credentials }, bucket, prefix: '' })).toBeUndefined();
    expect(startEarlyReads({ endpoint: { ...endpointOf(), credentials: undefined }, bucket, prefix: '' })).toBeUndefined();
  });
});
