/**
 * The listing split into ranges on the keys the folder holds (scan-remote.ts), against the test server: whatever
 * the expected keys, it must find exactly what one plain paginated listing finds, with no more requests when the
 * bucket holds what was expected.
 */
import { paginateListObjectsV2, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { rangeBounds, scanRemote, type RemoteScan } from '../../lib/publish/scan-remote.js';
import { sdkPages } from '../../lib/s3/list-page.js';
import { compareKeys, normalizeEtag } from '../../lib/s3/object-keys.js';
import type { RemoteObject } from '../../lib/publish/types.js';
import { createTestBucket, testClient } from '../support/test-s3.js';

/** Keys in several folders, with accents, capitals and an astral character, so that S3's byte order matters. */
const KEYS = [
  ...Array.from({ length: 2_600 }, (_, i) => {
    const folder = ['a', 'B', 'docs/é', 'docs/e', 'z', 'ü', '😀'][i % 7];
    return `${folder}/page-${i}.html`;
  }),
  // What XML must escape, and what an XML parser would alter: read as the server wrote them.
  `odd/a&b<c>d"e'f.html`,
  'odd/&amp; written out.html',
  'odd/tab\there.html',
  'odd/new\nline.html',
  'odd/cr\rhere.html',
  'odd/  spaces  .html',
];
const STATE_KEY = '.fleuron/manifest.json';

function countingClient(): { client: S3Client; lists: () => number } {
  const client = testClient();
  let lists = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'ListObjectsV2Command') lists++;
      return next(args);
    },
    { step: 'initialize', name: 'countLists' },
  );
  return { client, lists: () => lists };
}

const summary = (scan: RemoteScan) => ({
  objects: [...scan.objects.values()].sort((a, b) => compareKeys(a.key, b.key)),
  state: [...scan.state.keys()].sort(),
});

describe('the ranged listing', () => {
  let bucket: string;
  let reference: ReturnType<typeof summary>;
  let plainRequests: number;

  beforeAll(async () => {
    bucket = await createTestBucket('ranges');
    const client = testClient();
    const limit = pLimit(32);
    await Promise.all(
      [...KEYS, STATE_KEY].map((key) => limit(() => client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: Buffer.from(key), ContentType: 'text/html' })))),
    );
    client.destroy();
    // The reference: the SDK's own paginated listing and XML parser.
    const { client: counted, lists } = countingClient();
    const listed = new Map<string, RemoteObject>();
    for await (const page of paginateListObjectsV2({ client: counted, pageSize: 1000 }, { Bucket: bucket })) {
      for (const item of page.Contents ?? []) listed.set(item.Key!, { key: item.Key!, size: item.Size ?? 0, etag: normalizeEtag(item.ETag) });
    }
    const state = new Map([...listed].filter(([key]) => key.startsWith('.fleuron/')));
    reference = summary({ objects: new Map([...listed].filter(([key]) => !state.has(key))), state });
    plainRequests = lists();
    counted.destroy();
  }, 120_000);

  it('lists everything with one plain listing (the reference)', () => {
    expect(reference.objects).toHaveLength(KEYS.length);
    expect(reference.objects.map((object) => object.key)).toContain(`odd/a&b<c>d"e'f.html`);
    expect(reference.state).toEqual([STATE_KEY]);
    expect(plainRequests).toBe(3);
  });

  it.each([
    ['exactly the keys the bucket holds', () => [...KEYS, STATE_KEY], true],
    ['every other key', () => KEYS.filter((_, i) => i % 2 === 0), false],
    ['the keys plus as many the bucket lacks', () => [...KEYS, ...KEYS.map((key) => `${key}.new`)], false],
    ['none of the keys', () => KEYS.map((key) => `elsewhere/${key}`), false],
    ['no keys at all', () => [], false],
  ])('finds the same objects when the folder holds %s', async (_label, expected, exact) => {
    const { client, lists } = countingClient();
    try {
      const ranged = summary(await scanRemote(sdkPages(client), bucket, '', { rangeEnds: Promise.resolve(rangeBounds(expected())), concurrency: 8 }));
      expect(ranged).toEqual(reference);
      if (exact) expect(lists()).toBeLessThanOrEqual(plainRequests);
    } finally {
      client.destroy();
    }
  }, 60_000);

  it('takes one request per range from a server whose pages fall short of what was asked (Ceph RGW)', async () => {
    // Ceph RGW merges its bucket index shards and ends a page early when one shard's read runs out: asked for
    // 1,000 keys it returned 904 to 1,000 (measured on Ceph 16, 3,000 and 10,000 objects). S3 allows any page up to
    // MaxKeys; here the server is asked for at most 904, so every page is as short as the shortest one measured.
    const { client, lists } = countingClient();
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { MaxKeys?: number };
        if (context.commandName === 'ListObjectsV2Command') input.MaxKeys = Math.min(input.MaxKeys ?? 1000, 904);
        return next(args);
      },
      { step: 'initialize', name: 'shortPages' },
    );
    try {
      const expected = [...KEYS, STATE_KEY];
      const ranged = summary(await scanRemote(sdkPages(client), bucket, '', { rangeEnds: Promise.resolve(rangeBounds(expected)), concurrency: 8 }));
      expect(ranged).toEqual(reference);
      // As many requests as a plain listing of full pages: no range spills a few keys into a second page.
      expect(lists()).toBeLessThanOrEqual(Math.ceil(expected.length / 900));
    } finally {
      client.destroy();
    }
  }, 60_000);

  it('goes on page after page while the expected keys are not known, then lists the rest in ranges', async () => {
    const { client, lists } = countingClient();
    const expected = [...KEYS, STATE_KEY];
    let announce: (ends: readonly string[]) => void = () => {};
    const rangeEnds = new Promise<readonly string[]>((resolve) => (announce = resolve));
    // The folder's keys become known only once the first range has sent its second request.
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'ListObjectsV2Command' && lists() === 2) announce(rangeBounds(expected));
        return next(args);
      },
      { step: 'build', name: 'lateKeys' },
    );
    try {
      const ranged = summary(await scanRemote(sdkPages(client), bucket, '', { rangeEnds, concurrency: 8 }));
      expect(ranged).toEqual(reference);
      expect(lists()).toBeLessThanOrEqual(plainRequests + 1);
    } finally {
      client.destroy();
    }
  }, 60_000);

  it('takes one request for a bucket that holds less than a page, however many keys are expected', async () => {
    const { client, lists } = countingClient();
    try {
      const scan = await scanRemote(sdkPages(client), bucket, 'odd/', { rangeEnds: Promise.resolve(rangeBounds(KEYS)), concurrency: 8 });
      expect(scan.objects.size).toBe(6);
      expect(lists()).toBe(1);
    } finally {
      client.destroy();
    }
  }, 60_000);

  it('lists under a prefix only', async () => {
    const { client } = countingClient();
    try {
      const scan = await scanRemote(sdkPages(client), bucket, 'docs/', { rangeEnds: Promise.resolve(rangeBounds(KEYS.filter((key) => key.startsWith('docs/')))), concurrency: 8 });
      expect([...scan.objects.keys()].sort()).toEqual(KEYS.filter((key) => key.startsWith('docs/')).sort());
    } finally {
      client.destroy();
    }
  }, 60_000);
});

describe('range bounds', () => {
  it('cuts even ranges of at most the given number of keys, in S3 order, never at the last key', () => {
    expect(rangeBounds(['a', 'b', 'c'], 3)).toEqual([]);
    expect(rangeBounds(['d', 'c', 'b', 'a', 'e'], 2)).toEqual(['a', 'c']);
    expect(rangeBounds(['d', 'c', 'b', 'a', 'e', 'f'], 4)).toEqual(['c']);
    expect(rangeBounds(Array.from({ length: 10_001 }, (_, i) => String(i).padStart(5, '0')))).toHaveLength(11);
    expect(rangeBounds(['a', 'b', 'c', 'd'], 2)).toEqual(['b']);
  });
  it('orders keys by UTF-8 bytes, as S3 lists them, not by UTF-16 code units', () => {
    // U+FF21 (fullwidth A) is one UTF-16 unit above the surrogates of U+1F600, but below it in UTF-8.
    expect('\uFF21' > '😀').toBe(true);
    expect(compareKeys('\uFF21', '😀')).toBeLessThan(0);
    // Sorted by code units, the first two are 😀 then U+FF21 (U+FFFF, last, is no bound); S3 wants them the other way.
    expect(rangeBounds(['\uFF21', '😀', '\uFFFF'], 1)).toEqual(['\uFF21', '😀']);
  });
});
