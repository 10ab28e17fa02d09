/** Which tracked files a fresh clone's scan takes the manifest's hashes for, and in what form. */
import { CloneHashes, OTHER_BLOB } from '../../lib/publish/clone-hashes.js';
import { cachedHash, cacheEntry } from '../../lib/publish/hash-cache.js';
import { manifestKey } from '../../lib/publish/manifest.js';
import type { Manifest } from '../../lib/publish/types.js';

const blob = (c: string) => c.repeat(40);
const md5 = (c: string) => c.repeat(32);
const stamp = (size: number) => ({ size, mtimeMs: 1_000.5, ctimeMs: 1_000.5, ino: 7 });
const MiB = 2 ** 20;

test('a tracked file whose blob the manifest records gets a hash cache entry for the stamp git recorded; others none', () => {
  const tracked = new Map([
    ['a.html', { blob: blob('a'), stamp: stamp(10) }],
    ['other-blob.html', { blob: blob('b'), stamp: stamp(10) }],
    ['unrecorded.html', { blob: blob('c'), stamp: stamp(10) }],
    ['packed.css', { blob: blob('d'), stamp: stamp(10) }],
    ['big.bin', { blob: blob('e'), stamp: stamp(20 * MiB) }],
    ['big-wrong-parts.bin', { blob: blob('f'), stamp: stamp(20 * MiB) }],
    ['big-no-md5.bin', { blob: blob('1'), stamp: stamp(20 * MiB) }],
    ['small-with-md5.txt', { blob: blob('2'), stamp: stamp(10) }],
  ]);
  const objects: Manifest['objects'] = {
    [manifestKey('site/a.html')]: { etag: md5('a'), headers: 'h', git: blob('a') },
    [manifestKey('site/other-blob.html')]: { etag: md5('b'), headers: 'h', git: blob('9') },
    [manifestKey('site/unrecorded.html')]: { etag: md5('c'), headers: 'h' },
    [manifestKey('site/packed.css')]: { etag: md5('d'), headers: 'h', git: blob('d') },
    [manifestKey('site/big.bin')]: { etag: `${md5('e')}-3`, md5: md5('4'), headers: 'h', git: blob('e') },
    [manifestKey('site/big-wrong-parts.bin')]: { etag: `${md5('f')}-2`, md5: md5('4'), headers: 'h', git: blob('f') },
    [manifestKey('site/big-no-md5.bin')]: { etag: `${md5('1')}-3`, headers: 'h', git: blob('1') },
    [manifestKey('site/small-with-md5.txt')]: { etag: `${md5('2')}-1`, md5: md5('2'), headers: 'h', git: blob('2') },
  };
  const hashes = new CloneHashes({ version: 2, objects }, (relative) => `site/${relative}`, (relative) => relative.endsWith('.css'));
  const answers = new Map([...tracked].map(([relative, file]) => [relative, hashes.entry(relative, file)]));
  const entries = new Map([...answers].flatMap(([relative, answer]) => (typeof answer === 'string' ? [[relative, answer]] : [])));
  expect([...entries.keys()].sort()).toEqual(['a.html', 'big.bin']);
  // Another blob than the one recorded: a change known before reading (for the early lock); a compressed body never.
  expect([...answers].filter(([, answer]) => answer === OTHER_BLOB).map(([relative]) => relative)).toEqual(['other-blob.html']);
  expect(hashes.entry('packed.css', { blob: blob('7'), stamp: stamp(10) })).toBeUndefined();
  expect(entries.get('a.html')).toBe(cacheEntry(stamp(10), false, { size: 10, md5: md5('a') }));
  expect(cachedHash(entries.get('big.bin')!)).toEqual({ size: 20 * MiB, md5: md5('4'), multipartEtag: `${md5('e')}-3` });
});
