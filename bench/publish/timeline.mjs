/**
 * One fleuron publish through the counting proxy, with the time of every request from the process's start: where
 * a remote publish waits (start-up, listing, scan, lock, uploads). Needs `npm run build`.
 *
 *   node bench/publish/timeline.mjs --site DIR --bucket NAME [--endpoint http://127.0.0.1:7491 (Ceph)]
 *        [--latency 15-25] [--node PATH] [--cli PATH (bin/fleuron.js of another build)] [--seed 1] [-- more publish arguments]
 * Credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, or the bench Ceph's (FLEURON_CEPH_DIR/env).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseLatency, startCountingProxy } from './proxy.mjs';
import { REPO } from './tools.mjs';

const argv = process.argv.slice(2);
const dashes = argv.indexOf('--');
const own = dashes < 0 ? argv : argv.slice(0, dashes);
const extra = dashes < 0 ? [] : argv.slice(dashes + 1);
const option = (name, fallback) => {
  const i = own.indexOf(`--${name}`);
  return i >= 0 && own[i + 1] !== undefined ? own[i + 1] : fallback;
};

const cephEnv = path.join(process.env.FLEURON_CEPH_DIR ?? '/tmp/fleuron-bench-ceph', 'env');
const fromCeph = existsSync(cephEnv)
  ? Object.fromEntries([...readFileSync(cephEnv, 'utf8').matchAll(/^export (\w+)=(.*)$/gm)].map(([, name, value]) => [name, value.replace(/^['"]|['"]$/g, '')]))
  : {};
const env = {
  ...process.env,
  AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? fromCeph.FLEURON_TEST_S3_ACCESS_KEY_ID,
  AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? fromCeph.FLEURON_TEST_S3_SECRET_ACCESS_KEY,
  NO_PROXY: '127.0.0.1,localhost',
};
const proxy = await startCountingProxy(option('endpoint', fromCeph.FLEURON_TEST_S3_ENDPOINT ?? 'http://127.0.0.1:7491'), {
  latency: parseLatency(option('latency', '0')),
  seed: Number(option('seed', 1)),
  timeline: true,
});
const args = [option('cli', path.join(REPO, 'bin/fleuron.js')), 'publish', option('site'), '--bucket', option('bucket'), '--endpoint', proxy.endpoint, '--region', 'garage', '--json', '--max-deletes', '-1', ...extra];
const started = Date.now();
const child = spawn(option('node', process.execPath), args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
let stdout = '';
child.stdout.on('data', (chunk) => (stdout += chunk));
const code = await new Promise((resolve) => child.on('close', resolve));
const ended = Date.now();
await proxy.stop();

const at = (ms) => `${((ms - started) / 1000).toFixed(3)}`.padStart(7);
let previousEnd = started;
for (const entry of proxy.counts.timeline.sort((a, b) => a.start - b.start)) {
  const gap = entry.start - previousEnd > 50 ? `   (${entry.start - previousEnd} ms with no request)` : '';
  console.log(`${at(entry.start)} → ${at(entry.end)}  ${entry.operation.padEnd(22)} ${String(entry.status).padEnd(4)} ${String(entry.bytes).padStart(8)} B  ${entry.key.slice(0, 50)}${gap}`);
  previousEnd = Math.max(previousEnd, entry.end);
}
console.log(`${at(ended)}  exit ${code}; ${proxy.counts.total} requests, ${proxy.counts.bytesOut} B down, ${proxy.counts.bytesIn} B up`);
try {
  const summary = JSON.parse(stdout.slice(stdout.indexOf('{')));
  console.log(`fleuron: ${summary.durationMs} ms in publish(), uploaded ${summary.uploaded}, deleted ${summary.deleted}, hashes from the cache ${summary.hashesFromCache}, from git ${summary.hashesFromGit}`);
  const puts = proxy.counts.timeline.filter((entry) => entry.operation === 'PutObject' && !entry.key.includes('.fleuron/'));
  if (puts.length > 0) {
    const first = Math.min(...puts.map((entry) => entry.start));
    const last = Math.max(...puts.map((entry) => entry.end));
    console.log(`uploads: ${puts.length} in ${last - first} ms (first start to last end)`);
  }
} catch {
  console.log(stdout.slice(-2000));
}
