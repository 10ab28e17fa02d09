/**
 * A signed request (lib/s3/s3-requests.ts) that gets no plain success is sent again through the S3 client: a proxy
 * that refuses the first PUT of every page, or the first delete requests and lock read, with `503 SlowDown` still gets
 * a whole publish, each object stored (or deleted) once, and both attempts counted.
 */
import { rmSync } from 'node:fs';
import { jsonSummary, makeFolder, runCli } from '../support/run-cli.js';
import { refusingProxy as refuseFirst } from '../support/refusing-proxy.js';
import { cliEnv, createTestBucket, headObject, listBucket } from '../support/test-s3.js';

test('pages whose signed PUT is refused are stored through the S3 client, each attempt counted', async () => {
  const proxy = await refuseFirst((method, url) => (method === 'PUT' && url.split('?')[0]!.endsWith('.html') ? url.split('?')[0] : undefined));
  try {
    const dir = await makeFolder({ 'index.html': '<p>home</p>', 'a/index.html': '<p>a</p>', 'style.css': 'p{}' });
    const bucket = await createTestBucket('fallback');
    const result = await runCli(['publish', dir, '--json'], { env: cliEnv(bucket, { AWS_ENDPOINT_URL: proxy.url }) });
    const summary = jsonSummary(result);
    expect(result.code).toBe(0);
    expect(proxy.refused.sort()).toEqual([`/${bucket}/a/index.html`, `/${bucket}/index.html`]);
    expect(proxy.bySdk).toEqual([false, false]);
    expect(summary.uploaded).toBe(3);
    // 3 files, 2 of them twice, plus the lock and the manifest.
    expect(summary.requests.byOperation.PutObject).toBe(3 + 2 + 2);
    const listed = await listBucket(bucket);
    expect([...listed.keys()].filter((key) => !key.startsWith('.fleuron/')).sort()).toEqual(['a/index.html', 'index.html', 'style.css']);
    expect((await headObject(bucket, 'a/index.html')).ContentType).toMatch(/^text\/html/);
  } finally {
    await proxy.close();
  }
}, 60_000);

test('deletes and lock requests the server refuses are sent again through the S3 client', async () => {
  const dir = await makeFolder({ 'index.html': '<p>home</p>', 'old.html': '<p>old</p>', 'older.html': '<p>older</p>' });
  const bucket = await createTestBucket('fallback-deletes');
  expect((await runCli(['publish', dir, '--json'], { env: cliEnv(bucket) })).code).toBe(0);
  rmSync(`${dir}/old.html`);
  rmSync(`${dir}/older.html`);
  const refusing = (method: string, url: string) =>
    method === 'POST' && /[?&]delete(=|&|$)/.test(url) ? 'DeleteObjects' : method === 'DELETE' ? 'DeleteObject' : method === 'GET' && url.includes('/.fleuron/lock.json') ? 'GetLock' : undefined;
  const proxy = await refuseFirst(refusing);
  try {
    const result = await runCli(['publish', dir, '--json'], { env: cliEnv(bucket, { AWS_ENDPOINT_URL: proxy.url }) });
    const summary = jsonSummary(result);
    expect(result.code).toBe(0);
    expect(proxy.refused.sort()).toEqual(['DeleteObject', 'DeleteObjects', 'GetLock']);
    expect(proxy.bySdk).toEqual([false, false, false]);
    expect(summary.deleted).toBe(2);
    expect(summary.requests.byOperation).toMatchObject({ DeleteObjects: 2, DeleteObject: 2 });
    const listed = await listBucket(bucket);
    expect([...listed.keys()].filter((key) => !key.startsWith('.fleuron/manifest')).sort()).toEqual(['index.html']);
  } finally {
    await proxy.close();
  }
}, 60_000);
