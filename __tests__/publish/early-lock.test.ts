/** When a publish takes its lock before the scan ends (early-lock.ts): only once sure, never when refused. */
import { EarlyLock, judgeKeys, otherBlobDiffers, type EarlyLockInputs } from '../../lib/publish/early-lock.js';
import { manifestKey } from '../../lib/publish/manifest.js';
import { FileFeed } from '../../lib/publish/file-feed.js';
import type { PublishLock } from '../../lib/publish/publish-lock.js';
import type { RemoteScan } from '../../lib/publish/scan-remote.js';
import type { LocalFile, Manifest, RemoteObject } from '../../lib/publish/types.js';

const object = (key: string, etag = 'e'.repeat(32)): RemoteObject => ({ key, size: 1, etag });
const listingOf = (...objects: RemoteObject[]): RemoteScan => ({ objects: new Map(objects.map((o) => [o.key, o])), state: new Map() });
const file = (key: string, md5 = 'e'.repeat(32)) => ({ key, size: 1, md5 }) as LocalFile;
const manifest: Manifest = { version: 2, objects: {} } as unknown as Manifest;
const ours = () => true;
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

test('judgeKeys: refused when the safety rules will refuse, differ when a key is added or deleted', () => {
  const listing = listingOf(object('a'), object('b')).objects;
  expect(judgeKeys([], listing, ours, -1)).toBe('refused');
  expect(judgeKeys(['a'], listing, ours, 0)).toBe('refused');
  expect(judgeKeys(['a'], listing, ours, 1)).toBe('differ');
  expect(judgeKeys(['a'], listing, (key) => key !== 'b', 0)).toBe('same'); // b is kept (not ours)
  expect(judgeKeys(['a', 'b', 'c'], listing, ours, 0)).toBe('differ');
  expect(judgeKeys(['b', 'a'], listing, ours, 0)).toBe('same');
});

test('judgeKeys counts the deletes as a set of the walked keys would, kept keys in the folder or not', () => {
  // The count a set of the folder's keys gives: listed objects of ours that the walk did not find.
  const reference = (walked: string[], listed: string[], isOurs: (key: string) => boolean, cap: number) => {
    if (walked.length === 0) return 'refused';
    const local = new Set(walked);
    const deletes = listed.filter((key) => !local.has(key) && isOurs(key)).length;
    if (cap >= 0 && deletes > cap) return 'refused';
    return deletes > 0 || walked.some((key) => !listed.includes(key)) ? 'differ' : 'same';
  };
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const names = ['a', 'b', 'c', 'd', 'e', 'kept/x', 'kept/y', 'f'];
  const pick = () => names.filter(() => random() < 0.5);
  const kept = (key: string) => !key.startsWith('kept/');
  for (let round = 0; round < 500; round++) {
    const walked = pick();
    const listed = pick();
    const isOurs = random() < 0.5 ? ours : kept;
    const cap = Math.floor(random() * 4) - 1;
    expect([round, judgeKeys(walked, listingOf(...listed.map((key) => object(key))).objects, isOurs, cap)]).toEqual([round, reference(walked, listed, isOurs, cap)]);
  }
});

/** An EarlyLock with these inputs, the others a plain publish's: what it took, let upload and gave back. */
function startLock(inputs: Partial<EarlyLockInputs>) {
  const reads = new FileFeed();
  const taken: string[] = [];
  const judged: string[] = [];
  const released: string[] = [];
  const lock = { release: async () => void released.push('released') } as unknown as PublishLock;
  const early = new EarlyLock({
    walked: Promise.resolve([]),
    files: reads,
    remote: Promise.resolve({ listing: listingOf(), manifest }),
    lockKey: '.fleuron/lock.json',
    isOurs: ours,
    maxDeletes: -1,
    take: async () => {
      taken.push('taken');
      return lock;
    },
    onTake: (_lock, mayUpload) => void mayUpload.then(() => judged.push('may upload'), () => judged.push('no upload')),
    ...inputs,
  });
  return { early, reads, taken, judged, released };
}

function earlyLock(listing: RemoteScan, keys: readonly string[] | undefined, maxDeletes = -1) {
  return startLock({ walked: Promise.resolve(keys), remote: Promise.resolve({ listing, manifest }), maxDeletes });
}

test('taken once when the keys differ; a file that differs later does not take it again', async () => {
  const { early, reads, taken } = earlyLock(listingOf(object('a')), ['a', 'new']);
  await settle();
  reads.push(file('a', 'f'.repeat(32)), true);
  await settle();
  expect(taken).toEqual(['taken']);
  expect(early.claim()).toBeDefined();
});

test('with the same keys, taken once a file read from disk differs from its listed object (files read before the listing counted)', async () => {
  const { early, reads, taken } = earlyLock(listingOf(object('a'), object('b')), ['a', 'b']);
  reads.push(file('a'), true); // same bytes: no lock
  await settle();
  expect(taken).toEqual([]);
  reads.push(file('b', 'f'.repeat(32)), true);
  reads.push(file('a', 'f'.repeat(32)), true);
  await settle();
  expect(taken).toEqual(['taken']);
  expect(early.claim()).toBeDefined();
});

test('never taken when refused, when a lock is listed, or once the publish claimed it first', async () => {
  const refused = earlyLock(listingOf(object('a'), object('b')), ['a', 'c'], 0);
  refused.reads.push(file('a', 'f'.repeat(32)), true);
  const locked = listingOf(object('a'));
  locked.state.set('.fleuron/lock.json', object('.fleuron/lock.json'));
  const held = earlyLock(locked, ['a', 'new']);
  const claimed = earlyLock(listingOf(object('a')), ['a', 'new']);
  expect(claimed.early.claim()).toBeUndefined();
  await settle();
  expect([refused.taken, held.taken, claimed.taken]).toEqual([[], [], []]);
});

test('a lock taken and not claimed is given back; a claimed one is the claimer\'s to give back', async () => {
  const unused = earlyLock(listingOf(object('a')), ['a', 'new']);
  await settle();
  await unused.early.releaseUnclaimed();
  expect(unused.released).toEqual(['released']);
  const used = earlyLock(listingOf(object('a')), ['a', 'new']);
  await settle();
  expect(used.early.claim()).toBeDefined();
  await used.early.releaseUnclaimed();
  expect(used.released).toEqual([]);
});

test('once the publish ended (given back unclaimed) no lock is taken any more, even if the listing comes back later', async () => {
  let answer: (value: { listing: RemoteScan; manifest: Manifest }) => void = () => {};
  const { early, taken } = startLock({ walked: Promise.resolve(['a', 'new']), remote: new Promise((resolve) => (answer = resolve)) });
  await early.releaseUnclaimed();
  answer({ listing: listingOf(object('a')), manifest });
  await settle();
  expect(taken).toEqual([]);
});

test('otherBlobDiffers: sure only when the manifest\'s record is the listed object\'s (same ETag), or nothing is listed', () => {
  const recorded: Manifest = { version: 2, objects: { [manifestKey('a')]: { etag: 'e'.repeat(32), headers: 'h', git: '1'.repeat(40) } } };
  expect(otherBlobDiffers('a', listingOf(object('a')).objects, recorded)).toBe(true);
  // The object was written since by other means: the record says nothing of its bytes.
  expect(otherBlobDiffers('a', listingOf(object('a', 'f'.repeat(32))).objects, recorded)).toBe(false);
  expect(otherBlobDiffers('a', listingOf(object('a')).objects, manifest)).toBe(false);
  expect(otherBlobDiffers('new', listingOf(object('a')).objects, recorded)).toBe(true);
});

test('a fresh clone\'s file of another blob takes the lock before the walk ends; uploads may start only once the walk passes the safety rules', async () => {
  const recorded: Manifest = { version: 2, objects: { [manifestKey('a')]: { etag: 'e'.repeat(32), headers: 'h', git: '1'.repeat(40) } } };
  const run = (walkedKeys: readonly string[] | undefined, maxDeletes: number) => {
    let walk: (keys: readonly string[] | undefined) => void = () => {};
    const walked = new Promise<readonly string[] | undefined>((resolve) => (walk = resolve));
    const started = startLock({ walked, remote: Promise.resolve({ listing: listingOf(object('a'), object('b')), manifest: recorded }), maxDeletes });
    return { ...started, walk: () => walk(walkedKeys) };
  };
  const passing = run(['a', 'b'], 0);
  passing.reads.pushOtherBlob('a'); // held until the listing is in
  await settle();
  expect([passing.taken, passing.judged]).toEqual([['taken'], []]);
  passing.walk();
  await settle();
  expect([passing.taken, passing.judged]).toEqual([['taken'], ['may upload']]);

  const refused = run(['a'], 0); // b would be deleted: over the cap
  await settle();
  refused.reads.pushOtherBlob('a');
  await settle();
  refused.walk();
  await settle();
  expect([refused.taken, refused.judged]).toEqual([['taken'], ['no upload']]);

  const failed = run(undefined, -1); // the scan failed before the walk ended
  failed.reads.pushOtherBlob('a');
  failed.walk();
  await settle();
  expect([failed.taken, failed.judged]).toEqual([['taken'], ['no upload']]);

  // A record of an object written since by other means: not sure, so not taken until the walk or a file says so.
  const unsure = run(['a', 'b'], 0);
  unsure.reads.pushOtherBlob('b');
  await settle();
  unsure.walk();
  await settle();
  expect(unsure.taken).toEqual([]);
});

test('a file of another blob takes no lock while another publish\'s lock is listed', async () => {
  const recorded: Manifest = { version: 2, objects: { [manifestKey('a')]: { etag: 'e'.repeat(32), headers: 'h', git: '1'.repeat(40) } } };
  const locked = listingOf(object('a'));
  locked.state.set('.fleuron/lock.json', object('.fleuron/lock.json'));
  const { reads, taken } = startLock({ walked: new Promise(() => {}), remote: Promise.resolve({ listing: locked, manifest: recorded }) });
  await settle();
  reads.pushOtherBlob('a');
  await settle();
  expect(taken).toEqual([]);
});
