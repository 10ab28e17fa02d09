import { headersFingerprint } from '../../lib/headers/object-headers.js';
import { emptyManifest, manifestKey } from '../../lib/publish/manifest.js';
import { plan, sameContent } from '../../lib/publish/plan.js';
import type { LocalFile, Manifest, RemoteObject } from '../../lib/publish/types.js';

const headers = { contentType: 'text/html; charset=utf-8', cacheControl: 'public, max-age=0, must-revalidate' };
const file = (key: string, md5: string, extra: Partial<LocalFile> = {}): LocalFile => ({
  key,
  size: 10,
  md5,
  headers,
  source: { kind: 'bytes', body: Buffer.alloc(10) },
  ...extra,
});
const remote = (key: string, etag: string, size = 10): RemoteObject => ({ key, etag, size });
const remoteMap = (...objects: RemoteObject[]) => new Map(objects.map((object) => [object.key, object]));
const manifestOf = (entries: Record<string, { etag: string; headers?: string; md5?: string; git?: string }>): Manifest => ({
  version: 2,
  objects: Object.fromEntries(Object.entries(entries).map(([key, entry]) => [manifestKey(key), { headers: headersFingerprint(headers), ...entry }])),
});

describe('plan', () => {
  test('new files are uploaded, assets before pages', () => {
    const result = plan({ local: [file('b.html', 'a1'), file('a.css', 'a2'), file('z.png', 'a3')], remote: new Map(), manifest: emptyManifest(), manifestFound: false });
    expect(result.uploads.map((action) => [action.key, action.reason])).toEqual([
      ['a.css', 'new'],
      ['z.png', 'new'],
      ['b.html', 'new'],
    ]);
    expect(result.manifestChanged).toBe(true);
  });

  test('identical content with a matching manifest entry is unchanged, and nothing needs writing', () => {
    const input = { local: [file('a.html', 'aa')], remote: remoteMap(remote('a.html', 'aa')), manifest: manifestOf({ 'a.html': { etag: 'aa' } }), manifestFound: true };
    const result = plan(input);
    expect(result).toMatchObject({ uploads: [], headerUpdates: [], deletes: [], unchanged: 1, manifestChanged: false });
  });

  test('different bytes are uploaded with the reason "content differs"; a size change alone is enough', () => {
    const result = plan({
      local: [file('a.html', 'new'), file('b.html', 'same', { size: 11 })],
      remote: remoteMap(remote('a.html', 'old'), remote('b.html', 'same', 10)),
      manifest: emptyManifest(),
      manifestFound: false,
    });
    expect(result.uploads.map((action) => [action.key, action.reason])).toEqual([
      ['a.html', 'content differs'],
      ['b.html', 'content differs'],
    ]);
  });

  test('--force uploads unchanged files too', () => {
    const result = plan({ local: [file('a.html', 'aa')], remote: remoteMap(remote('a.html', 'aa')), manifest: manifestOf({ 'a.html': { etag: 'aa' } }), manifestFound: true, force: true });
    expect(result.uploads.map((action) => action.reason)).toEqual(['forced']);
  });

  test('changed header rules become header updates, not uploads', () => {
    const result = plan({ local: [file('a.html', 'aa')], remote: remoteMap(remote('a.html', 'aa')), manifest: manifestOf({ 'a.html': { etag: 'aa', headers: 'old-rules' } }), manifestFound: true });
    expect(result.uploads).toEqual([]);
    expect(result.headerUpdates.map((action) => [action.key, action.reason])).toEqual([['a.html', 'header rules changed']]);
  });

  test('a missing manifest, or an entry whose ETag no longer matches, means headers unknown', () => {
    const missing = plan({ local: [file('a.html', 'aa')], remote: remoteMap(remote('a.html', 'aa')), manifest: emptyManifest(), manifestFound: false });
    expect(missing.headerUpdates.map((action) => action.reason)).toEqual(['headers unknown']);
    const stale = plan({ local: [file('a.html', 'aa')], remote: remoteMap(remote('a.html', 'aa')), manifest: manifestOf({ 'a.html': { etag: 'other' } }), manifestFound: true });
    expect(stale.headerUpdates.map((action) => action.reason)).toEqual(['headers unknown']);
  });

  test('remote objects not in the folder are deleted, except kept ones', () => {
    const result = plan({
      local: [file('a.html', 'aa')],
      remote: remoteMap(remote('a.html', 'aa'), remote('old.html', 'x'), remote('keep/me.txt', 'y')),
      manifest: manifestOf({ 'a.html': { etag: 'aa' } }),
      manifestFound: true,
      keep: (key) => key.startsWith('keep/'),
    });
    expect(result.deletes.map((action) => [action.key, action.reason])).toEqual([['old.html', 'no longer in the folder']]);
  });

  test('listing order never matters: a shuffled listing gives the same plan', () => {
    const local = Array.from({ length: 50 }, (_, i) => file(`p/${i}/index.html`, `m${i % 7}`));
    const objects = Array.from({ length: 60 }, (_, i) => remote(`p/${i}/index.html`, `m${i % 5}`));
    const manifest = manifestOf(Object.fromEntries(objects.map((object) => [object.key, { etag: object.etag }])));
    const reference = plan({ local, remote: remoteMap(...objects), manifest, manifestFound: true });
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 5; round++) {
      const shuffled = [...objects].sort(() => random() - 0.5);
      const shuffledLocal = [...local].sort(() => random() - 0.5);
      expect(plan({ local: shuffledLocal, remote: remoteMap(...shuffled), manifest, manifestFound: true })).toEqual(reference);
    }
    expect(reference.deletes).toHaveLength(10);
  });

  // plan() skips the set of the folder's keys when every listed key was found, and reuses the manifest read when every
  // file kept its entry: these cases must still take the long way.
  test('a key given twice never hides a listed object that is not in the folder', () => {
    const local = [file('a.html', 'aa'), file('a.html', 'aa')];
    const result = plan({ local, remote: remoteMap(remote('a.html', 'aa'), remote('gone.html', 'gg')), manifest: manifestOf({ 'a.html': { etag: 'aa' }, 'gone.html': { etag: 'gg' } }), manifestFound: true });
    expect(result.deletes.map((action) => action.key)).toEqual(['gone.html']);
    expect(result.manifestChanged).toBe(true);
    expect(Object.keys(result.manifest.objects)).toEqual([manifestKey('a.html')]);
  });

  test('a folder whose keys come unsorted (redirect objects appended) plans the same deletes and manifest', () => {
    const local = [file('b.html', 'bb'), file('a.html', 'aa')];
    const result = plan({ local, remote: remoteMap(remote('a.html', 'aa'), remote('b.html', 'bb'), remote('c.html', 'cc')), manifest: manifestOf({ 'a.html': { etag: 'aa' }, 'b.html': { etag: 'bb' } }), manifestFound: true });
    expect(result.deletes.map((action) => action.key)).toEqual(['c.html']);
    expect(result.manifestChanged).toBe(false);
  });

  test('a no-op keeps the manifest read, records and all', () => {
    const manifest = manifestOf({ 'a.html': { etag: 'aa' }, 'b.html': { etag: 'bb' } });
    const result = plan({ local: [file('a.html', 'aa'), file('b.html', 'bb')], remote: remoteMap(remote('a.html', 'aa'), remote('b.html', 'bb')), manifest, manifestFound: true });
    expect(result).toMatchObject({ deletes: [], unchanged: 2, manifestChanged: false });
    expect(result.manifest).toEqual(manifest);
  });

  test('every file unchanged still rewrites a manifest with records of other keys, or another website', () => {
    const local = [file('a.html', 'aa')];
    const listing = remoteMap(remote('a.html', 'aa'));
    const stale = plan({ local, remote: listing, manifest: manifestOf({ 'a.html': { etag: 'aa' }, 'gone.html': { etag: 'gg' } }), manifestFound: true });
    expect(stale).toMatchObject({ deletes: [], unchanged: 1, manifestChanged: true });
    expect(Object.keys(stale.manifest.objects)).toEqual([manifestKey('a.html')]);
    const website = plan({ local, remote: listing, manifest: manifestOf({ 'a.html': { etag: 'aa' } }), manifestFound: true, website: 'w1' });
    expect(website).toMatchObject({ unchanged: 1, manifestChanged: true, manifest: { website: 'w1' } });
    const sameWebsite = plan({ local, remote: listing, manifest: { ...manifestOf({ 'a.html': { etag: 'aa' } }), website: 'w1' }, manifestFound: true, website: 'w1' });
    expect(sameWebsite).toMatchObject({ manifestChanged: false, manifest: { website: 'w1' } });
  });
});

describe('sameContent', () => {
  const big = file('v.bin', 'wholemd5', { size: 20, multipartEtag: 'partsmd5-3' });
  test('a multipart ETag is compared with the one computed for our part size', () => {
    expect(sameContent(big, remote('v.bin', 'partsmd5-3', 20), undefined)).toBe(true);
    expect(sameContent(big, remote('v.bin', 'otherparts-3', 20), undefined)).toBe(false);
  });
  test('servers that give multipart objects a plain MD5 still compare', () => {
    expect(sameContent(big, remote('v.bin', 'wholemd5', 20), undefined)).toBe(true);
  });
  test('an object uploaded with another part size matches through the manifest MD5', () => {
    expect(sameContent(big, remote('v.bin', 'x-5', 20), { etag: 'x-5', headers: 'h', md5: 'wholemd5' })).toBe(true);
    expect(sameContent(big, remote('v.bin', 'x-5', 20), { etag: 'x-5', headers: 'h', md5: 'changed' })).toBe(false);
  });

  describe('git blobs (clone-hashes.ts)', () => {
    const blob = 'b'.repeat(40);
    const entryOf = (result: ReturnType<typeof plan>, key: string) => result.manifest.objects[manifestKey(key)];

    test('an upload records the blob git vouched for; an unchanged object gains it in the manifest alone (no copy, counted unchanged)', () => {
      const result = plan({
        local: [file('new.html', 'n1', { gitBlob: blob }), file('same.html', 's1', { gitBlob: blob })],
        remote: remoteMap(remote('same.html', 's1')),
        manifest: manifestOf({ 'same.html': { etag: 's1' } }),
        manifestFound: true,
      });
      expect(result).toMatchObject({ headerUpdates: [], unchanged: 1, manifestChanged: true });
      expect(result.uploads.map((action) => action.key)).toEqual(['new.html']);
      expect(entryOf(result, 'new.html')).toMatchObject({ etag: 'n1', git: blob });
      expect(entryOf(result, 'same.html')).toMatchObject({ etag: 's1', git: blob });
    });

    test('a publish from outside the clone keeps a recorded blob while the body is the same, and drops it when the body changes', () => {
      const manifest = manifestOf({ 'kept.html': { etag: 'k1', git: blob }, 'edited.html': { etag: 'e1', git: blob } });
      const result = plan({ local: [file('kept.html', 'k1'), file('edited.html', 'e2')], remote: remoteMap(remote('kept.html', 'k1'), remote('edited.html', 'e1')), manifest, manifestFound: true });
      expect(entryOf(result, 'kept.html')).toMatchObject({ etag: 'k1', git: blob });
      expect(entryOf(result, 'edited.html')).toEqual({ etag: 'e2', headers: headersFingerprint(headers) });
      const noop = plan({ local: [file('kept.html', 'k1')], remote: remoteMap(remote('kept.html', 'k1')), manifest: manifestOf({ 'kept.html': { etag: 'k1', git: blob } }), manifestFound: true });
      expect(noop.manifestChanged).toBe(false);
    });

    test('no blob is recorded for an ETag the scan would not compute (a server that gives a multipart object its whole MD5)', () => {
      const large = file('v.bin', 'wholemd5', { size: 20, multipartEtag: 'parts-3', gitBlob: blob });
      const result = plan({ local: [large], remote: remoteMap(remote('v.bin', 'wholemd5', 20)), manifest: manifestOf({ 'v.bin': { etag: 'wholemd5', md5: 'wholemd5' } }), manifestFound: true });
      expect(result.manifestChanged).toBe(false);
      expect(entryOf(result, 'v.bin')!.git).toBeUndefined();
    });
  });
});
