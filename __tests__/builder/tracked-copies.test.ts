/** Which of a build's copies hold their source's git blob (for the publish that follows the build). */
import { statSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TrackedCopies } from '../../lib/builder/write/tracked-copies.js';
import { git, settle } from '../support/git.js';

/** A committed source folder whose index was written a tick after its files (not racily clean), and an output folder. */
async function project() {
  const root = await mkdtemp(path.join(os.tmpdir(), 'tracked-copies-'));
  const files = { 'src/img/a.png': 'aaaa', 'src/b.pdf': 'bbbb', 'src/c.txt': 'cccc', 'src/d.txt': 'dddd', 'theme.css': 'p{}' };
  for (const [relative, body] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, relative)), { recursive: true });
    await writeFile(path.join(root, relative), body);
  }
  git(root, 'init', '--quiet');
  git(root, 'add', '.');
  git(root, 'commit', '--quiet', '-m', 'x');
  await settle(root);
  await mkdir(path.join(root, 'out/img'), { recursive: true });
  return { root, src: path.join(root, 'src'), out: path.join(root, 'out') };
}

async function copy(tracked: TrackedCopies, source: string, out: string, outputPath: string, between?: () => Promise<void>) {
  const entry = tracked.before(source);
  await between?.();
  await copyFile(source, path.join(out, outputPath));
  tracked.after(outputPath, source, path.join(out, outputPath), entry);
}

test('a copy of a tracked source that kept git\'s stamp before and after is noted with the blob and the copy\'s stamp; the others are not', async () => {
  const { root, src, out } = await project();
  const tracked = TrackedCopies.of(src);
  await copy(tracked, path.join(src, 'img/a.png'), out, 'img/a.png');
  // Edited after the checkout (same size): git's stamp no longer holds.
  await writeFile(path.join(src, 'b.pdf'), 'BBBB');
  await copy(tracked, path.join(src, 'b.pdf'), out, 'b.pdf');
  // Edited while it was being copied: the bytes copied may be either version.
  await copy(tracked, path.join(src, 'c.txt'), out, 'c.txt', () => writeFile(path.join(src, 'c.txt'), 'CCCC'));
  // The theme's files are outside the sources.
  await copy(tracked, path.join(root, 'theme.css'), out, 'theme.css');
  expect([...tracked.copies.keys()]).toEqual(['img/a.png']);
  const noted = tracked.copies.get('img/a.png')!;
  expect(noted.blob).toBe(git(root, 'hash-object', 'src/img/a.png').trim());
  const stats = statSync(path.join(out, 'img/a.png'));
  expect(noted.stamp).toEqual({ size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs, ino: stats.ino });
});

test('no repository, or attributes that can change a checkout\'s bytes: nothing is noted', async () => {
  const plain = await mkdtemp(path.join(os.tmpdir(), 'tracked-copies-'));
  await writeFile(path.join(plain, 'a.txt'), 'a');
  const none = TrackedCopies.of(plain);
  await copy(none, path.join(plain, 'a.txt'), plain, 'copy.txt');
  expect(none.copies.size).toBe(0);

  const { root, src, out } = await project();
  await writeFile(path.join(root, '.gitattributes'), '*.txt text eol=crlf\n');
  git(root, 'add', '.gitattributes');
  git(root, 'commit', '--quiet', '-m', 'attributes');
  const attributed = TrackedCopies.of(src);
  await copy(attributed, path.join(src, 'd.txt'), out, 'd.txt');
  expect(attributed.copies.size).toBe(0);
});
