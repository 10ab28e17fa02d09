/**
 * The manifest's write and the deletes go side by side (lib/publish/apply.ts): a publish that only deletes sends its
 * DeleteObjects while the manifest's PUT is still held at a proxy; a manifest that cannot be written is still a
 * failure, reported with the deletes that were done.
 */
import { rmSync } from 'node:fs';
import { FaultProxy, startCli, stopChild, waitFor, type CliChild } from '../support/fault-proxy.js';
import { jsonSummary, makeFolder, runCli } from '../support/run-cli.js';
import { refusingProxy } from '../support/refusing-proxy.js';
import { cliEnv, createTestBucket, listBucket, testS3 } from '../support/test-s3.js';

const MANIFEST = '.fleuron/manifest.json';

async function publishedWithTwoRemoved(name: string): Promise<{ dir: string; bucket: string }> {
  const dir = await makeFolder({ 'index.html': '<p>home</p>', 'old.html': '<p>old</p>', 'older.html': '<p>older</p>' });
  const bucket = await createTestBucket(name);
  expect((await runCli(['publish', dir, '--json'], { env: cliEnv(bucket) })).code).toBe(0);
  rmSync(`${dir}/old.html`);
  rmSync(`${dir}/older.html`);
  return { dir, bucket };
}

const siteKeys = async (bucket: string) => [...(await listBucket(bucket)).keys()].filter((key) => !key.startsWith('.fleuron/')).sort();

test('the deletes are sent while the manifest is being written', async () => {
  const { dir, bucket } = await publishedWithTwoRemoved('beside-deletes');
  const proxy = await FaultProxy.start({ target: testS3().endpoint, seed: 7 });
  let cli: CliChild | undefined;
  try {
    proxy.hold((request) => request.method === 'PUT' && request.path.endsWith(`/${MANIFEST}`));
    cli = startCli(['publish', dir, '--json'], { env: cliEnv(bucket, { AWS_ENDPOINT_URL: proxy.url }) });
    expect(await waitFor(() => proxy.heldCount() > 0 || cli!.child.exitCode !== null, 60_000)).toBe(true);
    const deletesSent = () => proxy.log.some((entry) => entry.method === 'POST' && /[?&]delete(=|&|$)/.test(entry.url));
    // With the deletes waiting for the manifest, none is sent while it is held.
    expect(await waitFor(deletesSent, 10_000)).toBe(true);
    proxy.release();
    const result = await cli.done;
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(jsonSummary(result)).toMatchObject({ deleted: 2, uploaded: 0 });
    expect(await siteKeys(bucket)).toEqual(['index.html']);
    expect((await listBucket(bucket)).has(MANIFEST)).toBe(true);
  } finally {
    proxy.release();
    await stopChild(cli);
    await proxy.close();
  }
}, 90_000);

test('a manifest that cannot be written fails the publish, which says what it deleted', async () => {
  const { dir, bucket } = await publishedWithTwoRemoved('manifest-refused');
  let refusals = 0;
  // Every PUT of the manifest refused (each with a name of its own: the proxy refuses a name once), the SDK's retries too.
  const proxy = await refusingProxy((method, url) => (method === 'PUT' && url.split('?')[0]!.endsWith(`/${MANIFEST}`) ? `manifest ${++refusals}` : undefined));
  try {
    const result = await runCli(['publish', dir, '--json'], { env: cliEnv(bucket, { AWS_ENDPOINT_URL: proxy.url }) });
    expect(result.code).not.toBe(0);
    expect(proxy.refused.length).toBeGreaterThan(1); // the signed PUT and the S3 client's attempts
    expect(result.stderr).toMatch(/\.fleuron\/manifest\.json/);
    expect(result.stderr).toMatch(/0 files were uploaded and 2 were deleted before the failure: run the same command again to finish/);
    expect(await siteKeys(bucket)).toEqual(['index.html']);
    // Run again without the proxy: the manifest is written and nothing else changes.
    const again = await runCli(['publish', dir, '--json'], { env: cliEnv(bucket) });
    expect(again.code).toBe(0);
    expect(jsonSummary(again)).toMatchObject({ uploaded: 0, deleted: 0 });
    expect(await siteKeys(bucket)).toEqual(['index.html']);
  } finally {
    await proxy.close();
  }
}, 90_000);
