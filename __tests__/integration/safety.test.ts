/**
 * What a careless or hostile user met (issue 15): nothing of fleuron's state leaks, nothing is lost, and one odd
 * object or a second site in the bucket cannot break a publish. CLI as a child process against the test server.
 */
import { DeleteBucketWebsiteCommand, DeleteObjectCommand, GetBucketWebsiteCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import os from 'node:os';
import { gunzipSync } from 'node:zlib';
import { FaultProxy, startCli, stopChild, waitFor, type CliChild } from '../support/fault-proxy.js';
import { cliEnv, createTestBucket, listBucket, testClient, testS3 } from '../support/test-s3.js';
import { jsonSummary, makeFolder, runCli } from '../support/run-cli.js';

const LOCK_KEY = '.fleuron/lock.json';
const text = async (bucket: string, key: string) => {
  const client = testClient();
  try {
    return await (await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString();
  } finally {
    client.destroy();
  }
};
const bytes = async (bucket: string, key: string) => {
  const client = testClient();
  try {
    return Buffer.from(await (await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToByteArray());
  } finally {
    client.destroy();
  }
};
const put = async (bucket: string, key: string, body: string) => {
  const client = testClient();
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'text/plain' })).finally(() => client.destroy());
};
const siteKeys = async (bucket: string) => [...(await listBucket(bucket)).keys()].filter((key) => !key.startsWith('.fleuron/')).sort();

describe("fleuron's state on a public bucket", () => {
  test('the manifest names no object: a page nothing links to cannot be found by reading it', async () => {
    const bucket = await createTestBucket('manifest');
    const dir = await makeFolder({ 'index.html': 'home', 'drafts/plan-secret-42.html': 'unlinked' });
    expect((await runCli(['publish', dir], { env: cliEnv(bucket) })).code).toBe(0);
    const manifest = gunzipSync(await bytes(bucket, '.fleuron/manifest.json')).toString('utf8');
    expect(manifest).toMatch(/"etag"/);
    expect(manifest).not.toMatch(/plan-secret-42|drafts|index\.html/);
    // and it still does its job: a re-publish changes nothing
    const again = jsonSummary(await runCli(['publish', dir, '--json'], { env: cliEnv(bucket) }));
    expect(again).toMatchObject({ uploaded: 0, headersUpdated: 0, unchanged: 2 });
  });

  test('a manifest written by an earlier fleuron (plain JSON text, not gzip) is read: a re-publish changes nothing', async () => {
    const bucket = await createTestBucket('oldmanifest');
    const dir = await makeFolder({ 'index.html': 'home', 'css/site.css': 'body{}' });
    expect((await runCli(['publish', dir], { env: cliEnv(bucket) })).code).toBe(0);
    const stored = await bytes(bucket, '.fleuron/manifest.json');
    expect([...stored.subarray(0, 2)]).toEqual([0x1f, 0x8b]);
    await put(bucket, '.fleuron/manifest.json', gunzipSync(stored).toString('utf8'));
    const again = jsonSummary(await runCli(['publish', dir, '--json'], { env: cliEnv(bucket) }));
    expect(again).toMatchObject({ uploaded: 0, headersUpdated: 0, unchanged: 2 });
    expect(again.requests.byOperation.CopyObject ?? 0).toBe(0);
  });

  test('a lock found from another machine with our host name (two containers) is respected, not taken over', async () => {
    const bucket = await createTestBucket('samehost');
    const dir = await makeFolder({ 'index.html': 'home' });
    const now = Date.now();
    // What a publish running in a container with the same host name wrote (its pid means nothing here).
    const theirs = { owner: 'their-publish', user: os.userInfo().username, host: os.hostname(), pid: 999_999, started: new Date(now).toISOString(), expires: new Date(now + 60_000).toISOString() };
    await put(bucket, LOCK_KEY, JSON.stringify(theirs));
    const result = await runCli(['publish', dir, '--json'], { env: cliEnv(bucket) });
    expect(result.code).toBe(1);
    expect(jsonSummary(result).error?.message).toMatch(/another publish to s3:\/\/.* is running/);
    expect(await siteKeys(bucket)).toEqual([]);
    expect(JSON.parse(await text(bucket, LOCK_KEY)).owner).toBe('their-publish');
  });

  test('a lock found from another machine in the new form is respected too; its label says who', async () => {
    const bucket = await createTestBucket('otherbox');
    const dir = await makeFolder({ 'index.html': 'home' });
    const now = Date.now();
    const theirs = { owner: 'abcdef12-0000-4000-8000-000000000000', label: 'CI main', process: { machine: '0123456789abcdef', pid: 1, start: '1' }, started: new Date(now).toISOString(), expires: new Date(now + 60_000).toISOString() };
    await put(bucket, LOCK_KEY, JSON.stringify(theirs));
    const result = await runCli(['publish', dir], { env: cliEnv(bucket) });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/is running \(started .* by "CI main", lock abcdef12\)/);
  });

  test('the lock a publish writes names no user and no host; the label is the one chosen', async () => {
    const bucket = await createTestBucket('label');
    const dir = await makeFolder({ 'index.html': 'home' });
    // Hold the page's upload at a proxy, so the lock is read while the publish holds it (polling raced a fast publish).
    const proxy = await FaultProxy.start({ target: testS3().endpoint, seed: 3 });
    let cli: CliChild | undefined;
    try {
      proxy.hold((request) => request.method === 'PUT' && request.path === `/${bucket}/index.html`);
      cli = startCli(['publish', dir, '--lock-label', 'deploy by Ana'], { env: cliEnv(bucket, { AWS_ENDPOINT_URL: proxy.url }) });
      expect(await waitFor(() => proxy.heldCount() > 0 || cli!.child.exitCode !== null, 60_000)).toBe(true);
      const lock = await text(bucket, LOCK_KEY);
      proxy.release();
      expect((await cli.done).code).toBe(0);
      expect(lock).not.toContain(os.hostname());
      expect(lock).not.toContain(`"${os.userInfo().username}"`);
      expect(JSON.parse(lock)).toMatchObject({ label: 'deploy by Ana' });
    } finally {
      proxy.release();
      await stopChild(cli);
      await proxy.close();
    }
  }, 60_000);

  test('include: [".fleuron/**"] never publishes files over fleuron\'s state, and .env files stay ignored in .well-known/', async () => {
    const bucket = await createTestBucket('state');
    const dir = await makeFolder({
      'index.html': 'home',
      '.fleuron/manifest.json': 'not a manifest',
      '.fleuron/lock.json': '{"owner":"forged"}',
      '.well-known/security.txt': 'Contact: mailto:a@example.org',
      '.well-known/.env': 'AWS_SECRET_ACCESS_KEY=oops',
    });
    const project = await makeFolder({ 'fleuron.yaml': 'publish:\n  include: [".fleuron/**"]\n' });
    const result = await runCli(['publish', dir, '--json'], { cwd: project, env: cliEnv(bucket) });
    expect(result.code).toBe(0);
    expect(await siteKeys(bucket)).toEqual(['.well-known/security.txt', 'index.html']);
    expect(await text(bucket, '.fleuron/manifest.json')).not.toBe('not a manifest');
    expect((await listBucket(bucket)).has(LOCK_KEY)).toBe(false);
  });
});

describe('one odd key does not block every delete', () => {
  test('a key with a control character (XML cannot carry it) is deleted one by one, with the other deletes', async () => {
    const bucket = await createTestBucket('ctrl');
    const dir = await makeFolder({ 'index.html': 'home', 'old.html': 'old' });
    expect((await runCli(['publish', dir], { env: cliEnv(bucket) })).code).toBe(0);
    await put(bucket, 'photo\u0001.jpg', 'x'); // as an older fleuron or another tool uploaded it
    const next = await makeFolder({ 'index.html': 'home' });
    const result = await runCli(['publish', next, '--json'], { env: cliEnv(bucket) });
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
    const summary = jsonSummary(result);
    expect(summary.deleted).toBe(2);
    // old.html in one DeleteObjects; the odd key alone in a DeleteObject (so is the lock, released)
    expect(summary.requests.byOperation).toMatchObject({ DeleteObjects: 1, DeleteObject: 2 });
    expect(await siteKeys(bucket)).toEqual(['index.html']);
  });
});

describe('website settings', () => {
  test('a website configuration removed by hand is noticed and applied again, without --force', async () => {
    const bucket = await createTestBucket('drift');
    const dir = await makeFolder({ 'index.html': 'home', '404.html': 'missing' });
    expect(jsonSummary(await runCli(['publish', dir, '--json'], { env: cliEnv(bucket) })).website).toBe('configured');
    const client = testClient();
    await client.send(new DeleteBucketWebsiteCommand({ Bucket: bucket }));
    const again = jsonSummary(await runCli(['publish', dir, '--json'], { env: cliEnv(bucket) }));
    expect(again.website).toBe('configured');
    expect(again.uploaded).toBe(0);
    expect((await client.send(new GetBucketWebsiteCommand({ Bucket: bucket }))).IndexDocument?.Suffix).toBe('index.html');
    client.destroy();
  });

  test("two sites in one bucket keep each other's routing rules", async () => {
    const bucket = await createTestBucket('twosites');
    const root = await makeFolder({ 'index.html': 'home', 'new.html': 'new' });
    const blog = await makeFolder({ 'index.html': 'blog home', 'archive.html': 'archive' });
    const rootProject = await makeFolder({ 'fleuron.yaml': 'redirects:\n  - { from: /old.html, to: /new.html }\npublish:\n  keep: ["blog/**"]\n' });
    const blogProject = await makeFolder({ 'fleuron.yaml': 'redirects:\n  - { from: /2019.html, to: /archive.html }\n' });
    const rules = async () => {
      const client = testClient();
      const answer = await client.send(new GetBucketWebsiteCommand({ Bucket: bucket })).finally(() => client.destroy());
      return (answer.RoutingRules ?? []).map((rule) => rule.Condition?.KeyPrefixEquals).sort();
    };
    const first = jsonSummary(await runCli(['publish', root, '--json'], { cwd: rootProject, env: cliEnv(bucket) }));
    if (first.redirects?.as !== 'routing rules') return; // a server without routing rules: redirect objects, nothing to merge
    expect(await rules()).toEqual(['old.html']);
    expect((await runCli(['publish', blog, '--prefix', 'blog'], { cwd: blogProject, env: cliEnv(bucket) })).code).toBe(0);
    expect(await rules()).toEqual(['blog/2019.html', 'old.html']);
    const again = jsonSummary(await runCli(['publish', root, '--json'], { cwd: rootProject, env: cliEnv(bucket) }));
    expect(again.website).toBe('unchanged');
    expect(await rules()).toEqual(['blog/2019.html', 'old.html']);
    expect((await siteKeys(bucket)).filter((key) => !key.startsWith('blog/.fleuron/'))).toEqual(['blog/archive.html', 'blog/index.html', 'index.html', 'new.html']);
  });
});

describe('rollback follows the rules of a publish', () => {
  let site: string;
  let archive: string;
  let project: string;
  const deploys: string[] = [];
  const files = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`page-${i}.html`, `v1 ${i}`]));

  beforeAll(async () => {
    site = await createTestBucket('rbsite');
    archive = await createTestBucket('rbarchive');
    project = await makeFolder({ 'fleuron.yaml': `publish:\n  archive:\n    bucket: ${archive}\n` });
    for (const version of ['v1', 'v2']) {
      const dir = await makeFolder(Object.fromEntries(Object.entries(files).map(([key, body]) => [key, body.replace('v1', version)])));
      const result = await runCli(['publish', dir, '--json'], { cwd: project, env: cliEnv(site) });
      expect(result.code).toBe(0);
      deploys.push(jsonSummary(result).deployId!);
    }
  });

  test("rolling back the site's first deploy would empty it: refused (exit 2), nothing changed", async () => {
    const before = await listBucket(site);
    const result = await runCli(['rollback', deploys[0]!, '--json', '--max-deletes', '-1'], { cwd: project, env: cliEnv(site) });
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, error: { code: 'empty-site' } });
    expect(await listBucket(site)).toEqual(before);
  });

  test('the delete cap applies, FLEURON_MAX_DELETES included', async () => {
    const extra = await makeFolder({ ...Object.fromEntries(Object.entries(files).map(([key, body]) => [key, body.replace('v1', 'v2')])), 'a.html': 'a', 'b.html': 'b', 'c.html': 'c' });
    const third = await runCli(['publish', extra, '--json'], { cwd: project, env: cliEnv(site) });
    const before = await listBucket(site);
    const result = await runCli(['rollback', jsonSummary(third).deployId!], { cwd: project, env: cliEnv(site, { FLEURON_MAX_DELETES: '2' }) });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/this rollback would delete 3 objects, more than the cap of 2; nothing was changed/);
    expect(await listBucket(site)).toEqual(before);
  });

  test('an archived copy gone (expired): a clear failure, JSON on stdout, nothing changed, no rollback in the history', async () => {
    const client = testClient();
    await client.send(new DeleteObjectCommand({ Bucket: archive, Key: `fleuron/${deploys[1]}/page-3.html` }));
    client.destroy();
    const before = await listBucket(site);
    const result = await runCli(['rollback', deploys[1]!, '--json'], { cwd: project, env: cliEnv(site) });
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({ ok: false, error: { code: 'archive-incomplete' } });
    expect(json.error.message).toMatch(/archived copies .* are missing from the archive bucket/);
    expect(result.stderr).not.toMatch(/bucket .* not found|does not exist/);
    expect(await listBucket(site)).toEqual(before);
    const history = await runCli(['history'], { cwd: project, env: cliEnv(site) });
    expect(history.stdout).not.toMatch(/rollback of/);
  });

  test('a rollback that fails midway says so (exit 1, the key and the cause), and history marks it failed, not completed', async () => {
    const v3 = await makeFolder({ ...Object.fromEntries(Object.entries(files).map(([key, body]) => [key, body.replace('v1', 'v3')])) });
    const third = jsonSummary(await runCli(['publish', v3, '--json', '--max-deletes', '-1'], { cwd: project, env: cliEnv(site) }));
    const target = third.deployId!;
    const proxy = await FaultProxy.start({ target: testS3().endpoint, seed: 7 });
    let cli: CliChild | undefined;
    try {
      // Hold the restores (copies into the site bucket) until an archived copy has vanished, as expiry would do.
      proxy.hold((request) => request.method === 'PUT' && request.path.startsWith(`/${site}/page-`));
      cli = startCli(['rollback', target, '--dir', project], { cwd: project, env: cliEnv(site, { AWS_ENDPOINT_URL: proxy.url }) });
      expect(await waitFor(() => proxy.heldCount() > 0 || cli!.child.exitCode !== null, 60_000)).toBe(true);
      const client = testClient();
      await client.send(new DeleteObjectCommand({ Bucket: archive, Key: `fleuron/${target}/page-0.html` }));
      client.destroy();
      proxy.release();
      const result = await cli.done;
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(new RegExp(`^fleuron: rolling back ${target} failed on page-0\\.html: NoSuchKey.* — .*the history marks this rollback failed`, 'm'));
      const history = await runCli(['history'], { cwd: project, env: cliEnv(site) });
      expect(history.stdout).toMatch(new RegExp(`rollback of ${target}: .*FAILED: rolling back`));
    } finally {
      proxy.release();
      await stopChild(cli);
      await proxy.close();
    }
  }, 120_000);
});
