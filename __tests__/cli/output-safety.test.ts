/** What the CLI prints stays what it means: a reader that stops early, or a hostile file name, breaks nothing. */
import { spawn } from 'node:child_process';
import { CLI, makeFolder, runCli } from '../support/run-cli.js';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { cliEnv, createTestBucket, testClient } from '../support/test-s3.js';

test('a reader that stops early (`fleuron … | head -1`) ends the output quietly: no EPIPE stack trace, the command\'s own exit code', async () => {
  const files = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`page-${i}.txt`, `${i}`]));
  const dir = await makeFolder({ 'index.html': '<p>home', ...files });
  const bucket = await createTestBucket('pipe');
  const child = spawn(process.execPath, [CLI, 'publish', dir, '--dry-run'], { env: { PATH: process.env.PATH ?? '', HOME: dir, CI: 'true', ...cliEnv(bucket) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // Like `head -1`: read the first line, then close the pipe.
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  child.stdout.destroy();
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  expect({ code, stderr: stderr.split('\n').filter((line) => /EPIPE|Unhandled|^\s+at /.test(line)) }).toEqual({ code: 0, stderr: [] });
});

test('names cannot write terminal escape sequences into --dry-run output: control characters are printed escaped', async () => {
  // The name rule refuses C0 controls in local names; C1 controls (U+009B is a one-character CSI) and bidi overrides
  // pass it, and keys already in the bucket may hold anything.
  const dir = await makeFolder({ 'index.html': '<p>home', 'csi\u009b2J\u202eevil.txt': 'x' });
  const bucket = await createTestBucket('escape');
  const client = testClient();
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'old\u001b[31m\u001b]0;owned\u0007.txt', Body: 'x' }));
  client.destroy();
  const result = await runCli(['publish', dir, '--dry-run'], { env: cliEnv(bucket) });
  expect(result.code).toBe(0);
  const output = result.stdout + result.stderr;
  expect(output).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
  expect(result.stdout).toContain('csi\\u009b2J\\u202eevil.txt');
  expect(result.stdout).toContain('old\\u001b[31m\\u001b]0;owned\\u0007.txt');
});
