/** Redirects published the best way the server supports, then followed through its website endpoint. */
import { GetBucketWebsiteCommand } from '@aws-sdk/client-s3';
import { cliEnv, createTestBucket, listBucket, testClient, testS3, websiteGet } from '../support/test-s3.js';
import { jsonSummary, makeFolder, runCli } from '../support/run-cli.js';

const site = { 'index.html': 'home', 'new.html': 'new page', 'docs/index.html': 'docs', '404.html': 'missing' };

async function publishWith(bucket: string, config: string) {
  const dir = await makeFolder(site);
  const project = await makeFolder({ 'fleuron.yaml': config });
  const result = await runCli(['publish', dir, '--json'], { cwd: project, env: cliEnv(bucket) });
  return { dir, project, result, summary: jsonSummary(result) as ReturnType<typeof jsonSummary> & { redirects?: { count: number; as: string } } };
}

describe('redirects', () => {
  test('as routing rules when the server has them: the status of each redirect, no objects, no-op on re-publish', async () => {
    const bucket = await createTestBucket('rules');
    const { dir, project, result, summary } = await publishWith(
      bucket,
      'redirects:\n  - { from: /old.html, to: /new.html }\n  - { from: /moved.html, to: /docs/, status: 302 }\n',
    );
    expect(result.code).toBe(0);
    expect(summary.redirects).toEqual({ count: 2, as: 'routing rules' });
    expect((await listBucket(bucket)).has('old.html')).toBe(false);
    const old = await websiteGet(bucket, '/old.html');
    expect(old.status).toBe(301);
    expect(old.headers.location).toMatch(/\/new\.html$/);
    const moved = await websiteGet(bucket, '/moved.html');
    expect(moved.status).toBe(302);
    expect(moved.headers.location).toMatch(/\/docs\/$/);
    const again = jsonSummary(await runCli(['publish', dir, '--json'], { cwd: project, env: cliEnv(bucket) }));
    expect(again.requests.byOperation.PutBucketWebsite ?? 0).toBe(0);
    expect(again.requests.byOperation.PutObject ?? 0).toBe(0);
  });

  test('as objects past the 50 routing rules a bucket may hold: 301 through x-amz-website-redirect-location, removed when dropped', async () => {
    const bucket = await createTestBucket('objects');
    const many = Array.from({ length: 51 }, (_, i) => `  - { from: /old-${i}.html, to: /new.html }`).join('\n');
    const { dir, result, summary } = await publishWith(bucket, `redirects:\n${many}\n`);
    expect(result.code).toBe(0);
    expect(summary.redirects).toEqual({ count: 51, as: 'objects' });
    const keys = await listBucket(bucket);
    expect(keys.has('old-7.html')).toBe(true);
    const response = await websiteGet(bucket, '/old-7.html');
    expect(response.status).toBe(301);
    expect(response.headers.location).toMatch(/\/new\.html$/);
    // dropping the redirects from the config deletes their objects
    const none = await makeFolder({ 'fleuron.yaml': 'redirects: []\n' });
    const dropped = jsonSummary(await runCli(['publish', dir, '--json'], { cwd: none, env: cliEnv(bucket) }));
    expect(dropped.deleted).toBe(51);
    expect((await listBucket(bucket)).has('old-7.html')).toBe(false);
  });

  test('a dry run shows the website change and changes nothing', async () => {
    const bucket = await createTestBucket('webdry');
    const dir = await makeFolder(site);
    const result = await runCli(['publish', dir, '--dry-run', '--json'], { env: cliEnv(bucket) });
    expect(jsonSummary(result)).toMatchObject({ website: 'would-configure' });
    expect((await listBucket(bucket)).size).toBe(0);
    const client = testClient();
    await expect(client.send(new GetBucketWebsiteCommand({ Bucket: bucket }))).rejects.toMatchObject({ name: 'NoSuchWebsiteConfiguration' });
    client.destroy();
  });
});

/** A server that refuses routing rules as Garage 1.x does (501), in front of the test server. */
async function garage1Proxy(): Promise<{ url: string; close: () => Promise<void> }> {
  const http = await import('node:http');
  const target = new URL(testS3().endpoint);
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      if (request.method === 'PUT' && /[?&]website\b/.test(request.url ?? '') && body.includes('<RoutingRules>')) {
        response.writeHead(501, { 'content-type': 'application/xml' });
        response.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>NotImplemented</Code><Message>routing rules</Message></Error>');
        return;
      }
      const upstream = http.request({ hostname: target.hostname, port: target.port, path: request.url, method: request.method, headers: request.headers }, (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      });
      upstream.on('error', () => response.destroy());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

test('a server that refuses routing rules gets redirect objects; the plan is announced once, the one applied', async () => {
  const { publish } = await import('../../lib/publish/publish.js');
  const proxy = await garage1Proxy();
  try {
    const bucket = await createTestBucket('garage1');
    const dir = await makeFolder(site);
    const s3 = testS3();
    const planned: number[] = [];
    const outcome = await publish({
      dir,
      endpoint: { endpoint: proxy.url, region: s3.region, forcePathStyle: true, credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } },
      bucket,
      prefix: '',
      concurrency: 4,
      maxDeletes: 256,
      website: { indexDocument: 'index.html', errorDocument: '404.html' },
      redirects: [{ from: 'old.html', to: 'new.html', status: 301 }],
      onEvent: (event) => {
        if (event.type === 'planned') planned.push(event.plan.uploads.length);
      },
    });
    expect(outcome.summary.redirects).toEqual({ count: 1, as: 'objects' });
    expect(planned).toEqual([5]); // the four files and the redirect object, announced once
    expect((await listBucket(bucket)).has('old.html')).toBe(true);
  } finally {
    await proxy.close();
  }
});
