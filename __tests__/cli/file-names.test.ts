/**
 * One rule for file names, in build and publish alike: a name that is not UTF-8, or that holds a control character
 * (a newline, a carriage return…), is refused with one line naming it; a valid name holding U+FFFD is fine.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeFolder, runCli } from '../support/run-cli.js';
import { cliEnv, createTestBucket } from '../support/test-s3.js';

/** `f<0xff>.txt`: a name that is not UTF-8, written through a Buffer path. */
function writeNonUtf8(dir: string): void {
  writeFileSync(Buffer.concat([Buffer.from(`${dir}/`), Buffer.from([0x66, 0xff, 0x2e, 0x74, 0x78, 0x74])]), 'x');
}

describe('fleuron build', () => {
  test('refuses a file name holding a newline (exit 2, the name escaped)', async () => {
    const dir = await makeFolder({ 'site/index.md': '# Bonjour\n', 'site/a\nb.txt': 'x' });
    const result = await runCli(['build', 'site', '--out', 'public'], { cwd: dir });
    expect({ code: result.code, stderr: result.stderr.trim() }).toEqual({ code: 2, stderr: expect.stringMatching(/^fleuron: the file name "a\\u000ab\.txt" contains a control character/) });
  });

  test('refuses a file name that is not UTF-8 (exit 2)', async () => {
    const dir = await makeFolder({ 'site/index.md': '# Bonjour\n' });
    writeNonUtf8(path.join(dir, 'site'));
    const result = await runCli(['build', 'site', '--out', 'public'], { cwd: dir });
    expect({ code: result.code, stderr: result.stderr.trim() }).toEqual({ code: 2, stderr: expect.stringMatching(/^fleuron: the file name "f\uFFFD\.txt" is not valid UTF-8/) });
  });
});

describe('fleuron publish', () => {
  test('publishes a valid name that holds U+FFFD', async () => {
    const dir = await makeFolder({ 'index.html': '<p>home', 'caf\uFFFD.txt': 'x' });
    const result = await runCli(['publish', dir, '--dry-run'], { env: cliEnv(await createTestBucket('fffd')) });
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
    expect(result.stdout).toContain('caf\uFFFD.txt');
  });

  test('refuses a file name that is not UTF-8 with the rule the build uses (exit 2), not "ENOENT"', async () => {
    const dir = await makeFolder({ 'index.html': '<p>home' });
    writeNonUtf8(dir);
    const result = await runCli(['publish', dir, '--dry-run'], { env: cliEnv(await createTestBucket('nonutf8')) });
    expect({ code: result.code, stderr: result.stderr.trim() }).toEqual({ code: 2, stderr: expect.stringMatching(/^fleuron: the file name "f\uFFFD\.txt" is not valid UTF-8/) });
  });
});

test('fleuron publish refuses a name with a newline, and a folder whose name is not UTF-8, instead of passing over them (and deleting their remote copies)', async () => {
  const bucket = await createTestBucket('newline');
  const newline = await makeFolder({ 'index.html': '<p>home', 'notes/a\nb.txt': 'x' });
  const refused = await runCli(['publish', newline, '--dry-run'], { env: cliEnv(bucket) });
  expect({ code: refused.code, stderr: refused.stderr.trim() }).toEqual({ code: 2, stderr: expect.stringMatching(/^fleuron: the file name "notes\/a\\u000ab\.txt" contains a control character/) });
  const folder = await makeFolder({ 'index.html': '<p>home' });
  const badFolder = Buffer.concat([Buffer.from(`${folder}/`), Buffer.from([0x64, 0xff])]);
  (await import('node:fs')).mkdirSync(badFolder);
  writeFileSync(Buffer.concat([badFolder, Buffer.from('/page.html')]), '<p>');
  const result = await runCli(['publish', folder, '--dry-run'], { env: cliEnv(bucket) });
  expect({ code: result.code, stderr: result.stderr.trim() }).toEqual({ code: 2, stderr: expect.stringMatching(/^fleuron: the file name "d\uFFFD" is not valid UTF-8/) });
});
