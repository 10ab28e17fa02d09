/** What the CLI prints stays what it means: a reader that stops early, or a hostile file name, breaks nothing. */
import { spawn } from 'node:child_process';
import { CLI, makeFolder, runCli } from '../support/run-cli.js';
import { cliEnv, createTestBucket } from '../support/test-s3.js';

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

test('a file name cannot write terminal escape sequences into --dry-run output: control characters are printed escaped', async () => {
  const hostile = 'red\u001b[31m\u001b]0;owned\u0007\u009b2J.txt';
  const dir = await makeFolder({ 'index.html': '<p>home', [hostile]: 'x' });
  const bucket = await createTestBucket('escape');
  const result = await runCli(['publish', dir, '--dry-run'], { env: cliEnv(bucket) });
  expect(result.code).toBe(0);
  const output = result.stdout + result.stderr;
  expect(output).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  expect(result.stdout).toContain('red\\u001b[31m\\u001b]0;owned\\u0007\\u009b2J.txt');
});
