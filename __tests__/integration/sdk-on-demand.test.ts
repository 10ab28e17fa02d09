/**
 * The AWS SDK is loaded only when a publish needs it (lib/s3/s3-requests.ts): a re-publish that changes nothing, or
 * only deletes and uploads small files, sends every request signed and never loads it. Which modules the CLI loaded is
 * recorded by a module hook (support/module-trace) in the child process; the SDK is in the bundle chunk that holds
 * `node_modules/@aws-sdk/client-s3/`. The first publish configures the website, which only the SDK does: it must
 * load it, or the check below could not fail.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { jsonSummary, makeFolder, REPO_ROOT, runCli } from '../support/run-cli.js';
import { cliEnv, createTestBucket, listBucket } from '../support/test-s3.js';

const HOOK = path.join(REPO_ROOT, '__tests__/support/module-trace/register.mjs');

/** Runs `fleuron publish`, and says whether the process loaded the S3 SDK. */
async function publishTraced(dir: string, bucket: string) {
  const trace = path.join(os.tmpdir(), `fleuron-module-trace-${process.pid}-${Date.now()}`);
  try {
    const result = await runCli(['publish', dir, '--json'], { env: cliEnv(bucket, { NODE_OPTIONS: `--import ${HOOK}`, FLEURON_MODULE_TRACE: trace }) });
    const loaded = readFileSync(trace, 'utf8').split('\n').filter((url) => url.startsWith('file:'));
    const sdkLoaded = loaded.some((url) => readFileSync(fileURLToPath(url), 'utf8').includes('node_modules/@aws-sdk/client-s3/'));
    return { result, summary: jsonSummary(result), loaded, sdkLoaded };
  } finally {
    if (existsSync(trace)) rmSync(trace);
  }
}

test('a no-op and a publish that only deletes and uploads small files never load the SDK; configuring the website does', async () => {
  const dir = await makeFolder({ 'index.html': '<p>home</p>', 'about/index.html': '<p>about</p>', 'old.html': '<p>old</p>', 'style.css': 'p{}' });
  const bucket = await createTestBucket('sdk-on-demand');

  const first = await publishTraced(dir, bucket);
  expect(first.result.code).toBe(0);
  expect(first.summary.website).toBe('configured');
  expect(first.loaded.some((url) => url.includes('/dist/bundle/'))).toBe(true);
  expect(first.sdkLoaded).toBe(true);

  const noOp = await publishTraced(dir, bucket);
  expect(noOp.result.code).toBe(0);
  expect(noOp.summary.uploaded + noOp.summary.deleted).toBe(0);
  expect(noOp.sdkLoaded).toBe(false);

  rmSync(path.join(dir, 'old.html'));
  writeFileSync(path.join(dir, 'style.css'), 'p{color:red}');
  const changed = await publishTraced(dir, bucket);
  expect(changed.result.code).toBe(0);
  expect([changed.summary.uploaded, changed.summary.deleted]).toEqual([1, 1]);
  expect(changed.summary.requests.byOperation).toMatchObject({ DeleteObjects: 1, DeleteObject: 1 });
  expect(changed.sdkLoaded).toBe(false);
  const keys = [...(await listBucket(bucket)).keys()].filter((key) => !key.startsWith('.fleuron/')).sort();
  expect(keys).toEqual(['about/index.html', 'index.html', 'style.css']);
  expect((await listBucket(bucket)).has('.fleuron/lock.json')).toBe(false);
}, 60_000);
