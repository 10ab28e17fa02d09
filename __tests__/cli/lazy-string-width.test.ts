/**
 * scripts/bundle.mjs loads `string-width` (yargs' help layout) on first use, not with the CLI: its ICU segmenter and
 * Unicode regular expressions were 40-55 ms of every command's start. A child process counts the segmenters built
 * while the bundle is imported (none), then while --help is rendered (some: the count can see them).
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../support/run-cli.js';

const run = promisify(execFile);

const PROBE = `
let built = 0;
const Original = Intl.Segmenter;
Intl.Segmenter = class extends Original { constructor(...args) { super(...args); built += 1; } };
const { main } = await import(${JSON.stringify(path.join(REPO_ROOT, 'dist/bundle/main.js'))});
const atImport = built;
process.on('exit', () => process.stderr.write(JSON.stringify({ atImport, afterHelp: built })));
await main(['--help']);
`;

test('importing the CLI builds no text segmenter; rendering --help does, and the help is laid out', async () => {
  const { stdout, stderr } = await run(process.execPath, ['--input-type=module', '-e', PROBE], { env: { ...process.env, COLUMNS: '100' } });
  const counts = JSON.parse(stderr.slice(stderr.lastIndexOf('{'))) as { atImport: number; afterHelp: number };
  expect(counts.atImport).toBe(0);
  expect(counts.afterHelp).toBeGreaterThan(0);
  // Two columns: a command, then its description on the same line.
  expect(stdout).toMatch(/^ {2}fleuron publish \[dir\] +build \(if DIR holds sources\)/m);
});
