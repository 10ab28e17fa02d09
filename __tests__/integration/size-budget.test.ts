/** `fleuron publish SRC` builds first: its budget warnings are about the bytes readers will download, gzipped only with --gzip. */
import path from 'node:path';
import { cliEnv, createTestBucket } from '../support/test-s3.js';
import { makeFolder, runCli } from '../support/run-cli.js';

// About 9 KB of HTML that gzips to about 1 KB: with the CSS, over an 8 KB budget uncompressed, well within it gzipped.
const SITE = {
  'fleuron.yaml': 'title: Budget\nbudget:\n  pageKb: 8\n',
  'index.md': 'Home.',
  'long.md': Array.from({ length: 150 }, () => 'The same sentence again and again, as in a long changelog.').join('\n\n'),
};

test('publish --gzip checks the budget on gzipped pages; without it, on the uncompressed pages Garage will serve', async () => {
  const bucket = await createTestBucket('budget');
  const src = await makeFolder(SITE);
  const plain = await runCli(['publish', src, '--out', path.join(src, '..', 'public-plain')], { cwd: path.dirname(src), env: cliEnv(bucket) });
  expect(plain.code).toBe(0);
  expect(plain.stderr).toMatch(/1 page is over the 8 KiB budget \(as served, uncompressed, with their CSS\): long\.html [\d.]+ KiB/);
  const gzipped = await runCli(['publish', src, '--gzip', '--out', path.join(src, '..', 'public-gzip')], { cwd: path.dirname(src), env: cliEnv(bucket) });
  expect(gzipped.code).toBe(0);
  expect(gzipped.stderr).not.toMatch(/over the 8 KiB budget/);
});
