/**
 * A finished publish ends its process as soon as its output is flushed (bin/end-once-flushed.js): what it printed
 * still reaches a reader that reads slowly, whole, and the exit code is the publish's own.
 */
import { spawn } from 'node:child_process';
import { CLI, makeFolder } from '../support/run-cli.js';
import { cliEnv, createTestBucket } from '../support/test-s3.js';

/** Runs the CLI and reads its stdout only after `delayMs` (the pipe fills meanwhile): stdout, stderr and exit code. */
function runWithSlowReader(args: string[], env: Record<string, string>, delayMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', CI: 'true', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.pause();
    setTimeout(() => {
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stdout.resume();
    }, delayMs);
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('a dry run printing far more than a pipe holds reaches a slow reader whole, with exit code 0', async () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 3000; i++) files[`posts/${i}/index.html`] = `<p>${i}</p>`;
  const dir = await makeFolder(files);
  const bucket = await createTestBucket('exit');
  const result = await runWithSlowReader(['publish', dir, '--dry-run', '--json', '--no-hash-cache'], cliEnv(bucket), 500);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  expect(result.stdout.length).toBeGreaterThan(4 * 65536);
  const summary = JSON.parse(result.stdout);
  expect(summary.plan).toHaveLength(3000);
  expect(summary.uploaded).toBe(3000);
}, 60_000);

test('a publish that fails keeps its exit code and its error line', async () => {
  const dir = await makeFolder({ 'index.html': '<p>home</p>' });
  const bucket = await createTestBucket('exit');
  const result = await runWithSlowReader(['publish', dir, '--json'], cliEnv(`${bucket}-missing`), 200);
  expect(result.code).toBe(2);
  expect(JSON.parse(result.stdout).error.message).toMatch(/does not exist/);
  expect(result.stderr).toMatch(/^fleuron: .*does not exist/m);
}, 60_000);
