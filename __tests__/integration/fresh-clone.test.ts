/**
 * A publish from a fresh git clone (as CI runs it): the files git's index vouches for, whose blob the manifest records,
 * are not read (clone-hashes.ts); everything else is, and the bucket still ends equal to the folder.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { cliEnv, createTestBucket, listBucket } from '../support/test-s3.js';
import { jsonSummary, makeFolder, runCli } from '../support/run-cli.js';
import { git, settle } from '../support/git.js';

const SITE = {
  'site/index.html': '<p>accueil</p>',
  'site/a/page.html': '<p>une page</p>',
  'site/style.css': 'p { margin: 0 }',
  'site/img/logo.svg': '<svg/>',
  'site/big.bin': Buffer.alloc(17 * 2 ** 20, 7), // multipart-sized: its ETag is the parts'
  'notes.txt': 'outside the published folder',
};
const SITE_FILES = 5;

/**
 * A fresh clone. These few files are checked out within a clock tick or two of writing git's index, so git (and
 * fleuron) takes most of them for "racily clean" and trusts none of their stamps: `git status`, a tick later, checks
 * them and writes the index again, as a clone of thousands of files has most of its files older than its index anyway.
 */
async function cloneOf(origin: string): Promise<string> {
  const clone = path.join(await mkdtemp(path.join(os.tmpdir(), 'fleuron-clone-')), 'repo');
  git(path.dirname(clone), 'clone', '--quiet', '--no-hardlinks', origin, clone);
  await settle(clone);
  return clone;
}

async function publish(dir: string, bucket: string, ...flags: string[]) {
  const result = await runCli(['publish', dir, '--json', ...flags], { env: cliEnv(bucket) });
  expect(result.stderr).not.toMatch(/at .*\.js:\d+/);
  return { code: result.code, summary: jsonSummary(result) };
}

/** Whether every object's ETag is the MD5 of the clone's file (the large one: the parts' ETag). */
async function bucketMatches(bucket: string, site: string, keys: string[]) {
  const listing = await listBucket(bucket);
  for (const key of keys) {
    const body = await readFile(path.join(site, key));
    const etag = listing.get(key)?.etag;
    if (body.length <= 16 * 2 ** 20) expect(etag).toBe(createHash('md5').update(body).digest('hex'));
  }
}

describe('publish: a fresh git clone', () => {
  test('files git vouches for are taken from the manifest, not read; a committed change and a change not committed are found and uploaded', async () => {
    const bucket = await createTestBucket('fresh-clone');
    const origin = await makeFolder(SITE);
    git(origin, 'init', '--quiet');
    git(origin, 'add', '.');
    git(origin, 'commit', '--quiet', '-m', 'site');

    // The first publish reads every file (the manifest has no blob yet) and records the blobs.
    const first = await publish(path.join(await cloneOf(origin), 'site'), bucket);
    expect(first.code).toBe(0);
    expect(first.summary).toMatchObject({ uploaded: SITE_FILES, hashesFromGit: 0 });
    // s3rver gives a multipart object its whole MD5 for ETag, not the parts' (Ceph, Garage, S3): the manifest then
    // records no blob for it, whose parts' ETag only a read can give; the large file is read in every clone.
    const vouched = (await listBucket(bucket)).get('big.bin')!.etag.endsWith('-3') ? SITE_FILES : SITE_FILES - 1;

    // Another fresh clone: nothing read, nothing to do.
    const second = await publish(path.join(await cloneOf(origin), 'site'), bucket);
    expect(second.code).toBe(0);
    expect(second.summary).toMatchObject({ uploaded: 0, hashesFromGit: vouched, hashesFromCache: 0 });

    // A commit changes a page, keeping its size: that file alone is read and uploaded.
    await writeFile(path.join(origin, 'site/a/page.html'), '<p>une PAGE</p>');
    git(origin, 'commit', '--quiet', '-am', 'page');
    const third = await cloneOf(origin);
    const result = await publish(path.join(third, 'site'), bucket);
    expect(result.code).toBe(0);
    expect(result.summary).toMatchObject({ uploaded: 1, hashesFromGit: vouched - 1 });
    await bucketMatches(bucket, path.join(third, 'site'), ['index.html', 'a/page.html', 'style.css', 'img/logo.svg', 'big.bin']);

    // A clone whose style sheet was edited after the checkout (same size, not committed): git's stamp no longer holds.
    const fourth = await cloneOf(origin);
    await writeFile(path.join(fourth, 'site/style.css'), 'p { margin: 1 }');
    const edited = await publish(path.join(fourth, 'site'), bucket);
    expect(edited.code).toBe(0);
    expect(edited.summary).toMatchObject({ uploaded: 1, hashesFromGit: vouched - 1 });
    await bucketMatches(bucket, path.join(fourth, 'site'), ['index.html', 'a/page.html', 'style.css', 'img/logo.svg', 'big.bin']);

    // The edited file was not its blob: the manifest must not say the committed blob has the edited bytes' MD5, or the
    // next clone (the committed style sheet) would be taken for what the bucket holds.
    const fifth = await cloneOf(origin);
    const back = await publish(path.join(fifth, 'site'), bucket);
    expect(back.summary).toMatchObject({ uploaded: 1, hashesFromGit: vouched - 1 });
    await bucketMatches(bucket, path.join(fifth, 'site'), ['index.html', 'a/page.html', 'style.css', 'img/logo.svg', 'big.bin']);
  }, 120_000);

  test('a folder of sources built in a fresh clone: the build\'s copies of files git vouches for are not read again', async () => {
    const bucket = await createTestBucket('fresh-clone-source');
    const origin = await makeFolder({
      'site-src/index.md': '# Accueil\n\nBonjour.\n',
      'site-src/files/report.pdf': Buffer.alloc(40_000, 3),
      'site-src/files/data.txt': 'one, two\n',
    });
    git(origin, 'init', '--quiet');
    git(origin, 'add', '.');
    git(origin, 'commit', '--quiet', '-m', 'site');
    // As examples/ci runs it: the sources built into a new folder of the clone, then published.
    const publishSources = async (clone: string) => {
      const result = await runCli(['publish', 'site-src', '--json', '--out', path.join(clone, 'public')], { cwd: clone, env: cliEnv(bucket) });
      expect(result.stderr).not.toMatch(/at .*\.js:\d+/);
      expect(result.code).toBe(0);
      return jsonSummary(result);
    };
    const copies = ['files/report.pdf', 'files/data.txt'];

    const first = await publishSources(await cloneOf(origin));
    expect(first).toMatchObject({ hashesFromGit: 0 });
    // A new clone, built again: the two copies of tracked files are taken from the manifest; the pages and the
    // theme's files (not tracked) are read.
    const second = await cloneOf(origin);
    expect(await publishSources(second)).toMatchObject({ uploaded: 0, hashesFromGit: copies.length });
    await bucketMatches(bucket, path.join(second, 'public'), copies);

    // A source edited after the checkout (same size): its copy is not vouched for, it is read and uploaded.
    const edited = await cloneOf(origin);
    await writeFile(path.join(edited, 'site-src/files/report.pdf'), Buffer.alloc(40_000, 4));
    expect(await publishSources(edited)).toMatchObject({ uploaded: 1, hashesFromGit: copies.length - 1 });
    await bucketMatches(bucket, path.join(edited, 'public'), copies);

    // The committed source again: its copy is uploaded again (the edited bytes were not recorded as its blob's).
    const back = await cloneOf(origin);
    expect(await publishSources(back)).toMatchObject({ uploaded: 1, hashesFromGit: copies.length - 1 });
    await bucketMatches(bucket, path.join(back, 'public'), copies);
  }, 120_000);

  test('--no-hash-cache reads every file of a clone; a .gitattributes that changes line endings turns git off, one with text=auto does not', async () => {
    const bucket = await createTestBucket('fresh-clone-off');
    const origin = await makeFolder({ ...SITE, 'site/big.bin': 'small now' });
    git(origin, 'init', '--quiet');
    git(origin, 'add', '.');
    git(origin, 'commit', '--quiet', '-m', 'site');
    expect((await publish(path.join(await cloneOf(origin), 'site'), bucket)).summary).toMatchObject({ uploaded: SITE_FILES });
    expect((await publish(path.join(await cloneOf(origin), 'site'), bucket, '--no-hash-cache')).summary).toMatchObject({ uploaded: 0, hashesFromGit: 0 });
    expect((await publish(path.join(await cloneOf(origin), 'site'), bucket)).summary).toMatchObject({ uploaded: 0, hashesFromGit: SITE_FILES });
    // Racily clean: files stamped no earlier than the index was written are read. Made certain here by dating the index
    // back (a clone left unsettled has most of its files in the index's tick, but how many depends on the machine).
    const racy = await cloneOf(origin);
    await utimes(path.join(racy, '.git/index'), new Date(1_000_000), new Date(1_000_000));
    expect((await publish(path.join(racy, 'site'), bucket)).summary).toMatchObject({ uploaded: 0, hashesFromGit: 0 });

    await writeFile(path.join(origin, '.gitattributes'), '*.css text eol=crlf\n');
    git(origin, 'add', '.gitattributes');
    git(origin, 'commit', '--quiet', '-m', 'attributes');
    const clone = await cloneOf(origin);
    const result = await publish(path.join(clone, 'site'), bucket);
    // The checkout wrote the style sheet with CRLF line endings: read, found different, uploaded.
    expect(result.summary).toMatchObject({ hashesFromGit: 0 });
    await bucketMatches(bucket, path.join(clone, 'site'), ['index.html', 'style.css']);

    // `* text=auto`, as many repositories have it: a Linux checkout keeps each blob's bytes, so git is trusted again.
    await writeFile(path.join(origin, '.gitattributes'), '* text=auto\n*.svg binary\n');
    await writeFile(path.join(origin, 'site/notes.txt'), 'une ligne\r\nune autre\r\n');
    git(origin, 'add', '.');
    git(origin, 'commit', '--quiet', '-m', 'text=auto');
    expect((await publish(path.join(await cloneOf(origin), 'site'), bucket)).code).toBe(0);
    const again = await cloneOf(origin);
    expect((await publish(path.join(again, 'site'), bucket)).summary).toMatchObject({ uploaded: 0, hashesFromGit: SITE_FILES + 1 });
    await bucketMatches(bucket, path.join(again, 'site'), ['index.html', 'style.css', 'notes.txt']);
  }, 120_000);
});
