import { createHash } from 'node:crypto';
import { mkdtemp, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { hashJob, jobText, mayBeLarge, parseJobText, parseResultText, resultText, type HashResult } from '../../lib/publish/file-hasher.js';
import { cachedHash, cacheEntry, cacheStampText } from '../../lib/publish/hash-cache.js';

const HASH = `${'0'.repeat(32)}:9:`;

test('only files named as pages, style sheets, scripts or SVG are taken for small without a stat; anything else may be large', () => {
  for (const name of ['/site/index.html', '/site/a/page.HTM', '/site/assets/app.3f2a.css', '/site/app.js', '/site/mod.mjs', '/site/logo.svg']) expect([name, mayBeLarge(name)]).toEqual([name, false]);
  for (const name of ['/site/media/video.mp4', '/site/dl/data.zip', '/site/search-index.json', '/site/html', '/site/page.html.gz', '/site/README', '/site/a.jsx', '/site/font.woff2']) {
    expect([name, mayBeLarge(name)]).toEqual([name, true]);
  }
});

// openFirst: the stamp compared from the open descriptor (a cache that looked stale), not from a stat before the open.
test.each([false, true])('a job with the stamp the cache recorded is answered unchanged while the file keeps it, and hashed once it does not (openFirst %s)', async (openFirst) => {
  const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'hasher-')), 'a.html');
  await writeFile(file, 'version 1');
  const cachedEntry = `${cacheStampText(await stat(file), false)}\t${HASH}`;
  expect(await hashJob({ path: file, gzip: false, cachedEntry, openFirst })).toEqual({ ok: 'unchanged' });
  // Recorded without gzip: with gzip on, the file is read.
  const gzipped = await hashJob({ path: file, gzip: true, cachedEntry, openFirst });
  expect(gzipped).toEqual({ ok: true, entry: expect.stringMatching(/^\S+:z\t[0-9a-f]{32}:\d+:$/) });
  const { mtime } = await stat(file);
  await writeFile(file, 'version 2'); // same size, old mtime restored: the ctime moved
  await utimes(file, mtime, mtime);
  const result = await hashJob({ path: file, gzip: false, cachedEntry, openFirst });
  expect(result).toEqual({ ok: true, entry: cacheEntry(await stat(file), false, { md5: createHash('md5').update('version 2').digest('hex'), size: 9 }) });
  expect(cachedHash((result as { entry: string }).entry)).toEqual({ md5: createHash('md5').update('version 2').digest('hex'), size: 9 });
  expect(await hashJob({ path: `${file}.gone`, gzip: false, cachedEntry, openFirst })).toMatchObject({ ok: false, code: 'ENOENT' });
});

test('jobs and results survive their trip as text: paths with tabs, cached stamps, unchanged answers, errors', () => {
  const cachedEntry = `12:1700000000123.5:1700000000123.5:42:-\t${HASH}`;
  const jobs = [
    { path: '/site/a\tb.html', gzip: true },
    { path: '/site/x.css', gzip: false, cachedEntry },
    { path: '/site/y\t.css', gzip: false, cachedEntry, openFirst: true },
    { path: '/site/z.svg', gzip: true, cachedEntry, openFirst: true },
  ];
  for (const job of jobs) {
    expect(parseJobText(jobText(job))).toEqual(job);
  }
  const results: HashResult[] = [
    { ok: 'unchanged' },
    { ok: true, entry: cacheEntry({ size: 3, mtimeMs: 1.5, ctimeMs: 2.5, ino: 7 }, true, { size: 3, md5: 'a'.repeat(32) }) },
    { ok: true, entry: cacheEntry({ size: 3, mtimeMs: 1, ctimeMs: 2, ino: 7 }, false, { size: 3, md5: 'b'.repeat(32), multipartEtag: `${'c'.repeat(32)}-3` }) },
    { ok: false, code: 'EACCES', message: 'permission denied' },
  ];
  for (const result of results) expect(parseResultText(resultText(result))).toEqual(result);
});
