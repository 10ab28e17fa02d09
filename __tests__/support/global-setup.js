// Starts the embedded S3 server (s3rver, in a child process) for the whole test run, unless
// FLEURON_TEST_S3_ENDPOINT names another server (e.g. Ceph RGW from scripts/real-s3).
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default async function globalSetup() {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  // Every temporary folder of the run (the tests', the CLI's, the server's) in one, removed by global-teardown.js:
  // runs had left ~35,000 of them in /tmp. The test workers and the processes they start inherit TMPDIR.
  const runFolder = mkdtempSync(path.join(os.tmpdir(), 'fleuron-test-run-'));
  process.env.TMPDIR = runFolder;
  globalThis.__fleuronRunFolder = runFolder;
  // Every CLI output of the run lands here; global-teardown.js checks that no secret leaked into it.
  const outputLog = path.join(mkdtempSync(path.join(os.tmpdir(), 'fleuron-outputs-')), 'outputs.log');
  writeFileSync(outputLog, '');
  process.env.FLEURON_TEST_OUTPUT_LOG = outputLog;
  // The CLI's hash cache (lib/publish/hash-cache.ts) goes here, not into the user's ~/.cache.
  process.env.XDG_CACHE_HOME = mkdtempSync(path.join(os.tmpdir(), 'fleuron-cache-'));
  if (process.env.FLEURON_TEST_S3_ENDPOINT) return;
  const { startLocalS3 } = await import('../../dist/local-server/local-s3.js');
  const directory = mkdtempSync(path.join(os.tmpdir(), 'fleuron-s3rver-'));
  const server = await startLocalS3({ directory });
  globalThis.__fleuronS3 = server;
  Object.assign(process.env, {
    FLEURON_TEST_S3_ENDPOINT: server.endpoint,
    FLEURON_TEST_S3_REGION: 'garage',
    FLEURON_TEST_S3_ACCESS_KEY_ID: 'S3RVER',
    FLEURON_TEST_S3_SECRET_ACCESS_KEY: 'fleuron-test-secret-9f4e2b7c', // s3rver accepts any secret; this one is grepped for in outputs
    FLEURON_TEST_S3_WEBSITE_ENDPOINT: server.endpoint,
    FLEURON_TEST_S3_KIND: 's3rver',
  });
}
