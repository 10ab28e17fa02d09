/**
 * The lock taken during the scan (lib/publish/early-lock.ts), seen from the server: a publish the safety rules refuse
 * never writes it, and a changing publish writes it once and removes it.
 */
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { jsonSummary, makeFolder, runCli } from '../support/run-cli.js';
import { refusingProxy } from '../support/refusing-proxy.js';
import { cliEnv, createTestBucket, listBucket } from '../support/test-s3.js';

test('publishes refused by the delete cap or for an empty folder never write the lock; a changing one writes it once', async () => {
  const dir = await makeFolder({ 'index.html': '<p>home</p>', 'a.html': '<p>a</p>', 'b.html': '<p>b</p>' });
  const bucket = await createTestBucket('early-lock');
  expect((await runCli(['publish', dir, '--json'], { env: cliEnv(bucket) })).code).toBe(0);
  const before = await listBucket(bucket);
  const proxy = await refusingProxy();
  const lockWrites = () => proxy.seen.filter((request) => request === `PUT /${bucket}/.fleuron/lock.json`).length;
  try {
    const env = cliEnv(bucket, { AWS_ENDPOINT_URL: proxy.url });
    rmSync(path.join(dir, 'a.html'));
    writeFileSync(path.join(dir, 'b.html'), '<p>b, changed</p>');
    writeFileSync(path.join(dir, 'c.html'), '<p>c, new</p>');
    const capped = await runCli(['publish', dir, '--json', '--max-deletes', '0'], { env });
    expect(capped.code).toBe(1);
    const empty = await runCli(['publish', await makeFolder({}), '--json', '--max-deletes', '-1'], { env });
    expect(empty.code).toBe(2);
    expect(lockWrites()).toBe(0);
    expect(await listBucket(bucket)).toEqual(before);

    const changed = await runCli(['publish', dir, '--json'], { env });
    expect(changed.code).toBe(0);
    expect([jsonSummary(changed).uploaded, jsonSummary(changed).deleted]).toEqual([2, 1]);
    expect(lockWrites()).toBe(1);
    expect(proxy.seen.filter((request) => request === `DELETE /${bucket}/.fleuron/lock.json`)).toHaveLength(1);
    expect([...(await listBucket(bucket)).keys()].sort()).toEqual(['.fleuron/manifest.json', 'b.html', 'c.html', 'index.html']);
  } finally {
    await proxy.close();
  }
}, 60_000);
