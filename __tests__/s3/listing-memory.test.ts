/**
 * A listed key is held for the whole publish (100,000 of them at that scale): it must not keep the listing page it
 * was read from alive (~260 KB of XML per 1,000 keys). A child process started with `--expose-gc` reads pages with
 * the built scanner (dist/), keeps only the keys, collects garbage and reports how much of the heap they hold.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const scanner = path.resolve('dist/s3/list-page-xml.js');

const probe = `
const { scanListPage } = await import(${JSON.stringify(scanner)});
const page = (p) => {
  let xml = '<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>b</Name><KeyCount>1000</KeyCount><IsTruncated>true</IsTruncated>';
  for (let i = 0; i < 1000; i++) xml += '<Contents><Key>section-' + p + '/chapter-' + (i % 37) + '/a-page-with-a-long-name-' + i + '.html</Key><LastModified>2026-12-01T00:00:00.000Z</LastModified><ETag>&quot;0dda5b41419924ab0fca92b9de9a0bd1&quot;</ETag><Size>1234</Size><StorageClass>STANDARD</StorageClass></Contents>';
  return xml + '</ListBucketResult>';
};
globalThis.gc();
const before = process.memoryUsage().heapUsed;
const keys = [];
let xmlBytes = 0;
for (let p = 0; p < 40; p++) {
  const xml = page(p);
  xmlBytes += xml.length;
  for (const object of scanListPage(xml).objects) keys.push(object.key);
}
globalThis.gc();
console.log(JSON.stringify({ held: process.memoryUsage().heapUsed - before, xmlBytes, keys: keys.length, first: keys[0] }));
`;

it('keys read from a listing page do not keep the page in memory', async () => {
  const { stdout } = await run(process.execPath, ['--expose-gc', '--input-type=module', '-e', probe]);
  const { held, xmlBytes, keys, first } = JSON.parse(stdout) as { held: number; xmlBytes: number; keys: number; first: string };
  expect(keys).toBe(40_000);
  expect(first).toBe('section-0/chapter-0/a-page-with-a-long-name-0.html');
  // 40,000 keys of ~50 characters as strings of their own: ~3 MB; held by slices of their pages: the pages' 9.7 MB and more.
  expect(xmlBytes).toBeGreaterThan(9_000_000);
  expect(held).toBeLessThan(xmlBytes / 2);
});
