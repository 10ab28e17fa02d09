import { mkdtemp, readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { cachedHash, cacheEntry, entryMatches, HashCache, isWholeEntry } from '../../lib/publish/hash-cache.js';
import type { FileStamp } from '../../lib/publish/body-hash.js';

/** The hash in a cache entry, if the entry was recorded for exactly this stamp and gzip setting. */
function matchCacheEntry(entry: string | undefined, stamp: FileStamp, gzip: boolean) {
  return entry !== undefined && isWholeEntry(entry) && entryMatches(entry, stamp, gzip) ? cachedHash(entry) : undefined;
}

/** What a scan does with the cache: match the recorded entry (in a hashing thread), then keep a hit for the next scan. */
function lookup(cache: HashCache, relative: string, fileStamp: FileStamp, gzip: boolean) {
  const found = matchCacheEntry(cache.entry(relative), fileStamp, gzip);
  if (found) cache.reuse(relative);
  return found;
}

const stamp = { size: 10, mtimeMs: 1_000, ctimeMs: 1_000, ino: 42 };
const hash = { size: 10, md5: '0123456789abcdef0123456789abcdef' };

async function cacheFile() {
  return path.join(await mkdtemp(path.join(os.tmpdir(), 'hash-cache-')), 'sub', 'hashes.json');
}

test('a hash recorded in one scan is found by the next for the same stamp and gzip setting only', async () => {
  const file = await cacheFile();
  const first = HashCache.open('/site', { file });
  expect(lookup(first, 'a.html', stamp, false)).toBeUndefined();
  first.rememberEntry('a.html', cacheEntry(stamp, false, hash));
  await first.save('/site');

  const second = HashCache.open('/site', { file });
  expect(lookup(second, 'a.html', stamp, true)).toBeUndefined();
  expect(lookup(second, 'a.html', { ...stamp, ctimeMs: 1_001 }, false)).toBeUndefined();
  expect(lookup(second, 'a.html', { ...stamp, ino: 43 }, false)).toBeUndefined();
  expect(lookup(second, 'a.html', { ...stamp, size: 11 }, false)).toBeUndefined();
  expect(lookup(second, 'a.html', stamp, false)).toEqual(hash);
  expect(second.hits).toBe(1);
});

test('files changed just before the scan are not remembered (a same-tick rewrite would go unseen): 100 ms, 2 s for whole-second times', async () => {
  const file = await cacheFile();
  const cache = HashCache.open('/site', { file, startedAt: 10_000 });
  const cases = { 'old.html': [7_000, 9_899], 'racy.html': [7_000, 9_950], 'seconds.html': [7_000, 7_000], 'racy-seconds.html': [7_000, 9_000] } as const;
  for (const [name, [mtimeMs, ctimeMs]] of Object.entries(cases)) cache.rememberEntry(name, cacheEntry({ ...stamp, mtimeMs, ctimeMs }, false, hash));
  await cache.save('/site');
  const next = HashCache.open('/site', { file });
  const kept = Object.entries(cases).filter(([name, [mtimeMs, ctimeMs]]) => lookup(next, name, { ...stamp, mtimeMs, ctimeMs }, false) !== undefined);
  expect(kept.map(([name]) => name)).toEqual(['old.html', 'seconds.html']);
});

test('entries sent whole by a hashing thread follow the same rule; their hash reads back', async () => {
  const file = await cacheFile();
  const cache = HashCache.open('/site', { file, startedAt: 10_000 });
  const cases = { 'old.html': [7_000, 9_899], 'racy.html': [7_000, 9_950], 'seconds.html': [7_000, 7_000], 'racy-seconds.html': [7_000, 9_000], 'racy-mtime.html': [9_990.5, 9_000] } as const;
  for (const [name, [mtimeMs, ctimeMs]] of Object.entries(cases)) cache.rememberEntry(name, cacheEntry({ ...stamp, mtimeMs, ctimeMs }, false, hash));
  await cache.save('/site');
  const next = HashCache.open('/site', { file });
  const kept = Object.entries(cases).filter(([name, [mtimeMs, ctimeMs]]) => lookup(next, name, { ...stamp, mtimeMs, ctimeMs }, false) !== undefined);
  expect(kept.map(([name]) => name)).toEqual(['old.html', 'seconds.html']);
  expect(cachedHash(cacheEntry(stamp, true, hash))).toEqual(hash);
  const large = { size: 41_967_730, md5: 'e'.repeat(32), multipartEtag: `${'f'.repeat(32)}-6` };
  expect(cachedHash(cacheEntry(stamp, false, large))).toEqual(large);
  expect(cachedHash(cacheEntry({ ...stamp, size: 0 }, false, { size: 0, md5: 'd41d8cd98f00b204e9800998ecf8427e' }))).toEqual({ size: 0, md5: 'd41d8cd98f00b204e9800998ecf8427e' });
});

test('only what the last scan saw is kept: removed files drop out', async () => {
  const file = await cacheFile();
  const first = HashCache.open('/site', { file });
  first.rememberEntry('a.html', cacheEntry(stamp, false, hash));
  first.rememberEntry('b.html', cacheEntry(stamp, false, hash));
  await first.save('/site');
  const second = HashCache.open('/site', { file });
  lookup(second, 'a.html', stamp, false);
  await second.save('/site');
  const third = HashCache.open('/site', { file });
  expect(lookup(third, 'b.html', stamp, false)).toBeUndefined();
  expect(lookup(third, 'a.html', stamp, false)).toEqual(hash);
});

test('a scan that saw exactly what the cache holds only touches its file; one that re-hashed a file writes it again', async () => {
  const file = await cacheFile();
  const first = HashCache.open('/site', { file });
  first.rememberEntry('a.html', cacheEntry(stamp, false, hash));
  first.rememberEntry('b.html', cacheEntry(stamp, false, hash));
  await first.save('/site');
  const longAgo = new Date(Date.now() - 20 * 24 * 3600 * 1000);
  await utimes(file, longAgo, longAgo);
  const written = await stat(file);

  const noop = HashCache.open('/site', { file });
  lookup(noop, 'a.html', stamp, false);
  lookup(noop, 'b.html', stamp, false);
  noop.lookupsDone(); // as a scan does once every file is queued: the last scan's map goes, its count stays
  expect(noop.entry('a.html')).toBeUndefined();
  expect(noop.unchanged).toBe(true);
  await noop.save('/site');
  const touched = await stat(file);
  expect(touched.ino).toBe(written.ino); // not rewritten (a rewrite renames a new file into place)
  expect(touched.mtimeMs).toBeGreaterThan(Date.now() - 60_000); // but not taken for unused either

  const rehashed = HashCache.open('/site', { file });
  lookup(rehashed, 'a.html', stamp, false);
  const newer = { ...stamp, mtimeMs: 2_000 };
  expect(lookup(rehashed, 'b.html', newer, false)).toBeUndefined();
  rehashed.rememberEntry('b.html', cacheEntry(newer, false, { ...hash, md5: 'f'.repeat(32) }));
  rehashed.lookupsDone();
  expect(rehashed.unchanged).toBe(false);
  await rehashed.save('/site');
  expect(lookup(HashCache.open('/site', { file }), 'b.html', newer, false)).toEqual({ ...hash, md5: 'f'.repeat(32) });
});

test('a cache of another folder, of another format, or corrupt is ignored', async () => {
  const file = await cacheFile();
  const cache = HashCache.open('/site', { file });
  cache.rememberEntry('a.html', cacheEntry(stamp, false, hash));
  await cache.save('/site');
  expect(lookup(HashCache.open('/elsewhere', { file }), 'a.html', stamp, false)).toBeUndefined();
  const [header, line] = (await readFile(file, 'utf8')).split('\n');
  await writeFile(file, `${header}\n${line!.replace(/[0-9a-f]{32}/, 'not-a-hash')}\n`);
  expect(lookup(HashCache.open('/site', { file }), 'a.html', stamp, false)).toBeUndefined();
  await writeFile(file, `${header}\n${line!.slice(0, -3)}\n`); // cut inside the JSON path
  expect(lookup(HashCache.open('/site', { file }), 'a.html', stamp, false)).toBeUndefined();
  await writeFile(file, `${header!.replace(' 2 ', ' 1 ')}\n${line}\n`);
  expect(lookup(HashCache.open('/site', { file }), 'a.html', stamp, false)).toBeUndefined();
  await writeFile(file, `${header}\n${line}\n`);
  expect(lookup(HashCache.open('/site', { file }), 'a.html', stamp, false)).toEqual(hash);
});

test('paths with tabs, newlines and accents survive the text format; multipart ETags too', async () => {
  const file = await cacheFile();
  const odd = 'dir/a\tb\nc Réunion.html';
  const large = { size: 40_000_000, md5: 'f'.repeat(32), multipartEtag: `${'e'.repeat(32)}-5` };
  const cache = HashCache.open('/site', { file });
  cache.rememberEntry(odd, cacheEntry(stamp, true, hash));
  cache.rememberEntry('big.bin', cacheEntry(stamp, false, large));
  await cache.save('/site');
  const next = HashCache.open('/site', { file });
  expect(lookup(next, odd, stamp, true)).toEqual(hash);
  expect(lookup(next, 'big.bin', stamp, false)).toEqual(large);
});

test('a disabled cache neither finds nor writes anything', async () => {
  const cache = HashCache.disabled();
  cache.rememberEntry('a.html', cacheEntry(stamp, false, hash));
  expect(lookup(cache, 'a.html', stamp, false)).toBeUndefined();
  await expect(cache.save('/site')).resolves.toBeUndefined();
});

test('saving a cache removes the caches of folders not published for 30 days, and only those', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hash-cache-'));
  const file = path.join(dir, 'hashes-current');
  const stale = path.join(dir, 'hashes-of-a-removed-checkout');
  const staleTemporary = path.join(dir, 'hashes-of-a-killed-publish.123.tmp');
  const recent = path.join(dir, 'hashes-of-another-site');
  const notOurs = path.join(dir, 'something-else');
  for (const other of [stale, staleTemporary, recent, notOurs]) await writeFile(other, 'x');
  const longAgo = new Date(Date.now() - 31 * 24 * 3600 * 1000);
  for (const old of [stale, staleTemporary, notOurs]) await utimes(old, longAgo, longAgo);
  const cache = HashCache.open('/site', { file });
  cache.rememberEntry('a.html', cacheEntry(stamp, false, hash));
  await cache.save('/site');
  expect((await readdir(dir)).sort()).toEqual(['hashes-current', 'hashes-of-another-site', 'something-else']);
});
