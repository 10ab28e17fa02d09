/**
 * The publish lock's holder check against a real S3 server: a lock read back as ours within the given time is not
 * read again (the check before a quick publish's deletes), an older one is, and a takeover is then seen.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { acquirePublishLock } from '../../lib/publish/publish-lock.js';
import { S3Requests } from '../../lib/s3/s3-requests.js';
import { createTestBucket, testClient, testS3 } from '../support/test-s3.js';

function testRequests(): S3Requests {
  const s3 = testS3();
  return new S3Requests({ endpoint: s3.endpoint, region: s3.region, forcePathStyle: true, credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } });
}

const lockReads = (requests: S3Requests) => requests.counter.byOperation().GetObject ?? 0;

test('a lock read back as ours within the given time is not read again; after it, it is, and a takeover is seen', async () => {
  const bucket = await createTestBucket('lock-holder');
  const requests = testRequests();
  try {
    const lock = await acquirePublishLock({ requests, bucket, prefix: '' });
    expect(lockReads(requests)).toBe(1); // the read-back
    expect(await lock.holder(60_000)).toBeUndefined();
    expect(lockReads(requests)).toBe(1);
    expect(await lock.holder()).toBeUndefined(); // no time given: read
    expect(lockReads(requests)).toBe(2);

    // Another publish takes it over (--break-lock): a check within the time does not see it, one without it does.
    const other = { owner: 'someone-else', started: new Date().toISOString(), expires: new Date(Date.now() + 60_000).toISOString() };
    await testClient().send(new PutObjectCommand({ Bucket: bucket, Key: '.fleuron/lock.json', Body: JSON.stringify(other), ContentType: 'application/json' }));
    expect(await lock.holder(60_000)).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(await lock.holder(20)).toMatchObject({ owner: 'someone-else' });
    expect(lockReads(requests)).toBe(3);
    await lock.release(); // lost: not deleted
  } finally {
    requests.destroy();
  }
}, 30_000);
