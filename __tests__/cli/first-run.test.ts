/** What a newcomer meets: init, --help with examples, suggestions for typos, no colour codes. */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../support/run-cli.js';

test('fleuron init scaffolds a site that builds, and refuses to overwrite it', async () => {
  const parent = await mkdtemp(path.join(os.tmpdir(), 'init-'));
  const created = await runCli(['init', 'mon-site', '--title', 'Mon site'], { cwd: parent });
  expect(created.code).toBe(0);
  const dir = path.join(parent, 'mon-site');
  for (const file of ['site-src/fleuron.yaml', 'site-src/index.md', '.env.example', '.gitignore', 'ci-examples/woodpecker.yml', 'ci-examples/github-actions.yml', 'ci-examples/gitlab-ci.yml']) {
    expect(existsSync(path.join(dir, file))).toBe(true);
  }
  expect(await readFile(path.join(dir, '.gitignore'), 'utf8')).toMatch(/^\.env$/m);
  expect(created.stdout).toMatch(/next: cd mon-site && fleuron publish --local/);

  const built = await runCli(['build'], { cwd: dir });
  expect(built.code).toBe(0);
  expect(await readFile(path.join(dir, 'public/index.html'), 'utf8')).toContain('Mon site');

  const again = await runCli(['init', 'mon-site'], { cwd: parent });
  expect(again.code).toBe(2);
  expect(again.stderr).toMatch(/already exists; nothing was written/);
});

test.each(['init', 'build', 'publish', 'preview', 'history', 'rollback'])('fleuron %s --help shows examples', async (command) => {
  const result = await runCli([command, '--help']);
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/Examples:/);
});

test('fleuron --help lists every command and the exit codes, without colour codes', async () => {
  const result = await runCli(['--help'], { env: { NO_COLOR: '1' } });
  for (const command of ['init', 'build', 'preview', 'publish', 'history', 'rollback']) expect(result.stdout).toMatch(new RegExp(`fleuron ${command}`));
  expect(result.stdout).toMatch(/Exit codes: 0 ok, 1 .*, 2 usage or configuration error/);
  expect(result.stdout).not.toMatch(/\u001b\[/);
});

test.each([
  [['publsh'], /Did you mean publish\?/],
  [['build', '--outt', 'x'], /Unknown argument: outt — did you mean --out\?/],
  [['publish', '--concurency', '2'], /did you mean --concurrency\?/],
])('typos get a suggestion: %j', async (args, message) => {
  const result = await runCli(args);
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(message);
});
