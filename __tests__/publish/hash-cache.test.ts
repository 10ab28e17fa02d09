import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { HashCache } from '../../lib/publish/hash-cache.js';

const stamp = { size: 10, mtimeMs: 1_000, ctimeMs: 1_000, ino: 42 };
const hash = { size: 10, md5: '0123456789abcdef0123456789abcdef' };

async function cacheFile() {
  return path.join(await mkdtemp(path.join(os.tmpdir(), 'hash-cache-')), 'sub', 'hashes.json');
}

test('a hash recorded in one scan is found by the next for the same stamp and gzip setting only', async () => {
  const file = await cacheFile();
  const first = HashCache.open('/site', { file });
  expect(first.lookup('a.html', stamp, false)).toBeUndefined();
  first.record('a.html', stamp, false, hash);
  first.save('/site');

  const second = HashCache.open('/site', { file });
  expect(second.lookup('a.html', stamp, true)).toBeUndefined();
  expect(second.lookup('a.html', { ...stamp, ctimeMs: 1_001 }, false)).toBeUndefined();
  expect(second.lookup('a.html', { ...stamp, ino: 43 }, false)).toBeUndefined();
  expect(second.lookup('a.html', { ...stamp, size: 11 }, false)).toBeUndefined();
  expect(second.lookup('a.html', stamp, false)).toEqual(hash);
  expect(second.hits).toBe(1);
});

test('files changed just before the scan are not remembered (a same-tick rewrite would go unseen)', async () => {
  const file = await cacheFile();
  const cache = HashCache.open('/site', { file, startedAt: 10_000 });
  cache.record('old.html', { ...stamp, mtimeMs: 7_000, ctimeMs: 7_999 }, false, hash);
  cache.record('racy.html', { ...stamp, mtimeMs: 7_000, ctimeMs: 8_500 }, false, hash);
  cache.save('/site');
  const saved = JSON.parse(await readFile(file, 'utf8'));
  expect(Object.keys(saved.files)).toEqual(['old.html']);
});

test('only what the last scan saw is kept: removed files drop out', async () => {
  const file = await cacheFile();
  const first = HashCache.open('/site', { file });
  first.record('a.html', stamp, false, hash);
  first.record('b.html', stamp, false, hash);
  first.save('/site');
  const second = HashCache.open('/site', { file });
  second.lookup('a.html', stamp, false);
  second.save('/site');
  expect(Object.keys(JSON.parse(await readFile(file, 'utf8')).files)).toEqual(['a.html']);
});

test('a cache of another folder, of another format, or corrupt is ignored', async () => {
  const file = await cacheFile();
  const cache = HashCache.open('/site', { file });
  cache.record('a.html', stamp, false, hash);
  cache.save('/site');
  expect(HashCache.open('/elsewhere', { file }).lookup('a.html', stamp, false)).toBeUndefined();
  await writeFile(file, '{"format":1,"root":"/site","files":{"a.html":{"size":"10"}}}');
  expect(HashCache.open('/site', { file }).lookup('a.html', stamp, false)).toBeUndefined();
  await writeFile(file, '{ not json');
  expect(HashCache.open('/site', { file }).lookup('a.html', stamp, false)).toBeUndefined();
  await writeFile(file, JSON.stringify({ format: 2, root: '/site', files: {} }));
  expect(HashCache.open('/site', { file }).lookup('a.html', stamp, false)).toBeUndefined();
});

test('a disabled cache neither finds nor writes anything', () => {
  const cache = HashCache.disabled();
  cache.record('a.html', stamp, false, hash);
  expect(cache.lookup('a.html', stamp, false)).toBeUndefined();
  expect(() => cache.save('/site')).not.toThrow();
});
