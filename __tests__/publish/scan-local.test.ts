import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, realpath, rename, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { compileHeaderPolicy } from '../../lib/headers/header-rules.js';
import { MULTIPART_THRESHOLD } from '../../lib/publish/body-hash.js';
import { scanLocal, type LocalScanOptions } from '../../lib/publish/scan-local.js';
import { manifestKey } from '../../lib/publish/manifest.js';
import { HashCache } from '../../lib/publish/hash-cache.js';
import type { Manifest } from '../../lib/publish/types.js';

test('with gzip on, a text body above the multipart threshold is stored as is, without Content-Encoding', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'scan-'));
  await writeFile(path.join(dir, 'small.txt'), 'hello '.repeat(100));
  await writeFile(path.join(dir, 'huge.txt'), randomBytes(MULTIPART_THRESHOLD / 2 + 10).toString('hex'));
  const { files } = await scanLocal({ dir, prefix: '', policy: compileHeaderPolicy({ gzip: true }) });
  const byKey = new Map(files.map((file) => [file.key, file]));
  expect(byKey.get('small.txt')?.headers.contentEncoding).toBe('gzip');
  expect(byKey.get('small.txt')?.source).toMatchObject({ gzip: true });
  expect(byKey.get('huge.txt')?.headers.contentEncoding).toBeUndefined();
  expect(byKey.get('huge.txt')?.source).toMatchObject({ gzip: false });
  expect(byKey.get('huge.txt')?.multipartEtag).toMatch(/-3$/);
});

test('files with the same header set share one header object (memory for 100,000 files)', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'scan-'));
  for (let i = 0; i < 5; i++) await writeFile(path.join(dir, `p${i}.html`), `<p>${i}</p>`);
  const { files } = await scanLocal({ dir, prefix: 'site/', policy: compileHeaderPolicy() });
  expect(files.map((file) => file.key)).toEqual(['site/p0.html', 'site/p1.html', 'site/p2.html', 'site/p3.html', 'site/p4.html']);
  expect(new Set(files.map((file) => file.headers)).size).toBe(1);
});

test('.env files and fleuron\'s state folder are never published, whatever include says', async () => {
  const { makePathFilter } = await import('../../lib/publish/scan-local.js');
  const publishable = makePathFilter([], ['.fleuron/**', '**/.env*']);
  for (const path of ['.env', '.env.local', '.well-known/.env', 'a/b/.env.production', '.fleuron/lock.json', '.fleuron/manifest.json']) expect([path, publishable(path)]).toEqual([path, false]);
  for (const path of ['.well-known/security.txt', 'index.html']) expect([path, publishable(path)]).toEqual([path, true]);
});

describe('with the hash cache', () => {
  const saved = process.env.XDG_CACHE_HOME;
  beforeAll(async () => {
    process.env.XDG_CACHE_HOME = await mkdtemp(path.join(os.tmpdir(), 'scan-cache-'));
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = saved;
  });
  const settle = () => new Promise((resolve) => setTimeout(resolve, 250)); // past the "just changed" window
  const md5 = (text: string) => createHash('md5').update(text).digest('hex');
  // A scan writes its cache while the publish goes on: the next scan reads it once written.
  const scanned = async (options: LocalScanOptions) => {
    const scan = await scanLocal(options);
    await scan.hashCacheSaved;
    return scan;
  };

  test('the listing is told the keys to split on once: the walk\'s without a cache, the last scan\'s (before any walk) with one', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'scan-'));
    for (const name of ['a.html', 'b.html']) await writeFile(path.join(dir, name), name);
    await settle();
    const told: string[][] = [];
    const scan = () => scanned({ dir, prefix: 'site/', policy: compileHeaderPolicy(), onKeys: (keys) => told.push([...keys].sort()) });
    await scan();
    expect(told).toEqual([['site/a.html', 'site/b.html']]);
    // A file added since: the cache's keys are told (the walk's would name it), and only once.
    await writeFile(path.join(dir, 'c.html'), 'c');
    const second = await scan();
    expect(told).toEqual([['site/a.html', 'site/b.html'], ['site/a.html', 'site/b.html']]);
    expect(second.files.map((file) => file.key)).toEqual(['site/a.html', 'site/b.html', 'site/c.html']);
  });

  test('unchanged files come from the cache; a file rewritten with the same size and its old mtime restored is read again', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'scan-'));
    for (const name of ['a.html', 'b.html', 'c.css']) await writeFile(path.join(dir, name), `${name} version 1`);
    await settle();
    const scan = () => scanned({ dir, prefix: '', policy: compileHeaderPolicy() });
    const first = await scan();
    expect(first.hashesFromCache).toBe(0);
    const second = await scan();
    expect(second.hashesFromCache).toBe(3);
    expect(second.files.map((file) => file.md5)).toEqual(first.files.map((file) => file.md5));

    const { mtime, size } = await stat(path.join(dir, 'b.html'));
    await writeFile(path.join(dir, 'b.html'), 'b.html version 2');
    await utimes(path.join(dir, 'b.html'), mtime, mtime);
    expect((await stat(path.join(dir, 'b.html'))).size).toBe(size);
    await settle();
    const third = await scan();
    expect(third.hashesFromCache).toBe(2);
    expect(third.files.find((file) => file.key === 'b.html')?.md5).toBe(md5('b.html version 2'));
    expect(third.files.find((file) => file.key === 'a.html')?.md5).toBe(md5('a.html version 1'));
  });

  /**
   * Gives every file but `kept` new times (`rewritten` new bytes of the same size too), scans again, and checks that
   * the cache vouched for the kept files only and that every hash is right.
   */
  async function expectRescanAfterTouching(dir: string, names: readonly string[], scan: () => ReturnType<typeof scanned>, kept: readonly string[], rewritten: readonly string[]): Promise<void> {
    const later = new Date(Date.now() + 60_000);
    for (const name of names.filter((name) => !kept.includes(name))) {
      if (rewritten.includes(name)) await writeFile(path.join(dir, name), `${name} version 2`);
      await utimes(path.join(dir, name), later, later);
    }
    await settle();
    const again = await scan();
    expect(again.hashesFromCache).toBe(kept.length);
    const byKey = new Map(again.files.map((file) => [file.key, file.md5]));
    for (const name of names) expect([name, byKey.get(name)]).toEqual([name, md5(`${name} version ${rewritten.includes(name) ? 2 : 1}`)]);
  }

  test('a cache that looks stale (most stamps new, as in a fresh clone) still vouches for the files whose stamps match', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'scan-'));
    const names = Array.from({ length: 300 }, (_, i) => `d${i % 7}/p${String(i).padStart(3, '0')}.html`);
    for (const name of ['d0', 'd1', 'd2', 'd3', 'd4', 'd5', 'd6']) await mkdir(path.join(dir, name));
    for (const name of names) await writeFile(path.join(dir, name), `${name} version 1`);
    await settle();
    const scan = () => scanned({ dir, prefix: '', policy: compileHeaderPolicy() });
    expect((await scan()).hashesFromCache).toBe(0);
    // Every tenth file keeps its stamp; the others get new times, and one in ten of those new bytes of the same size.
    await expectRescanAfterTouching(dir, names, scan, names.filter((_, i) => i % 10 === 0), names.filter((_, i) => i % 10 === 5));
  });

  test('a cache whose sampled stamps are all new still vouches for the files that kept theirs (their stamps compared once each file is open)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'scan-'));
    const names = Array.from({ length: 200 }, (_, i) => `p${String(i).padStart(3, '0')}.html`);
    for (const name of names) await writeFile(path.join(dir, name), `${name} version 1`);
    await settle();
    const scan = () => scanned({ dir, prefix: '', policy: compileHeaderPolicy() });
    await scan();
    // The eight files the scan samples before its walk (spread over the cache's paths) all get new stamps: the cache
    // looks stale. Of the others, one in ten keeps its stamp, and one in ten gets new bytes of the same size.
    const paths = HashCache.open(await realpath(dir)).paths();
    const sampled = new Set(Array.from({ length: 8 }, (_, at) => paths[Math.floor((at * paths.length) / 8)]));
    const kept = paths.filter((name, i) => i % 10 === 3 && !sampled.has(name));
    const rewritten = paths.filter((name, i) => i % 10 === 6 && !sampled.has(name));
    await expectRescanAfterTouching(dir, names, scan, kept, rewritten);
  });

  test('a wholly stale cache (every stamp new) is read past: every file hashed again, changed bytes seen', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'scan-'));
    const names = Array.from({ length: 150 }, (_, i) => `p${String(i).padStart(3, '0')}.html`);
    for (const name of names) await writeFile(path.join(dir, name), `${name} version 1`);
    await settle();
    const scan = () => scanned({ dir, prefix: '', policy: compileHeaderPolicy() });
    await scan();
    const later = new Date(Date.now() + 60_000);
    for (const [i, name] of names.entries()) {
      if (i % 3 === 0) await writeFile(path.join(dir, name), `${name} version 2`);
      await utimes(path.join(dir, name), later, later);
    }
    await settle();
    const again = await scan();
    expect(again.hashesFromCache).toBe(0);
    expect(again.files.map((file) => file.md5)).toEqual(names.map((name, i) => md5(`${name} version ${i % 3 === 0 ? 2 : 1}`)));
  });

  test('pages to read are hashed after every other file, told apart by onAssetsHashed: without a cache, and with one every stamp of which is new (a fresh clone)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'scan-'));
    const names: string[] = [];
    for (let i = 0; i < 24; i++) names.push(`d${i % 4}/${i % 3 === 0 ? `img${i}.png` : `p${i}.html`}`);
    for (const folder of ['d0', 'd1', 'd2', 'd3']) await mkdir(path.join(dir, folder));
    for (const name of names) await writeFile(path.join(dir, name), `${name} version 1`);
    await settle();
    const order = async () => {
      const told: string[] = [];
      await scanned({ dir, prefix: '', policy: compileHeaderPolicy(), onFile: (file) => told.push(file.key), onAssetsHashed: () => told.push('|') });
      return told;
    };
    const expected = (told: string[]) => ({ assets: told.slice(0, told.indexOf('|')).sort(), pages: told.slice(told.indexOf('|') + 1).sort() });
    const split = { assets: names.filter((name) => name.endsWith('.png')).sort(), pages: names.filter((name) => name.endsWith('.html')).sort() };
    expect(expected(await order())).toEqual(split);
    const later = new Date(Date.now() - 30_000);
    for (const name of names) await utimes(path.join(dir, name), later, later);
    await settle();
    expect(expected(await order())).toEqual(split);
  });

  test('onWalked comes once the names are checked: two that make one key (NFC) fail the scan before it, and before any file is hashed', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'scan-'));
    const name = 'Réunion.html';
    await writeFile(path.join(dir, name.normalize('NFC')), 'composed');
    await writeFile(path.join(dir, 'a.css'), 'a');
    await writeFile(path.join(dir, name.normalize('NFD')), 'decomposed');
    const told: string[] = [];
    const scan = scanLocal({ dir, prefix: '', policy: compileHeaderPolicy(), hashCache: false, onWalked: () => told.push('walked'), onFile: (file) => told.push(file.key) });
    await expect(scan).rejects.toMatchObject({ code: 'duplicate-key' });
    expect(told).toEqual([]);
  });

  test('a file replaced by another of the same size and times (a new inode) is read again', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'scan-'));
    await writeFile(path.join(dir, 'a.html'), 'version 1');
    await settle();
    const scan = () => scanned({ dir, prefix: '', policy: compileHeaderPolicy() });
    await scan();
    const { mtime } = await stat(path.join(dir, 'a.html'));
    await writeFile(path.join(dir, 'next.html'), 'version 2');
    await utimes(path.join(dir, 'next.html'), mtime, mtime);
    await rename(path.join(dir, 'next.html'), path.join(dir, 'a.html'));
    await settle();
    const again = await scan();
    expect(again.hashesFromCache).toBe(0);
    expect(again.files[0]?.md5).toBe(md5('version 2'));
  });
});

test('two names that differ only in Unicode normalisation (NFC and NFD: one key) are refused, with other files between them in the walk', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'scan-'));
  const name = 'Réunion.html';
  await writeFile(path.join(dir, name.normalize('NFC')), 'composed');
  for (let i = 0; i < 5; i++) await writeFile(path.join(dir, `R${i}.html`), `${i}`);
  await writeFile(path.join(dir, name.normalize('NFD')), 'decomposed');
  await expect(scanLocal({ dir, prefix: '', policy: compileHeaderPolicy(), hashCache: false })).rejects.toMatchObject({
    code: 'duplicate-key',
    message: `two files map to the object key "${name.normalize('NFC')}" (their names differ only in Unicode normalisation)`,
  });
});

test('a file the build copied from a tracked source is taken from the manifest while it keeps the copy\'s stamp, read once it moved', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'scan-'));
  await writeFile(path.join(dir, 'a.bin'), 'abcd');
  await writeFile(path.join(dir, 'b.bin'), 'efgh');
  const stampOf = async (relative: string) => {
    const stats = await stat(path.join(dir, relative));
    return { size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs, ino: stats.ino };
  };
  const [blobA, blobB] = ['a'.repeat(40), 'b'.repeat(40)];
  const builtCopies = new Map([['a.bin', { blob: blobA, stamp: await stampOf('a.bin') }], ['b.bin', { blob: blobB, stamp: await stampOf('b.bin') }]]);
  // The manifest's MD5 for a.bin is not its bytes': taking it shows the file was not read.
  const recorded = 'f'.repeat(32);
  const manifest: Manifest = { version: 2, objects: { [manifestKey('a.bin')]: { etag: recorded, headers: 'h', git: blobA }, [manifestKey('b.bin')]: { etag: recorded, headers: 'h', git: blobB } } };
  // b.bin rewritten after the build, same size: its stamp is no longer the copy's.
  await writeFile(path.join(dir, 'b.bin'), 'EFGH');
  await utimes(path.join(dir, 'b.bin'), new Date(2_000_000_000_000), new Date(2_000_000_000_000));
  const scan = await scanLocal({ dir, prefix: '', policy: compileHeaderPolicy(), builtCopies, manifest: Promise.resolve(manifest) });
  expect(scan.hashesFromGit).toBe(1);
  const byKey = new Map(scan.files.map((file) => [file.key, file]));
  expect(byKey.get('a.bin')).toMatchObject({ md5: recorded, gitBlob: blobA });
  expect(byKey.get('b.bin')?.md5).toBe(createHash('md5').update('EFGH').digest('hex'));
  expect(byKey.get('b.bin')?.gitBlob).toBeUndefined();
  // `--no-hash-cache` reads every file, the build's copies too.
  const everything = await scanLocal({ dir, prefix: '', policy: compileHeaderPolicy(), hashCache: false, builtCopies, manifest: Promise.resolve(manifest) });
  expect(everything.hashesFromGit).toBe(0);
  expect(everything.files.find((file) => file.key === 'a.bin')?.md5).toBe(createHash('md5').update('abcd').digest('hex'));
});
