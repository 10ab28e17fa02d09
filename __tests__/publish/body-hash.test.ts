import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { deterministicGzip, hashFileBody, multipartEtagOf, MULTIPART_THRESHOLD, PART_SIZE } from '../../lib/publish/body-hash.js';

const md5 = (data: Buffer) => createHash('md5').update(data).digest();

test('multipartEtagOf is MD5 of the concatenated binary part MD5s, then -N', () => {
  const parts = [Buffer.from('a'), Buffer.from('b')];
  const expected = createHash('md5').update(Buffer.concat(parts.map(md5))).digest('hex');
  expect(multipartEtagOf(parts.map(md5))).toBe(`${expected}-2`);
});

test('a file above the threshold gets both its MD5 and the ETag of its parts', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hash-'));
  const data = randomBytes(MULTIPART_THRESHOLD + 1000);
  await writeFile(path.join(dir, 'big'), data);
  const hash = await hashFileBody(path.join(dir, 'big'), false);
  const parts = [];
  for (let offset = 0; offset < data.length; offset += PART_SIZE) parts.push(md5(data.subarray(offset, offset + PART_SIZE)));
  expect(hash).toEqual({ size: data.length, md5: md5(data).toString('hex'), multipartEtag: multipartEtagOf(parts) });
  expect(hash.multipartEtag).toMatch(/-3$/);
});

test('a large file of whole parts only: the first part, hashed as the start of the whole body, and no empty last part', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hash-'));
  const data = randomBytes(3 * PART_SIZE);
  await writeFile(path.join(dir, 'big'), data);
  const parts = [0, 1, 2].map((index) => md5(data.subarray(index * PART_SIZE, (index + 1) * PART_SIZE)));
  expect(await hashFileBody(path.join(dir, 'big'), false)).toEqual({ size: data.length, md5: md5(data).toString('hex'), multipartEtag: multipartEtagOf(parts) });
});

test('a small file hashes as stored: gzipped when asked, deterministically', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hash-'));
  await writeFile(path.join(dir, 'a.html'), '<p>hello</p>'.repeat(50));
  const plain = await hashFileBody(path.join(dir, 'a.html'), false);
  const gzipped = await hashFileBody(path.join(dir, 'a.html'), true);
  expect(plain.size).toBe(600);
  expect(gzipped.size).toBeLessThan(100);
  expect(gzipped.multipartEtag).toBeUndefined();
  const body = deterministicGzip(Buffer.from('x'));
  expect(body[9]).toBe(3);
  expect(body.readUInt32LE(4)).toBe(0); // no mtime
  expect(gunzipSync(body).toString()).toBe('x');
});

test('consecutive small files of different sizes hash independently (the read buffer is reused)', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hash-'));
  const big = randomBytes(300 * 1024);
  const small = Buffer.from('tiny');
  await writeFile(path.join(dir, 'big'), big);
  await writeFile(path.join(dir, 'small'), small);
  await writeFile(path.join(dir, 'empty'), '');
  expect(await hashFileBody(path.join(dir, 'big'), false)).toEqual({ size: big.length, md5: md5(big).toString('hex') });
  expect(await hashFileBody(path.join(dir, 'small'), false)).toEqual({ size: 4, md5: md5(small).toString('hex') });
  expect(await hashFileBody(path.join(dir, 'empty'), false)).toEqual({ size: 0, md5: 'd41d8cd98f00b204e9800998ecf8427e' });
});
