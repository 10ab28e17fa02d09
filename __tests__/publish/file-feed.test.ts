import { FileFeed } from '../../lib/publish/file-feed.js';
import type { LocalFile } from '../../lib/publish/types.js';

const file = (key: string) => ({ key }) as LocalFile;

test('a listener that comes late is handed the files held, the read ones first, then each new one, until it stops', () => {
  const feed = new FileFeed();
  feed.push(file('cached-1'), false);
  feed.push(file('read-1'), true);
  feed.push(file('cached-2'), false);
  const told: string[] = [];
  const stop = feed.listen((f, read) => told.push(`${f.key}:${read}`));
  expect(told).toEqual(['read-1:true', 'cached-1:false', 'cached-2:false']);
  feed.push(file('read-2'), true);
  stop();
  feed.push(file('read-3'), true);
  expect(told).toEqual(['read-1:true', 'cached-1:false', 'cached-2:false', 'read-2:true']);
});

test('a listener added while another is told of a file has that file once; after stopHolding, only new ones come', () => {
  const feed = new FileFeed();
  const second: string[] = [];
  feed.listen((f) => {
    if (f.key === 'b') feed.listen((g) => second.push(g.key));
  });
  feed.push(file('a'), true);
  feed.push(file('b'), false);
  feed.push(file('c'), true);
  expect(second).toEqual(['a', 'b', 'c']);

  feed.pushOtherBlob('x');
  feed.stopHolding();
  feed.pushOtherBlob('y');
  const late: string[] = [];
  feed.listen((f) => late.push(f.key));
  feed.listenOtherBlobs((key) => late.push(key));
  feed.push(file('d'), true);
  feed.pushOtherBlob('z');
  expect(late).toEqual(['d', 'z']);
});

test('keys of other blobs are held and handed over like files', () => {
  const feed = new FileFeed();
  feed.pushOtherBlob('p.html');
  const keys: string[] = [];
  feed.listenOtherBlobs((key) => keys.push(key));
  feed.pushOtherBlob('q.html');
  expect(keys).toEqual(['p.html', 'q.html']);
});
