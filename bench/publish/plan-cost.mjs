/**
 * plan() on a 10,000-file site in a fresh process (as a publish runs it: once, cold), no-op and 1 % deleted: its
 * wall and CPU time. Needs `npm run build` (reads dist/). A benchmark, not a test.
 *
 *   node bench/publish/plan-cost.mjs [REPO (another checkout's root, for before/after pairs)] [FILES (10000)] [DELETED (0)]
 */
import path from 'node:path';
import { REPO } from './tools.mjs';

const dir = path.resolve(process.argv[2] ?? REPO);
const { plan } = await import(`file://${dir}/dist/publish/plan.js`);
const { manifestKey, parseManifest, serializeManifest } = await import(`file://${dir}/dist/publish/manifest.js`);
const { headersFingerprint } = await import(`file://${dir}/dist/headers/object-headers.js`);
const { createHash } = await import('node:crypto');
const N = +(process.argv[3] ?? 10000); const del = +(process.argv[4] ?? 0);
const headerSets = [{ contentType: 'text/html; charset=utf-8', cacheControl: 'max-age=60' }, { contentType: 'text/css', cacheControl: 'max-age=31536000, immutable' }, { contentType: 'image/png', cacheControl: 'max-age=31536000, immutable' }];
const local = [], remote = new Map(), objects = {};
for (let i = 0; i < N; i++) {
  const key = `section-${i % 97}/page-${i}-${(i * 2654435761 >>> 0).toString(36)}.html`;
  const md5 = createHash('md5').update(key).digest('hex');
  const headers = headerSets[i % 3];
  local.push({ key, size: 1000 + i, md5, headers, source: { kind: 'file', path: '/x/' + key } });
  remote.set(key, { key, size: 1000 + i, etag: md5 });
  objects[manifestKey(key)] = { etag: md5, headers: headersFingerprint(headers) };
}
const manifest = parseManifest(serializeManifest({ version: 2, objects }));
local.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
const localUsed = local.filter((_, i) => i % Math.round(N / Math.max(del, 1)) !== 1 || del === 0);
const t0 = process.hrtime.bigint(); const c0 = process.cpuUsage();
const p = plan({ local: localUsed, remote, manifest, manifestFound: true });
const ms = Number(process.hrtime.bigint() - t0) / 1e6; const cpu = process.cpuUsage(c0);
console.log(JSON.stringify({ ms: +ms.toFixed(1), cpu: +((cpu.user + cpu.system) / 1000).toFixed(1), uploads: p.uploads.length, deletes: p.deletes.length, unchanged: p.unchanged, changed: p.manifestChanged }));
