#!/usr/bin/env node
/**
 * The fresh-clone case (e) of run.mjs, repeated in alternated rounds: a before/after of two fleuron builds, or fleuron
 * against rclone, where one run per tool says little (runs move by 0.1× on a shared 2-core machine). A benchmark, not a
 * test. What it takes care of, each learnt from a wrong comparison (README, seventeenth and eighteenth sessions):
 * - every round commits a new 1 % change and clones it; every variant publishes that clone, in an order that turns;
 * - each fleuron run has a hash cache of its own (the cache is keyed by the folder's path: a second run on the same
 *   clone would find the first one's, and would not be a fresh clone);
 * - fleuron variants swap their buckets each round (one bucket can be slower than another whatever runs on it);
 *   a peer keeps a bucket of its own (rclone sync would delete fleuron's `.fleuron/` records).
 *
 *   node bench/publish/pairs.mjs [--rounds 8] [--latency 15-25] [--server ceph|s3rver] [--files 10000] VARIANT…
 *
 * A VARIANT is `rclone`, or `NAME=CLI` (a bin/fleuron.js; `fleuron` alone is this checkout's), optionally
 * `NAME=CLI@NODE` (another Node binary, e.g. Node 24's). Prints each round, then per variant the median time and,
 * against the first variant, the median of the pairs' ratios and differences. Run `npm run build` first.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { changeFiles, chooseFiles, generateSite } from './generate.mjs';
import { parseLatency, startCountingProxy } from './proxy.mjs';
import { createBucket, directClient } from './s3.mjs';
import { startBenchServer } from './server.mjs';
import { baseEnv, makeTools, REGION, REPO, runTimed } from './tools.mjs';

const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const at = argv.indexOf(`--${name}`);
  return at >= 0 && argv[at + 1] !== undefined ? argv.splice(at, 2)[1] : fallback;
};
const rounds = Number(option('rounds', 8));
const latency = parseLatency(option('latency', '15-25'));
const serverKind = option('server', 'ceph');
const files = Number(option('files', 10_000));
const variants = argv.map(parseVariant);
if (variants.length < 2) throw new Error('name at least two variants, e.g. fleuron rclone, or before=/tmp/old/bin/fleuron.js fleuron');

function parseVariant(text) {
  if (text === 'rclone') return { name: 'rclone', peer: true };
  const [name, rest] = text.includes('=') ? text.split(/=(.*)/s) : [text, path.join(REPO, 'bin/fleuron.js')];
  const [cli, node] = rest.split('@');
  return { name, cli: path.resolve(cli), node: node ?? process.execPath, peer: false };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const log = (line) => console.log(`[pairs ${new Date().toISOString().slice(11, 19)}] ${line}`);

const work = mkdtempSync(path.join(existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir(), 'fleuron-pairs-'));
const repo = path.join(work, 'repo');
const site = path.join(repo, 'site');
const git = (...args) => {
  const result = spawnSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.org', '-c', 'core.looseCompression=0', '-c', 'gc.auto=0', ...args], { cwd: repo, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
};

let server;
let proxy;
try {
  const list = generateSite(site, { files, seed: 1 });
  git('init', '--quiet');
  git('add', 'site');
  git('commit', '--quiet', '-m', 'site');
  server = await startBenchServer(serverKind, work, log);
  proxy = await startCountingProxy(server.endpoint, { latency, seed: 1 });
  const rclone = makeTools({ work }).find((tool) => tool.name === 'rclone');
  const fleurons = variants.filter((variant) => !variant.peer);
  const buckets = { fleuron: fleurons.map((_, index) => `pairs-fleuron-${index}`), peer: 'pairs-rclone' };
  const direct = directClient(server.endpoint);
  for (const bucket of [...buckets.fleuron, buckets.peer]) await createBucket(direct, bucket);

  const publish = (variant, dir, bucket) => {
    if (variant.peer) return rclone.run({ site: dir, bucket, endpoint: proxy.endpoint });
    const cache = mkdtempSync(path.join(work, 'cache-'));
    return runTimed(variant.node, [variant.cli, 'publish', dir, '--bucket', bucket, '--endpoint', proxy.endpoint, '--region', REGION, '--json', '--max-deletes', '-1'], {
      env: baseEnv({ XDG_CACHE_HOME: cache }),
      cwd: work,
    }).finally(() => rmSync(cache, { recursive: true, force: true }));
  };
  const cloneOf = (name) => {
    git('clone', '--quiet', repo, path.join(work, name));
    return path.join(work, name, 'site');
  };

  // Every bucket starts at the first commit, published untimed (fleuron's with this checkout: its manifest records the blobs).
  const first = cloneOf('clone-0');
  for (const bucket of buckets.fleuron) await publish({ name: 'setup', cli: path.join(REPO, 'bin/fleuron.js'), node: process.execPath }, first, bucket);
  if (variants.some((variant) => variant.peer)) await publish({ peer: true }, first, buckets.peer);
  rmSync(path.dirname(first), { recursive: true, force: true });
  log(`${server.description}, ${latency.max > 0 ? `${latency.min}-${latency.max} ms added to each request` : 'no added latency'}; ${list.length} files; variants: ${variants.map((v) => v.name).join(', ')}`);

  const times = new Map(variants.map((variant) => [variant.name, []]));
  for (let round = 1; round <= rounds; round++) {
    changeFiles(site, chooseFiles(list, Math.round(files / 100), 1000 + round), 1000 + round);
    git('commit', '--quiet', '-am', `round ${round}`);
    const clone = cloneOf(`clone-${round}`);
    const order = variants.map((_, index) => variants[(index + round) % variants.length]);
    const line = [];
    for (const variant of order) {
      const at = fleurons.indexOf(variant);
      const bucket = variant.peer ? buckets.peer : buckets.fleuron[(at + round) % fleurons.length];
      const result = await publish(variant, clone, bucket);
      if (result.code !== 0) throw new Error(`${variant.name} failed in round ${round}: ${result.stderr.trim().split('\n').at(-1)}`);
      times.get(variant.name).push(result.ms / 1000);
      line.push(`${variant.name} ${(result.ms / 1000).toFixed(2)} s`);
    }
    log(`round ${round}: ${line.join(', ')} (load ${os.loadavg()[0].toFixed(1)})`);
    rmSync(path.dirname(clone), { recursive: true, force: true });
  }

  const [reference] = variants;
  const base = times.get(reference.name);
  console.log(`\n${'variant'.padEnd(12)} ${'median s'.padStart(9)}   against ${reference.name}: median of the pairs' ratios, differences (faster in)`);
  for (const variant of variants) {
    const own = times.get(variant.name);
    const versus = variant === reference ? '' : (() => {
      const ratios = own.map((time, index) => time / base[index]);
      const differences = own.map((time, index) => time - base[index]);
      const faster = differences.filter((difference) => difference < 0).length;
      return `${median(ratios).toFixed(2)}×, ${median(differences) >= 0 ? '+' : ''}${median(differences).toFixed(3)} s (${faster} of ${own.length} rounds)`;
    })();
    console.log(`${variant.name.padEnd(12)} ${median(own).toFixed(2).padStart(9)}   ${versus}`);
  }
} finally {
  await proxy?.stop();
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
}
