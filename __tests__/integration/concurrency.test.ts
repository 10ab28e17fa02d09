/**
 * Two publishes to the same bucket and prefix: the advisory lock `.fleuron/lock.json`.
 *
 * The first publish goes through a slow proxy that also holds its uploads back (not the lock's own
 * requests), so it is certainly still running, lock taken, while the second one runs.
 */
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { PublishLock } from '../../lib/publish/publish-lock.js';
import os from 'node:os';
import { bucketProblems, errorLines, FaultProxy, folderEtags, startCli, stopChild, waitFor, type CliChild, type ProxiedRequest } from '../support/fault-proxy.js';
import { jsonSummary, makeFolder, runCli } from '../support/run-cli.js';
import { cliEnv, createTestBucket, listBucket, testClient, testS3, type ListedObject } from '../support/test-s3.js';
import { S3Requests } from '../../lib/s3/s3-requests.js';

const LOCK_KEY = '.fleuron/lock.json';

function site(version: string, extra: Record<string, string> = {}): Record<string, string> {
  const files: Record<string, string> = { ...extra };
  for (let i = 0; i < 60; i++) files[`section-${i % 6}/page-${i}.html`] = `<!doctype html><title>${i}</title><p>${version} ${i}</p>`;
  files['css/site.css'] = `body { --version: "${version}" }`;
  return files;
}

/** The listing without the lock object (its refresh may change it). */
async function listingWithoutLock(bucket: string): Promise<Map<string, ListedObject>> {
  const listing = await listBucket(bucket);
  listing.delete(LOCK_KEY);
  return listing;
}

async function readLock(bucket: string): Promise<Record<string, unknown> | undefined> {
  const client = testClient();
  try {
    const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: LOCK_KEY }));
    return JSON.parse(await response.Body!.transformToString()) as Record<string, unknown>;
  } catch {
    return undefined;
  } finally {
    client.destroy();
  }
}

const isMutation = (request: ProxiedRequest) => request.method !== 'GET' && request.method !== 'HEAD';
const isLockRequest = (request: ProxiedRequest) => request.path.endsWith(`/${LOCK_KEY}`);

describe('a lock taken over while held', () => {
  it('is seen as lost, and not removed by its first holder', async () => {
    const bucket = await createTestBucket('lost');
    const client = testClient();
    try {
      const lock = new PublishLock(S3Requests.over(client), bucket, '');
      expect(await lock.acquire()).toBeUndefined();
      expect(await lock.holder()).toBeUndefined();
      const breaker = { owner: 'someone-else', user: 'bo', host: 'elsewhere', pid: 7, started: new Date().toISOString(), expires: new Date(Date.now() + 60_000).toISOString() };
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: LOCK_KEY, Body: JSON.stringify(breaker), ContentType: 'application/json' }));
      expect(await lock.holder()).toEqual(breaker);
      await lock.release();
      expect(await readLock(bucket)).toEqual(breaker);
    } finally {
      client.destroy();
    }
  });
});

describe('two publishes at once: the advisory lock', () => {
  let proxy: FaultProxy;
  let bucket: string;
  let dirA: string;
  let dirB: string;

  beforeAll(async () => {
    proxy = await FaultProxy.start({ target: testS3().endpoint, seed: 42, latencyMs: [30, 120] });
    bucket = await createTestBucket('lock');
    dirA = await makeFolder(site('A'));
    dirB = await makeFolder(site('B', { 'only-in-b.html': '<p>B</p>' }));
  });
  afterAll(async () => {
    await proxy?.close();
  });

  /**
   * Starts a publish through the proxy with its uploads held back; resolves once it holds the lock
   * and waits at the proxy. The caller releases the proxy.
   */
  async function startHeldPublish(dir: string, extraArgs: string[] = []): Promise<CliChild> {
    proxy.resetCounters();
    proxy.hold((request) => isMutation(request) && !isLockRequest(request));
    const cli = startCli(['publish', dir, '--json', ...extraArgs], { env: cliEnv(bucket, { AWS_ENDPOINT_URL: proxy.url }) });
    const locked = await waitFor(async () => cli.child.exitCode !== null || (await listBucket(bucket)).has(LOCK_KEY), 60_000, 100);
    if (cli.child.exitCode !== null) {
      const result = await cli.done;
      throw new Error(`the first publish ended before taking the lock (exit ${result.code}): ${result.stderr.trim()}`);
    }
    if (!locked) throw new Error(`the first publish never wrote ${LOCK_KEY} (is the lock implemented?)`);
    const waiting = await waitFor(() => proxy.heldCount() > 0 || cli.child.exitCode !== null, 60_000);
    if (!waiting || cli.child.exitCode !== null) throw new Error('the first publish did not reach its uploads');
    return cli;
  }

  test(
    'a second publish while the first runs exits 1 with one line, and changes nothing',
    async () => {
      let first: CliChild | undefined;
      try {
        first = await startHeldPublish(dirA);
        // The lock says which process holds it (no user or host name: the bucket is public) and until when.
        const lock = await readLock(bucket);
        if (process.platform === 'linux') expect(lock?.process).toEqual(expect.objectContaining({ pid: first.child.pid }));
        expect(JSON.stringify(lock)).not.toContain(os.hostname());
        const times = Object.entries(lock ?? {}).filter(([name]) => /start|expir/i.test(name));
        expect(times.length).toBeGreaterThanOrEqual(2);
        const expiry = times.find(([name]) => /expir/i.test(name));
        expect(Date.parse(String(expiry?.[1]))).toBeGreaterThan(Date.now());

        const before = await listingWithoutLock(bucket);
        const second = await runCli(['publish', dirB, '--json'], { env: cliEnv(bucket) });
        expect(second.code).toBe(1);
        expect(errorLines(second.stderr)).toHaveLength(1);
        expect(errorLines(second.stderr)[0]).toMatch(new RegExp(`another publish to s3://${bucket}/.* is running`));
        expect(jsonSummary(second).ok).toBe(false);
        expect(await listingWithoutLock(bucket)).toEqual(before);
        // Not taken over (its expiry may have been refreshed meanwhile, nothing else).
        const { process: holder, owner } = lock ?? {};
        expect(await readLock(bucket)).toEqual(expect.objectContaining({ process: holder, owner }));

        proxy.release();
        const result = await first.done;
        expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
        expect(await bucketProblems(bucket, [await folderEtags(dirA)], { exact: true })).toEqual([]);
        expect((await listBucket(bucket)).has(LOCK_KEY)).toBe(false); // given back at the end
      } finally {
        proxy.release();
        await stopChild(first);
      }
    },
    120_000,
  );

  test(
    'a publish that changes nothing does not take the lock',
    async () => {
      proxy.resetCounters();
      const result = await runCli(['publish', dirA, '--json'], { env: cliEnv(bucket, { AWS_ENDPOINT_URL: proxy.url }) });
      expect(result.code).toBe(0);
      expect(jsonSummary(result).uploaded).toBe(0);
      expect(proxy.log.filter((entry) => entry.path.endsWith(`/${LOCK_KEY}`))).toEqual([]);
      expect(proxy.log.filter((entry) => entry.method === 'PUT' || entry.method === 'DELETE').map((entry) => `${entry.method} ${entry.url}`)).toEqual([]);
    },
    60_000,
  );

  test(
    '--break-lock publishes anyway; the publish whose lock was broken is told, and deletes nothing',
    async () => {
      let first: CliChild | undefined;
      try {
        // The first publish plans to delete the stylesheet: it must not, once its lock is gone.
        const { 'css/site.css': _stylesheet, ...withoutStylesheet } = site('A2');
        const changedA = await makeFolder(withoutStylesheet);
        expect((await listBucket(bucket)).has('css/site.css')).toBe(true);
        first = await startHeldPublish(changedA);
        const second = await runCli(['publish', dirB, '--json', '--break-lock'], { env: cliEnv(bucket) });
        expect({ code: second.code, stderr: second.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
        expect(await bucketProblems(bucket, [await folderEtags(dirB)], { exact: true })).toEqual([]);
        proxy.release();
        const firstResult = await first.done; // it finishes its uploads (a stale plan), then finds its lock gone
        expect({ code: firstResult.code, stderr: firstResult.stderr }).toEqual({
          code: 1,
          stderr: expect.stringMatching(/^fleuron: the publish lock of s3:\/\/\S+ was removed while this publish ran; it stopped before deleting anything — .*let the other publish finish, then run this one again\n$/),
        });
        expect((await listBucket(bucket)).has('css/site.css')).toBe(true);
        const again = await runCli(['publish', dirB, '--json'], { env: cliEnv(bucket) });
        expect({ code: again.code, stderr: again.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
        expect(await bucketProblems(bucket, [await folderEtags(dirB)], { exact: true })).toEqual([]);
      } finally {
        proxy.release();
        await stopChild(first);
      }
    },
    120_000,
  );

  test(
    'the lock of a killed publish on this host is taken over at once',
    async () => {
      let first: CliChild | undefined;
      try {
        first = await startHeldPublish(dirA);
        first.child.kill('SIGKILL');
        await first.done;
        proxy.release();
        expect((await listBucket(bucket)).has(LOCK_KEY)).toBe(true); // left behind
        const started = Date.now();
        const next = await runCli(['publish', dirA, '--json'], { env: cliEnv(bucket) });
        expect({ code: next.code, stderr: next.stderr }).toEqual({ code: 0, stderr: expect.stringMatching(/warning: a previous publish did not finish/) });
        expect(Date.now() - started).toBeLessThan(60_000); // no waiting for the expiry
        expect(await bucketProblems(bucket, [await folderEtags(dirA)], { exact: true })).toEqual([]);
        expect((await listBucket(bucket)).has(LOCK_KEY)).toBe(false);
      } finally {
        proxy.release();
        await stopChild(first);
      }
    },
    120_000,
  );
});
