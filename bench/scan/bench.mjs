#!/usr/bin/env node
/**
 * `npm run bench:scan`: the local scan of a publish alone (issue 11), on the publish benchmark's corpus
 * (bench/publish/generate.mjs, 10,000 files / ~189 MB on /dev/shm), against a plain Node loop and md5sum.
 * A benchmark, not a test. Each measurement is a fresh process, so worker start-up is counted.
 *
 *   fleuron fresh   every file touched (new mtime and ctime, as in a fresh clone) and no hash cache file
 *   fleuron warm    the hash cache written by a previous scan, nothing changed
 *   node loop       one thread: recursive readdir, readFileSync and MD5 of every file
 *   md5sum ×2       find | xargs -P2 md5sum
 *
 *   node bench/scan/bench.mjs [--files 10000] [--large 20,30,40] [--runs 5] [--dir /dev/shm/fleuron-scan-bench]
 *                             [--node /path/to/node] [--only fresh,warm,loop,md5sum]
 * Prints the median wall time of each (scanLocal's own time; the process's total in brackets), ratios to
 * the fastest, the median CPU time (all threads; steadier than wall time on a shared machine), the median CPU time
 * of the scan's main thread (the one it waits on: on an idle machine the scan takes about that long once the
 * hashing threads keep up) and the peak RSS of the fleuron scan process.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSite, walk } from '../publish/generate.mjs';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
};
const files = Number(option('files', 10_000));
const largeMb = option('large', '20,30,40').split(',').filter(Boolean).map(Number);
const runs = Number(option('runs', 5));
const dir = option('dir', `/dev/shm/fleuron-scan-bench-${files}`);
const node = option('node', process.execPath);
const only = option('only', 'fresh,warm,loop,md5sum').split(',');
const cacheHome = `${dir}-cache`;
const site = path.join(dir, 'site');

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** The corpus, generated once per (files, large) and reused while its marker matches. */
function corpus() {
  const marker = path.join(dir, 'corpus.json');
  const wanted = JSON.stringify({ files, largeMb, seed: 1 });
  if (existsSync(marker) && readFileSync(marker, 'utf8') === wanted) return;
  console.log(`generating ${files} files in ${site}…`);
  mkdirSync(dir, { recursive: true });
  generateSite(site, { files, seed: 1, largeMb });
  writeFileSync(marker, wanted);
}

/** New mtime and ctime on every file, as a fresh clone has; then the clock moves past the "just changed" window. */
function touchAll() {
  const now = new Date();
  const keys = walk(site);
  for (let i = 0; i < keys.length; i += 2000) {
    execFileSync('touch', ['-d', now.toISOString(), ...keys.slice(i, i + 2000)], { cwd: site });
  }
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
}

/** Runs one scan in a fresh process: { scan, total, rss, hits, files } (seconds, MB). */
function fleuronScan() {
  const started = process.hrtime.bigint();
  const child = spawnSync(node, ['--no-warnings', path.join(repo, 'bench/scan/scan-once.mjs'), site], {
    env: { ...process.env, XDG_CACHE_HOME: cacheHome },
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  const total = Number(process.hrtime.bigint() - started) / 1e9;
  if (child.status !== 0) throw new Error(`scan failed: ${child.stderr}`);
  return { ...JSON.parse(child.stdout), total };
}

function timed(command, args, options = {}) {
  const started = process.hrtime.bigint();
  const child = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...options });
  if (child.status !== 0) throw new Error(`${command} failed: ${child.stderr}`);
  return { total: Number(process.hrtime.bigint() - started) / 1e9, stdout: child.stdout };
}

corpus();
if (!existsSync(path.join(repo, 'dist/publish/scan-local.js'))) throw new Error('run npm run build first');
console.log(`node ${spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim()}, ${files} files (+ ${largeMb.length} large), ${runs} runs each, interleaved`);

const samples = { fresh: [], warm: [], loop: [], md5sum: [] };
for (let run = 0; run < runs; run++) {
  if (only.includes('fresh') || only.includes('warm')) {
    rmSync(cacheHome, { recursive: true, force: true });
    touchAll();
    const fresh = fleuronScan();
    if (fresh.hits !== 0) throw new Error(`a fresh scan took ${fresh.hits} hashes from a cache`);
    samples.fresh.push(fresh);
    if (only.includes('warm')) {
      const warm = fleuronScan();
      if (warm.hits !== warm.files) throw new Error(`a warm scan took only ${warm.hits} of ${warm.files} hashes from its cache`);
      samples.warm.push(warm);
    }
  }
  if (only.includes('loop')) {
    const loop = timed(node, [path.join(repo, 'bench/scan/plain-loop.mjs'), site]);
    samples.loop.push({ ...JSON.parse(loop.stdout), total: loop.total });
  }
  if (only.includes('md5sum')) {
    samples.md5sum.push(timed('sh', ['-c', 'find . -type f -print0 | xargs -0 -P2 -n 2500 md5sum > /dev/null'], { cwd: site }));
  }
}
if (!only.includes('fresh')) samples.fresh = [];

const rows = Object.entries(samples)
  .filter(([, list]) => list.length > 0)
  .map(([name, list]) => ({
    name,
    scan: list[0].scan === undefined ? undefined : median(list.map((s) => s.scan)),
    total: median(list.map((s) => s.total)),
    rss: list[0].rss === undefined ? undefined : Math.max(...list.map((s) => s.rss)),
    cpu: list[0].cpu === undefined ? undefined : median(list.map((s) => s.cpu)),
    main: list[0].main === undefined ? undefined : median(list.map((s) => s.main)),
    all: list.map((s) => (s.scan ?? s.total).toFixed(3)).join(' '),
  }));
const fastest = Math.min(...rows.map((row) => row.scan ?? row.total));
console.log(`\n${'what'.padEnd(10)} ${'median s'.padStart(9)} ${'(process)'.padStart(10)} ${'× fastest'.padStart(10)} ${'CPU s'.padStart(7)} ${'main s'.padStart(7)} ${'peak RSS'.padStart(9)}   runs`);
for (const row of rows) {
  const time = row.scan ?? row.total;
  console.log(
    `${row.name.padEnd(10)} ${time.toFixed(3).padStart(9)} ${(row.scan === undefined ? '' : `(${row.total.toFixed(3)})`).padStart(10)} ${(time / fastest).toFixed(2).padStart(10)} ${(row.cpu === undefined ? '' : row.cpu.toFixed(3)).padStart(7)} ${(row.main === undefined ? '' : row.main.toFixed(3)).padStart(7)} ${(row.rss === undefined ? '' : `${row.rss} MB`).padStart(9)}   ${row.all}`,
  );
}
