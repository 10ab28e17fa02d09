/**
 * A small upload the signed PUT (lib/s3/signed-put.ts) cannot finish is sent again through the S3 client: a proxy
 * that refuses the first PUT of every page with `503 SlowDown` still gets a whole publish, each page stored once with
 * its headers, and both attempts counted.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { jsonSummary, makeFolder, runCli } from '../support/run-cli.js';
import { cliEnv, createTestBucket, headObject, listBucket, testS3 } from '../support/test-s3.js';

/** Forwards every request to the test server, except the first PUT of each `.html` key, answered 503 SlowDown. */
async function refuseFirstPagePut(): Promise<{ url: string; refused: string[]; bySdk: boolean[]; close: () => Promise<void> }> {
  const target = new URL(testS3().endpoint);
  const refused: string[] = [];
  // Whether each refused PUT came from the S3 client (it sends x-amz-user-agent; the signed PUT does not).
  const bySdk: boolean[] = [];
  const server = http.createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0]!;
    if (request.method === 'PUT' && path.endsWith('.html') && !refused.includes(path)) {
      refused.push(path);
      bySdk.push(request.headers['x-amz-user-agent'] !== undefined);
      request.resume();
      request.on('end', () => {
        response.writeHead(503, { 'content-type': 'application/xml' });
        response.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>');
      });
      return;
    }
    const forwarded = http.request({ hostname: target.hostname, port: target.port, path: request.url, method: request.method, headers: request.headers }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    forwarded.on('error', () => response.destroy());
    request.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, refused, bySdk, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

test('pages whose signed PUT is refused are stored through the S3 client, each attempt counted', async () => {
  const proxy = await refuseFirstPagePut();
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
