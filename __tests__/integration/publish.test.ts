/** `fleuron publish` end to end: the CLI as a child process, against a real S3 server over HTTP. */
import { appendFile, rm, stat, symlink, unlink, utimes, writeFile } from 'node:fs/promises';
import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import { cliEnv, createTestBucket, headObject, listBucket, testS3, websiteGet } from '../support/test-s3.js';
import { jsonSummary, makeFolder, runCli } from '../support/run-cli.js';
import { MIN_JOBS_FOR_WORKERS } from '../../lib/publish/file-hasher.js';

const SITE = {
  'index.html': '<!doctype html><title>Accueil</title><p>Bonjour</p>',
  'about.html': '<!doctype html><title>About</title>',
  'docs/index.html': '<!doctype html><title>Docs</title>',
  'css/style.css': 'body { color: #222 }',
  'img/logo.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
  'feed.xml': '<?xml version="1.0"?><feed/>',
};

async function publishJson(dir: string, bucket: string, extraArgs: string[] = [], env: Record<string, string> = {}) {
  const result = await runCli(['publish', dir, '--json', ...extraArgs], { env: cliEnv(bucket, env) });
  return { result, summary: jsonSummary(result) };
}

const puts = (summary: ReturnType<typeof jsonSummary>) => summary.requests.byOperation.PutObject ?? 0;

describe('publish: diff-based sync', () => {
  let bucket: string;
  let dir: string;

  beforeAll(async () => {
    bucket = await createTestBucket('sync');
    dir = await makeFolder(SITE);
  });

  test('first publish uploads every file and makes the bucket equal to the folder', async () => {
    const { result, summary } = await publishJson(dir, bucket);
    expect(result.code).toBe(0);
    expect(summary.uploaded).toBe(6);
    const listing = await listBucket(bucket);
    const siteKeys = [...listing.keys()].filter((key) => !key.startsWith('.fleuron/')).sort();
    expect(siteKeys).toEqual(Object.keys(SITE).sort());
  });

  test('re-publishing an unchanged folder sends no PUT at all', async () => {
    const { result, summary } = await publishJson(dir, bucket);
    expect(result.code).toBe(0);
    expect(summary.uploaded).toBe(0);
    expect(summary.unchanged).toBe(6);
    expect(puts(summary)).toBe(0);
    expect(summary.requests.byOperation.CopyObject ?? 0).toBe(0);
    // one listing page, the manifest, and the live website configuration (so that a configuration removed by hand is noticed)
    expect(summary.requests.byOperation).toEqual({ GetBucketWebsite: 1, ListObjectsV2: 1, GetObject: 1 });
  });

  test('touching every mtime uploads nothing: content is compared by hash', async () => {
    const later = new Date(Date.now() + 3600_000);
    for (const file of Object.keys(SITE)) await utimes(path.join(dir, file), later, later);
    const { summary } = await publishJson(dir, bucket);
    expect(puts(summary)).toBe(0);
    expect(summary.unchanged).toBe(6);
  });

  test('changing one file uploads that file only (plus the manifest record)', async () => {
    await appendFile(path.join(dir, 'about.html'), '<p>more</p>');
    const { summary } = await publishJson(dir, bucket);
    expect(summary.uploaded).toBe(1);
    // about.html, plus the bookkeeping of any changing publish: .fleuron/manifest.json and .fleuron/lock.json
    expect(puts(summary)).toBe(3);
    expect(summary.requests.byOperation.DeleteObject).toBe(1); // the lock, released
    const head = await headObject(bucket, 'about.html');
    expect(head.ContentLength).toBe(Buffer.byteLength(SITE['about.html'] + '<p>more</p>'));
  });

  test('changing a header rule re-sets headers with server-side copies, never re-sending bodies', async () => {
    const config = await makeFolder({ 'fleuron.yaml': 'publish:\n  headers:\n    - match: "**/*.css"\n      cacheControl: "public, max-age=60"\n' });
    const result = await runCli(['publish', dir, '--json'], { cwd: config, env: cliEnv(bucket) });
    const summary = jsonSummary(result);
    expect(result.code).toBe(0);
    expect(summary.uploaded).toBe(0);
    expect(summary.headersUpdated).toBe(1);
    expect(summary.requests.byOperation.CopyObject).toBe(1);
    expect(puts(summary)).toBe(2); // the manifest and the lock, no body
    const head = await headObject(bucket, 'css/style.css');
    expect(head.CacheControl).toBe('public, max-age=60');
    expect(head.ContentType).toBe('text/css; charset=utf-8');
    // and the next run with the same rule is a no-op
    const again = jsonSummary(await runCli(['publish', dir, '--json'], { cwd: config, env: cliEnv(bucket) }));
    expect(again.headersUpdated).toBe(0);
    expect(again.requests.byOperation.CopyObject ?? 0).toBe(0);
  });

  test('a file deleted locally is deleted remotely, with one request', async () => {
    await unlink(path.join(dir, 'img/logo.svg'));
    const { summary } = await publishJson(dir, bucket);
    expect(summary.deleted).toBe(1);
    expect(summary.requests.byOperation.DeleteObjects).toBe(1);
    expect((await listBucket(bucket)).has('img/logo.svg')).toBe(false);
  });

  test('--dry-run prints the plan with reasons and changes nothing', async () => {
    await writeFile(path.join(dir, 'new.html'), '<p>new</p>');
    await unlink(path.join(dir, 'feed.xml'));
    const before = await listBucket(bucket);
    const { result, summary } = await publishJson(dir, bucket, ['--dry-run']);
    expect(result.code).toBe(0);
    expect(summary.plan).toEqual(
      expect.arrayContaining([
        { kind: 'upload', key: 'new.html', reason: 'new', size: 10 },
        { kind: 'delete', key: 'feed.xml', reason: 'no longer in the folder' },
      ]),
    );
    expect(puts(summary)).toBe(0);
    expect(await listBucket(bucket)).toEqual(before);
    const text = await runCli(['publish', dir, '--dry-run'], { env: cliEnv(bucket) });
    expect(text.stdout).toMatch(/upload\s+new\.html.*\(new\)/);
    expect(text.stdout).toMatch(/delete\s+feed\.xml\s+\(no longer in the folder\)/);
  });

  test('the delete cap stops the publish before any change', async () => {
    const before = await listBucket(bucket);
    const { result, summary } = await publishJson(dir, bucket, ['--max-deletes', '0']);
    expect(result.code).toBe(1);
    expect(summary.ok).toBe(false);
    expect(result.stderr).toMatch(/would delete 1 objects, more than the cap of 0; nothing was changed/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(await listBucket(bucket)).toEqual(before); // new.html was not uploaded either
  });

  test('an empty folder is never published over a non-empty bucket', async () => {
    const empty = await makeFolder({});
    const before = await listBucket(bucket);
    const { result } = await publishJson(empty, bucket, ['--max-deletes', '-1']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/nothing to publish.*refusing to empty the site/);
    expect(await listBucket(bucket)).toEqual(before);
  });
});

describe('publish: hash cache', () => {
  test('files unchanged on disk are not re-read; a rewrite with its old mtime restored is still caught', async () => {
    const bucket = await createTestBucket('hashcache');
    const dir = await makeFolder(SITE);
    // Files changed within 2 s of a scan are never cached (same-tick rewrites): let the folder age.
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const first = await publishJson(dir, bucket);
    expect(first.summary.uploaded).toBe(6);
    expect(first.summary.hashesFromCache).toBe(0);

    const second = await publishJson(dir, bucket);
    expect(second.summary.hashesFromCache).toBe(6);
    expect(second.summary.unchanged).toBe(6);
    expect(puts(second.summary)).toBe(0);

    // Same size, same mtime, other bytes: the ctime moved, so the file is hashed again and uploaded.
    const file = path.join(dir, 'about.html');
    const { mtime } = await stat(file);
    const rewritten = SITE['about.html'].replace('About', 'Aprop');
    await writeFile(file, rewritten);
    await utimes(file, mtime, mtime);
    const third = await publishJson(dir, bucket);
    expect(third.summary.uploaded).toBe(1);
    expect(third.summary.hashesFromCache).toBe(5);
    expect((await headObject(bucket, 'about.html')).ETag).toBe(`"${createHash('md5').update(rewritten).digest('hex')}"`);

    const uncached = await publishJson(dir, bucket, ['--no-hash-cache']);
    expect(uncached.summary.hashesFromCache).toBe(0);
    expect(uncached.summary.unchanged).toBe(6);
  });
});

describe('publish: hash cache with hashing threads', () => {
  test('from 500 files the threads check the cached stamps: a rewrite with its old mtime restored is caught, the rest comes from the cache', async () => {
    const bucket = await createTestBucket('hashthreads');
    const files: Record<string, string> = {};
    for (let i = 0; i < MIN_JOBS_FOR_WORKERS + 100; i++) files[`d${i % 9}/p${i}.html`] = `<p>page ${i}</p>`;
    const dir = await makeFolder(files);
    await new Promise((resolve) => setTimeout(resolve, 2100)); // past the "just changed" window
    const count = Object.keys(files).length;
    expect((await publishJson(dir, bucket)).summary.uploaded).toBe(count);
    const second = await publishJson(dir, bucket, ['--dry-run']);
    expect(second.summary.hashesFromCache).toBe(count);
    expect(second.summary.unchanged).toBe(count);

    const file = path.join(dir, 'd3/p300.html');
    const { mtime } = await stat(file);
    await writeFile(file, '<p>page 999</p>'); // same size
    await utimes(file, mtime, mtime);
    const third = await publishJson(dir, bucket);
    expect(third.summary.uploaded).toBe(1);
    expect(third.summary.hashesFromCache).toBe(count - 1);
    expect((await headObject(bucket, 'd3/p300.html')).ETag).toBe(`"${createHash('md5').update('<p>page 999</p>').digest('hex')}"`);

    // Every stamp new, no byte changed (a fresh copy): a no-op that ends right after its scan still leaves the cache
    // written (the process waits for it), so the next publish reads nothing.
    const now = new Date();
    for (const name of Object.keys(files)) await utimes(path.join(dir, name), now, now);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const touched = await publishJson(dir, bucket);
    expect([touched.summary.uploaded, touched.summary.hashesFromCache]).toEqual([0, 0]);
    expect((await publishJson(dir, bucket, ['--dry-run'])).summary.hashesFromCache).toBe(count);

    // Every file rewritten: the scan starts one thread for a cache that looked warm, then grows the pool as reads add up.
    for (const name of Object.keys(files)) await writeFile(path.join(dir, name), files[name]!.replace('page', 'Page'));
    const fourth = await publishJson(dir, bucket);
    expect(fourth.summary.uploaded).toBe(count);
    expect(fourth.summary.hashesFromCache).toBe(0);
    expect((await headObject(bucket, 'd5/p500.html')).ETag).toBe(`"${createHash('md5').update('<p>Page 500</p>').digest('hex')}"`);
  });
});

describe('publish: headers', () => {
  const table: [string, string, string][] = [
    ['index.html', 'text/html; charset=utf-8', 'public, max-age=0, must-revalidate'],
    ['feed.xml', 'application/xml; charset=utf-8', 'public, max-age=0, must-revalidate'],
    ['atom.atom', 'application/atom+xml; charset=utf-8', 'public, max-age=0, must-revalidate'],
    ['style.css', 'text/css; charset=utf-8', 'public, max-age=3600'],
    ['app.3f9a1c2e.css', 'text/css; charset=utf-8', 'public, max-age=31536000, immutable'],
    ['main.js', 'text/javascript; charset=utf-8', 'public, max-age=3600'],
    ['mod.mjs', 'text/javascript; charset=utf-8', 'public, max-age=3600'],
    ['data.json', 'application/json; charset=utf-8', 'public, max-age=0, must-revalidate'],
    ['site.webmanifest', 'application/manifest+json; charset=utf-8', 'public, max-age=0, must-revalidate'],
    ['logo.svg', 'image/svg+xml; charset=utf-8', 'public, max-age=3600'],
    ['photo.avif', 'image/avif', 'public, max-age=3600'],
    ['photo.webp', 'image/webp', 'public, max-age=3600'],
    ['photo.png', 'image/png', 'public, max-age=3600'],
    ['font.woff2', 'font/woff2', 'public, max-age=3600'],
    ['module.wasm', 'application/wasm', 'public, max-age=3600'],
    ['doc.pdf', 'application/pdf', 'public, max-age=3600'],
    ['robots.txt', 'text/plain; charset=utf-8', 'public, max-age=0, must-revalidate'],
    ['favicon.ico', 'image/x-icon', 'public, max-age=3600'],
    ['LICENSE', 'application/octet-stream', 'public, max-age=3600'],
    ['blob.unknownext', 'application/octet-stream', 'public, max-age=3600'],
  ];

  test('every object gets the Content-Type and Cache-Control of the rules', async () => {
    const bucket = await createTestBucket('headers');
    const dir = await makeFolder(Object.fromEntries(table.map(([name]) => [name, `content of ${name}`])));
    const { result } = await publishJson(dir, bucket);
    expect(result.code).toBe(0);
    for (const [name, contentType, cacheControl] of table) {
      const head = await headObject(bucket, name);
      expect({ name, contentType: head.ContentType, cacheControl: head.CacheControl }).toEqual({ name, contentType, cacheControl });
    }
  });

  test('--gzip stores text compressed with Content-Encoding: gzip, and re-publishing is a no-op', async () => {
    const bucket = await createTestBucket('gzip');
    const dir = await makeFolder({ 'index.html': '<p>hello</p>'.repeat(200), 'photo.png': randomBytes(300) });
    expect((await publishJson(dir, bucket, ['--gzip'])).result.code).toBe(0);
    const page = await headObject(bucket, 'index.html');
    expect(page.ContentEncoding).toBe('gzip');
    expect(page.ContentLength).toBeLessThan(200 * 12);
    expect((await headObject(bucket, 'photo.png')).ContentEncoding).toBeUndefined();
    const again = await publishJson(dir, bucket, ['--gzip']);
    expect(again.summary.uploaded).toBe(0);
    expect(puts(again.summary)).toBe(0);
    // a header-only change keeps the stored encoding: the server-side copy re-sends every header
    const config = await makeFolder({ 'fleuron.yaml': 'publish:\n  headers:\n    - match: "**/*.html"\n      cacheControl: "public, max-age=120"\n' });
    const changed = jsonSummary(await runCli(['publish', dir, '--json', '--gzip'], { cwd: config, env: cliEnv(bucket) }));
    expect(changed.headersUpdated).toBe(1);
    expect(changed.uploaded).toBe(0);
    const copied = await headObject(bucket, 'index.html');
    expect({ type: copied.ContentType, cache: copied.CacheControl, encoding: copied.ContentEncoding }).toEqual({
      type: 'text/html; charset=utf-8',
      cache: 'public, max-age=120',
      encoding: 'gzip',
    });
  });
});

describe('publish: file names and sizes', () => {
  const nfd = 'Re\u0301union 2.html'; // "Réunion 2.html" as macOS writes it
  const names = ['with space.html', 'café.html', nfd, 'a+b.html', 'hash#tag.html', 'per%cent.html', 'what?.html', 'empty.txt'];

  test('odd names round-trip as NFC keys and are served at their percent-encoded URLs', async () => {
    const bucket = await createTestBucket('names');
    const files: Record<string, string> = { 'index.html': 'home', '404.html': 'not found' };
    for (const name of names) files[name] = name === 'empty.txt' ? '' : `page ${name.normalize('NFC')}`;
    const dir = await makeFolder(files);
    const { result, summary } = await publishJson(dir, bucket);
    expect(result.code).toBe(0);
    expect(summary.uploaded).toBe(names.length + 2);
    const keys = await listBucket(bucket);
    expect(keys.has('Réunion 2.html'.normalize('NFC'))).toBe(true);
    expect(keys.has(nfd)).toBe(false);
    expect(keys.get('empty.txt')?.size).toBe(0);
    // Ceph RGW cannot serve a key holding a literal % through its website endpoint (Garage decodes once and can).
    const served = names.filter((n) => n !== 'empty.txt' && !(testS3().kind === 'ceph' && n.includes('%')));
    for (const name of served) {
      const key = name.normalize('NFC');
      const response = await websiteGet(bucket, `/${encodeURIComponent(key)}`);
      expect({ key, status: response.status, body: response.body.toString() }).toEqual({ key, status: 200, body: `page ${key}` });
    }
    const again = await publishJson(dir, bucket);
    expect(puts(again.summary)).toBe(0);
  });

  test('a file above the multipart threshold uploads in parts and is a no-op on re-publish', async () => {
    const bucket = await createTestBucket('multipart');
    const big = randomBytes(17 * 1024 * 1024 + 12345);
    const dir = await makeFolder({ 'index.html': 'home', 'video.bin': big });
    const first = await publishJson(dir, bucket);
    expect(first.result.code).toBe(0);
    expect(first.summary.requests.byOperation.UploadPart).toBe(3);
    expect((await listBucket(bucket)).get('video.bin')?.size).toBe(big.length);
    const again = await publishJson(dir, bucket);
    expect(again.summary.uploaded).toBe(0);
    expect(again.summary.requests.byOperation.UploadPart ?? 0).toBe(0);
    expect(puts(again.summary)).toBe(0);
    expect(again.summary.headersUpdated).toBe(0);
  });

  test('dotfiles, .env and dependencies are not uploaded; .well-known is', async () => {
    const bucket = await createTestBucket('dots');
    const dir = await makeFolder({
      'index.html': 'home',
      '.env': 'AWS_SECRET_ACCESS_KEY=leak',
      '.env.production': 'X=1',
      '.git/config': '[core]',
      '.hidden/page.html': 'x',
      'sub/.DS_Store': 'x',
      'node_modules/pkg/index.js': 'x',
      'Thumbs.db': 'x',
      '.well-known/security.txt': 'Contact: mailto:a@b',
    });
    const { result } = await publishJson(dir, bucket);
    expect(result.code).toBe(0);
    const keys = [...(await listBucket(bucket)).keys()].filter((key) => !key.startsWith('.fleuron/')).sort();
    expect(keys).toEqual(['.well-known/security.txt', 'index.html']);
    expect(result.stderr).toMatch(/warning: \.env is in the folder to publish/);
  });

  test('a symlink inside the folder is published as its target; one pointing outside is refused', async () => {
    const bucket = await createTestBucket('links');
    const dir = await makeFolder({ 'index.html': 'home', 'real.css': 'a{}' });
    await symlink(path.join(dir, 'real.css'), path.join(dir, 'alias.css'));
    expect((await publishJson(dir, bucket)).summary.uploaded).toBe(3);
    await symlink('/etc/hostname', path.join(dir, 'outside.txt'));
    const { result } = await publishJson(dir, bucket);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/outside\.txt is a symlink to .*outside the folder/);
    await rm(path.join(dir, 'outside.txt'));
  });
});

describe('publish: website endpoint', () => {
  test('the published site is served: index at /, nested index, 404 document with status 404', async () => {
    const bucket = await createTestBucket('web');
    const dir = await makeFolder({ ...SITE, '404.html': '<p>introuvable</p>' });
    const { result, summary } = await publishJson(dir, bucket);
    expect(result.code).toBe(0);
    expect(summary).toMatchObject({ website: 'configured' });
    const home = await websiteGet(bucket, '/');
    expect(home.status).toBe(200);
    expect(home.body.toString()).toContain('Bonjour');
    expect(home.headers['content-type']).toBe('text/html; charset=utf-8');
    expect((await websiteGet(bucket, '/docs/')).body.toString()).toContain('Docs');
    const missing = await websiteGet(bucket, '/nope.html');
    expect(missing.status).toBe(404);
    expect(missing.body.toString()).toContain('introuvable');
    if (testS3().kind === 's3rver') {
      // Garage (and s3rver) answer /docs with a 302 to /docs/
      const bare = await websiteGet(bucket, '/docs');
      expect(bare.status).toBe(302);
    }
  });
});
