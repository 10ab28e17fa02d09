/**
 * When the listing tells fleuron's own objects (the publish lock's state) apart, before the rest of it
 * (scan-remote.ts, onStateListed). The pages come from a bucket held in memory, served as ListObjectsV2 serves them
 * (key order, StartAfter, continuation tokens); the ranged listing against a real server is in
 * __tests__/integration/ranged-listing.test.ts.
 */
import { rangeBounds, scanRemote, startListing, type RemoteScan } from '../../lib/publish/scan-remote.js';
import type { ListPage, ListPageInput } from '../../lib/s3/list-page-xml.js';
import { compareKeys } from '../../lib/s3/object-keys.js';

/** A bucket of these keys, listed `pageKeys` at a time; `answered` counts the pages handed back. */
function memoryBucket(keys: readonly string[], pageKeys = 1000) {
  const sorted = [...keys].sort(compareKeys);
  let answered = 0;
  const lister = async (input: ListPageInput): Promise<ListPage> => {
    await new Promise((resolve) => setImmediate(resolve));
    const prefix = input.Prefix ?? '';
    const after = input.ContinuationToken ?? input.StartAfter;
    const from = after === undefined ? sorted : sorted.filter((key) => compareKeys(key, after) > 0);
    const matching = from.filter((key) => key.startsWith(prefix));
    const page = matching.slice(0, Math.min(pageKeys, input.MaxKeys ?? 1000));
    answered += 1;
    const isTruncated = matching.length > page.length;
    return { objects: page.map((key) => ({ key, size: 1, etag: '"e"' })), isTruncated, ...(isTruncated ? { nextContinuationToken: page.at(-1)! } : {}) };
  };
  return { lister, answered: () => answered };
}

const pages = (count: number, folder: string) => Array.from({ length: count }, (_, i) => `${folder}/page-${String(i).padStart(5, '0')}.html`);

test('the state folder is told with the first page when that page lists past it, before the other ranges come back', async () => {
  const keys = ['.fleuron/lock.json', '.fleuron/manifest.json', ...pages(3_000, 'docs')];
  const bucket = memoryBucket(keys);
  const told: { state: string[]; answered: number }[] = [];
  const scan = await scanRemote(bucket.lister, 'b', '', {
    rangeEnds: Promise.resolve(rangeBounds(keys)),
    onStateListed: (state) => told.push({ state: [...state.keys()].sort(), answered: bucket.answered() }),
  });
  expect(told).toEqual([{ state: ['.fleuron/lock.json', '.fleuron/manifest.json'], answered: 1 }]);
  expect(scan.objects.size).toBe(3_000);
  expect(bucket.answered()).toBeGreaterThan(1);
});

test('with more than a page of keys before the state folder, it is told once a page lists past it, not before', async () => {
  // `-` sorts before `.`: 1,500 keys come before `.fleuron/`.
  const keys = [...pages(1_500, '-early'), '.fleuron/lock.json', ...pages(500, 'docs')];
  const bucket = memoryBucket(keys);
  const told: { lock: boolean; answered: number }[] = [];
  await scanRemote(bucket.lister, 'b', '', { onStateListed: (state) => told.push({ lock: state.has('.fleuron/lock.json'), answered: bucket.answered() }) });
  expect(told).toEqual([{ lock: true, answered: 2 }]);
});

test('a state folder that ends a page is told only once the next page shows nothing more of it', async () => {
  const keys = [...pages(999, '-early'), '.fleuron/lock.json', '.fleuron/manifest.json', ...pages(10, 'docs')];
  const bucket = memoryBucket(keys);
  const told: { state: string[]; answered: number }[] = [];
  await scanRemote(bucket.lister, 'b', '', { onStateListed: (state) => told.push({ state: [...state.keys()].sort(), answered: bucket.answered() }) });
  expect(told).toEqual([{ state: ['.fleuron/lock.json', '.fleuron/manifest.json'], answered: 2 }]);
});

test('under a prefix: its own state folder, told with a page that ends the listing', async () => {
  const keys = ['.fleuron/lock.json', 'site/.fleuron/manifest.json', ...pages(20, 'site/docs')];
  const bucket = memoryBucket(keys);
  const told: string[][] = [];
  const scan = await scanRemote(bucket.lister, 'b', 'site/', { onStateListed: (state) => told.push([...state.keys()]) });
  expect(told).toEqual([['site/.fleuron/manifest.json']]);
  expect(scan.objects.size).toBe(20);
});

test('an empty bucket is told an empty state; a listing that fails tells nothing', async () => {
  const told: RemoteScan['state'][] = [];
  await scanRemote(memoryBucket([]).lister, 'b', '', { onStateListed: (state) => told.push(state) });
  expect(told.map((state) => state.size)).toEqual([0]);
  const failing = startListing(() => Promise.reject(new Error('AccessDenied')), 'b', '');
  await expect(failing.whole).rejects.toThrow('AccessDenied');
  const state = await Promise.race([failing.state, new Promise((resolve) => setTimeout(() => resolve('not told'), 50))]);
  expect(state).toBe('not told');
});
