/**
 * Small uploads without the S3 client's middlewares (lib/s3/signed-put.ts), against the test server (which checks
 * signatures on Ceph): an object stored this way reads back as one the SDK stored from the same headers, and anything
 * but a stored object comes back as "send it through the SDK" (undefined), counted as one attempt.
 */
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { storedHeaderFields, storedHeaderParams } from '../../lib/publish/object-params.js';
import { RequestCounter } from '../../lib/s3/request-counter.js';
import { smallPutter } from '../../lib/s3/signed-put.js';
import type { ObjectHeaders } from '../../lib/headers/object-headers.js';
import { createTestBucket, testClient, testS3 } from '../support/test-s3.js';

const target = (secretAccessKey = testS3().secretAccessKey) => ({
  endpoint: testS3().endpoint,
  region: testS3().region,
  forcePathStyle: true,
  credentials: { accessKeyId: testS3().accessKeyId, secretAccessKey },
});
const md5 = (body: Buffer) => createHash('md5').update(body).digest();

// Every header fleuron stores, and a key S3 must encode (space, +, an accent, parentheses).
const HEADERS: ObjectHeaders = {
  contentType: 'text/html; charset=utf-8',
  cacheControl: 'public, max-age=60',
  contentEncoding: 'gzip',
  contentDisposition: 'inline; filename="a.html"',
  contentLanguage: 'fr',
  websiteRedirectLocation: '/elsewhere/',
  metadata: { 'fleuron-note': 'kept' },
} as ObjectHeaders;
const KEY = "dir é/a b+(1).html";

describe('signed PUT of a small object', () => {
  let bucket: string;
  beforeAll(async () => {
    bucket = await createTestBucket('put');
  });

  test('stores the body and headers the SDK stores for the same headers, and answers the ETag', async () => {
    const body = Buffer.from('<p>signed</p>');
    const counter = new RequestCounter();
    const etag = await smallPutter(target(), counter)({ bucket, key: KEY, body, headers: { ...storedHeaderFields(HEADERS), 'content-md5': md5(body).toString('base64') } });
    expect(etag).toBe(md5(body).toString('hex'));
    expect(counter.byOperation()).toEqual({ PutObject: 1 });

    const client = testClient();
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: `${KEY}.sdk`, Body: body, ...storedHeaderParams(HEADERS) }));
    const signed = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: KEY }));
    const sdk = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: `${KEY}.sdk` }));
    const stored = (head: typeof sdk) => ({
      type: head.ContentType,
      cache: head.CacheControl,
      encoding: head.ContentEncoding,
      disposition: head.ContentDisposition,
      language: head.ContentLanguage,
      redirect: head.WebsiteRedirectLocation,
      metadata: head.Metadata,
      length: head.ContentLength,
      etag: head.ETag,
    });
    expect(stored(signed)).toEqual(stored(sdk));
    expect(stored(signed)).toMatchObject({ type: HEADERS.contentType, cache: HEADERS.cacheControl, metadata: { 'fleuron-note': 'kept' } });
    const read = await client.send(new GetObjectCommand({ Bucket: bucket, Key: KEY }));
    expect(Buffer.from(await read.Body!.transformToByteArray())).toEqual(body);
    client.destroy();
  });

  test('an unreachable endpoint: undefined, no exception', async () => {
    const put = smallPutter({ ...target(), endpoint: 'http://127.0.0.1:9' }, new RequestCounter());
    await expect(put({ bucket, key: 'x.html', body: Buffer.from('x'), headers: { 'content-type': 'text/html' } })).resolves.toBeUndefined();
  });

  // s3rver stores a body whatever its Content-MD5 says; Ceph (and Garage) refuse it.
  if (testS3().kind === 'ceph') {
    test('a body that does not match its Content-MD5 is not stored: undefined, for the SDK to send and report', async () => {
      const body = Buffer.from('<p>one</p>');
      const counter = new RequestCounter();
      const answer = await smallPutter(target(), counter)({ bucket, key: 'bad-md5.html', body, headers: { 'content-type': 'text/html', 'content-md5': md5(Buffer.from('other')).toString('base64') } });
      expect(answer).toBeUndefined();
      expect(counter.total).toBe(1);
      const client = testClient();
      await expect(client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'bad-md5.html' }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
      client.destroy();
    });

    test('a wrong secret (Ceph checks signatures): undefined, nothing stored', async () => {
      const answer = await smallPutter(target('not-the-secret'), new RequestCounter())({ bucket, key: 'wrong-key.html', body: Buffer.from('x'), headers: { 'content-type': 'text/html' } });
      expect(answer).toBeUndefined();
    });
  }
});
