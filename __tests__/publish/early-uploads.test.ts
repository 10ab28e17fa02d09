/**
 * The uploads made during the scan (lib/publish/early-uploads.ts): only under the lock, only files that differ, never a
 * page before every changed asset is up, none after a failure or once apply took over. The uploads here are a
 * function that records and answers when told: what is tested is the order, not the S3 requests (see
 * integration/early-uploads.test.ts for those, against the test server).
 */
import { FleuronError, formatErrorLine } from '../../lib/errors/fleuron-error.js';
import { EarlyUploads, withEarlyUploadsSaid } from '../../lib/publish/early-uploads.js';
import { FileFeed } from '../../lib/publish/file-feed.js';
import type { RemoteScan } from '../../lib/publish/scan-remote.js';
import type { LocalFile, Manifest, RemoteObject } from '../../lib/publish/types.js';

const SAME = 'e'.repeat(32);
const OTHER = 'f'.repeat(32);
const object = (key: string): RemoteObject => ({ key, size: 1, etag: SAME });
const file = (key: string, md5 = OTHER) => ({ key, size: 1, md5 }) as LocalFile;
const manifest = { version: 2, objects: {} } as unknown as Manifest;
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A deferred promise, resolved or rejected by the test. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

function setUp(listed: string[], concurrency = 16, limit?: number) {
  const files = new FileFeed();
  const lock = deferred<void>();
  const listing: RemoteScan = { objects: new Map(listed.map((key) => [key, object(key)])), state: new Map() };
  const sent: string[] = [];
  const answers = new Map<string, ReturnType<typeof deferred<string>>>();
  const early = new EarlyUploads({
    files,
    lock: lock.promise,
    remote: Promise.resolve({ listing, manifest }),
    upload: (uploaded) => {
      sent.push(uploaded.key);
      const answer = deferred<string>();
      answers.set(uploaded.key, answer);
      return answer.promise;
    },
    concurrency,
    limit,
  });
  const answer = async (key: string, ok = true) => {
    if (ok) answers.get(key)!.resolve(OTHER);
    else answers.get(key)!.reject(new Error(`${key} refused`));
    await settle();
  };
  /** Three assets hashed, the lock held. */
  const threeAssets = () => {
    lock.resolve();
    const three: [LocalFile, LocalFile, LocalFile] = [file('a.css'), file('b.css'), file('c.css')];
    for (const asset of three) files.push(asset, true);
    return three;
  };
  return { files, lock, early, sent, answer, threeAssets };
}

test('nothing goes up before the lock is held; then every file that differs, read or vouched for by the cache, and only those', async () => {
  const { files, lock, sent } = setUp(['same.css', 'old.css']);
  files.push(file('same.css', SAME), true);
  files.push(file('old.css'), false); // the cache vouched for it, but it differs from its listed object
  files.push(file('new.png'), true);
  await settle();
  expect(sent).toEqual([]);
  lock.resolve();
  await settle();
  expect(sent.sort()).toEqual(['new.png', 'old.css']);
  files.push(file('later.js'), true);
  expect(sent).toContain('later.js');
});

test('no page goes up before every asset is hashed and each changed asset is up', async () => {
  const { files, lock, sent, answer } = setUp([]);
  lock.resolve();
  files.push(file('a.css'), true);
  files.push(file('index.html'), true);
  await settle();
  expect(sent).toEqual(['a.css']);
  files.markAssetsHashed();
  await settle();
  expect(sent).toEqual(['a.css']); // a.css is not up yet
  await answer('a.css');
  expect(sent).toEqual(['a.css', 'index.html']);
  files.push(file('about.HTM'), true); // pages open: at once
  expect(sent).toEqual(['a.css', 'index.html', 'about.HTM']);
});

test('pages wait when the assets are hashed before the lock is held and the listing judged', async () => {
  const { files, lock, sent, answer } = setUp([]);
  files.push(file('index.html'), true);
  files.push(file('a.css'), true);
  files.markAssetsHashed();
  await settle();
  lock.resolve();
  await settle();
  expect(sent).toEqual(['a.css']);
  await answer('a.css');
  expect(sent).toEqual(['a.css', 'index.html']);
});

test('after a failure nothing more starts, pages included; uploadOf gives the failure to apply, settled counts the rest', async () => {
  const { files, early, sent, answer, threeAssets } = setUp([], 2);
  const [a, , c] = threeAssets();
  files.push(file('index.html'), true);
  files.markAssetsHashed();
  await settle();
  expect(sent).toEqual(['a.css', 'b.css']); // two at a time
  await answer('a.css', false);
  await answer('b.css');
  expect(sent).toEqual(['a.css', 'b.css']); // neither c.css nor the page
  await expect(early.uploadOf(a)).rejects.toThrow('a.css refused');
  expect(early.uploadOf(file('a.css'))).toBeUndefined(); // another file of that key (the plan's is the scan's own)
  expect(early.uploadOf(c)).toBeUndefined();
  expect(await early.settled()).toBe(1);
});

test('stop: nothing new starts, the uploads running are apply\'s to wait for, the waiting ones apply makes itself', async () => {
  const { early, sent, answer, threeAssets } = setUp([], 2);
  const [a, b, c] = threeAssets();
  await settle();
  expect(sent).toEqual(['a.css', 'b.css']);
  early.stop();
  await answer('a.css');
  expect(sent).toEqual(['a.css', 'b.css']); // c.css did not start
  await expect(early.uploadOf(a)).resolves.toBe(OTHER);
  expect(early.uploadOf(c)).toBeUndefined();
  const counted = early.settled();
  await answer('b.css', false);
  expect(await counted).toBe(1);
  await expect(early.uploadOf(b)).rejects.toThrow('b.css refused');
});

test('a lock that is not taken (another publish holds it) uploads nothing', async () => {
  const { files, lock, sent } = setUp([]);
  files.push(file('a.css'), true);
  lock.reject(new Error('locked'));
  await settle();
  files.push(file('b.css'), true);
  await settle();
  expect(sent).toEqual([]);
});

test('an error after uploads during the scan says how many went up and that nothing was deleted, not that nothing was published', () => {
  const unreadable = new FleuronError('unreadable-file', 'cannot read about.html: EIO', { hint: 'fix its permissions or exclude it; nothing was published' });
  expect(withEarlyUploadsSaid(unreadable, 0)).toBe(unreadable);
  const said = withEarlyUploadsSaid(unreadable, 3);
  expect(formatErrorLine(said)).toBe(
    'fleuron: cannot read about.html: EIO — fix its permissions or exclude it; 3 changed files were uploaded before this, and nothing was deleted: once it is fixed, run the same command again',
  );
  expect([said.code, said.exitCode]).toEqual(['unreadable-file', 1]);
  const capped = new FleuronError('too-many-deletes', 'this publish would delete 9 objects, more than the cap of 2; nothing was changed', { exitCode: 2 });
  expect(withEarlyUploadsSaid(capped, 1).exitCode).toBe(1); // 2 promises that nothing changed
  expect(formatErrorLine(withEarlyUploadsSaid(capped, 1))).toBe(
    'fleuron: this publish would delete 9 objects, more than the cap of 2 — 1 changed file was uploaded before this, and nothing was deleted: once it is fixed, run the same command again',
  );
});

test('at most `limit` uploads start during the scan: the others are apply\'s', async () => {
  const { early, sent, threeAssets } = setUp([], 16, 2);
  const [a, b, c] = threeAssets();
  await settle();
  expect(sent).toEqual(['a.css', 'b.css']);
  expect([early.uploadOf(a), early.uploadOf(b), early.uploadOf(c)].map((upload) => upload !== undefined)).toEqual([true, true, false]);
});

test('stopped before the lock is held (the publish failed meanwhile): nothing goes up and nothing throws once it is', async () => {
  const unhandled: unknown[] = [];
  const record = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', record);
  try {
    const { files, lock, early, sent } = setUp([]);
    files.push(file('a.css'), true);
    early.stop();
    lock.resolve();
    files.markAssetsHashed();
    await settle();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect([sent, unhandled]).toEqual([[], []]);
  } finally {
    process.off('unhandledRejection', record);
  }
});
