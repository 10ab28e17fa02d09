import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { compileHeaderPolicy } from '../../lib/headers/header-rules.js';
import { MULTIPART_THRESHOLD } from '../../lib/publish/body-hash.js';
import { scanLocal } from '../../lib/publish/scan-local.js';

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
