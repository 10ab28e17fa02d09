/**
 * Scale benchmark for fleuron publish (issue 2): peak RSS of the fleuron process
 *   1. publishing 100,000 small files (then a no-op re-publish of them), and
 *   2. publishing one 1 GB file (then a no-op re-publish), to show it is streamed.
 * Against the embedded s3rver through the counting proxy; data on /dev/shm. Peak RSS from
 * /usr/bin/time (%M) when present, else from polling /proc/PID/status (VmHWM). Prints progress.
 *
 *   npm run bench:publish -- --scale     or   node bench/publish/scale.mjs [--files 100000] [--gb 1] [--keep] [--server s3rver|ceph]
 *        [--upload-concurrency N (the upload's --concurrency; the no-op keeps the default)]
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statfsSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { prng, randomBytes } from './generate.mjs';
import { startCountingProxy } from './proxy.mjs';
import { compare, createBucket, directClient, indexFolder, listBucket } from './s3.mjs';
import { startBenchServer } from './server.mjs';
import { CREDENTIALS, REGION, REPO } from './tools.mjs';

const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
};
const log = (text) => console.log(`[scale ${new Date().toISOString().slice(11, 19)}] ${text}`);
const mb = (kb) => (kb / 1024).toFixed(0);

/** 100k small HTML-ish files (0.5–3 KB) in 100×100 folders. */
function generateSmall(dir, count, seed) {
  rmSync(dir, { recursive: true, force: true });
  const rand = prng(seed);
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const folder = path.join(dir, `s${i % 100}`, `p${Math.floor(i / 100) % 100}`);
    if (i < 10_000) mkdirSync(folder, { recursive: true });
    const size = 500 + Math.floor(rand() * 2500);
    const head = `<!doctype html><title>Page ${i}</title><p>`;
    const body = Buffer.alloc(size, `page ${i} lorem ipsum dolor sit amet `);
    body.write(head, 0);
    writeFileSync(path.join(folder, `page-${i}.html`), body);
    bytes += size;
    if ((i + 1) % 20_000 === 0) log(`  generated ${i + 1} files`);
  }
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Scale</title><p>Scale benchmark</p>\n');
  return { files: count + 1, bytes: bytes + 58 };
}

/** One file of `size` bytes of pseudo-random data, written in 64 MiB chunks. */
function generateLarge(file, size, seed) {
  mkdirSync(path.dirname(file), { recursive: true });
  const fd = openSync(file, 'w');
  const chunk = 64 * 1024 * 1024;
  for (let offset = 0, n = 0; offset < size; offset += chunk, n++) writeSync(fd, randomBytes(seed + n, Math.min(chunk, size - offset)));
  closeSync(fd);
  writeFileSync(path.join(path.dirname(file), 'index.html'), '<!doctype html><title>Large</title>\n');
}

function childrenOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function statusOf(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0);
    return { rssKb: field('VmRSS'), hwmKb: field('VmHWM') };
  } catch {
    return undefined;
  }
}

/** Runs fleuron publish, printing progress (requests seen by the proxy, RSS) every 10 s. */
function runFleuron({ site, bucket, endpoint, proxy, work, label, extra = [] }) {
  return new Promise((resolve) => {
    const time = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
    const rssFile = path.join(work, `.time-${label}`);
    const args = [path.join(REPO, 'bin/fleuron.js'), 'publish', site, '--bucket', bucket, '--endpoint', endpoint, '--region', REGION, '--json', '--max-deletes', '-1', ...extra];
    const env = { ...process.env, ...CREDENTIALS, AWS_REGION: REGION };
    delete env.AWS_ENDPOINT_URL;
    delete env.AWS_ENDPOINT_URL_S3;
    const [cmd, argv2] = time ? [time, ['-f', '%M', '-o', rssFile, process.execPath, ...args]] : [process.execPath, args];
    const started = process.hrtime.bigint();
    const child = spawn(cmd, argv2, { env, cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    let polledHwm = 0;
    const nodePid = () => (time ? childrenOf(child.pid)[0] : child.pid);
    const poll = setInterval(() => {
      const pid = nodePid();
      const status = pid ? statusOf(pid) : undefined;
      if (status) polledHwm = Math.max(polledHwm, status.hwmKb);
    }, 100);
    const progress = setInterval(() => {
      const pid = nodePid();
      const status = pid ? statusOf(pid) : undefined;
      const s = (Number(process.hrtime.bigint() - started) / 1e9).toFixed(0);
      log(`  ${label}: ${s} s, ${proxy.counts.total} requests so far (${JSON.stringify(proxy.counts.byOperation)}), RSS ${status ? mb(status.rssKb) : '?'} MB, peak ${mb(polledHwm)} MB`);
    }, 10_000);
    child.on('close', (code) => {
      clearInterval(poll);
      clearInterval(progress);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      let timeKb;
      try {
        timeKb = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) || undefined;
      } catch {}
      let summary;
      try {
        summary = JSON.parse(stdout.slice(stdout.indexOf('{')));
      } catch {}
      resolve({ code, ms, peakRssKb: timeKb ?? polledHwm, polledHwmKb: polledHwm, summary, stderr: stderr.slice(-2000) });
    });
  });
}

async function scenario({ name, site, s3, proxy, work, results, generate }) {
  log(`${name}: generating`);
  const started = process.hrtime.bigint();
  const made = generate();
  log(`${name}: ${made.files} files, ${(made.bytes / 1e6).toFixed(1)} MB in ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s`);
  const direct = directClient(s3.endpoint);
  const bucket = `scale-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`;
  await createBucket(direct, bucket);
  const entry = { name, files: made.files, bytes: made.bytes, runs: [] };
  for (const run of ['upload', 'no-op']) {
    proxy.counts.reset();
    log(`${name}: ${run} starting`);
    // --upload-concurrency N: a faster upload on a slow server, when only the no-op's figures are wanted.
    const extra = run === 'upload' && option('upload-concurrency') ? ['--concurrency', option('upload-concurrency')] : [];
    const result = await runFleuron({ site, bucket, endpoint: proxy.endpoint, proxy, work, label: `${name} ${run}`, extra });
    const counts = proxy.counts.snapshot();
    const local = await indexFolder(site);
    const check = compare(await listBucket(direct, bucket), local);
    const row = {
      run,
      exitCode: result.code,
      seconds: +(result.ms / 1000).toFixed(2),
      peakRssMb: +(result.peakRssKb / 1024).toFixed(0),
      polledPeakRssMb: +(result.polledHwmKb / 1024).toFixed(0),
      requests: counts.total,
      byOperation: counts.byOperation,
      mbSent: +(counts.bytesIn / 1e6).toFixed(1),
      mbReceived: +(counts.bytesOut / 1e6).toFixed(1),
      fleuron: result.summary ? { uploaded: result.summary.uploaded, unchanged: result.summary.unchanged, durationMs: result.summary.durationMs, requests: result.summary.requests?.total } : undefined,
      bucketMatchesFolder: check.ok,
      check: check.ok ? undefined : check,
      stderr: result.code === 0 ? undefined : result.stderr,
    };
    entry.runs.push(row);
    log(`${name}: ${run} done: exit ${row.exitCode}, ${row.seconds} s, peak RSS ${row.peakRssMb} MB, ${row.requests} requests ${JSON.stringify(row.byOperation)}, bucket ${check.ok ? '= folder' : '≠ folder'}` + (row.stderr ? `\n    ${row.stderr.trim().split('\n').slice(-3).join(' | ')}` : ''));
  }
  results.scenarios.push(entry);
  rmSync(site, { recursive: true, force: true });
}

async function main() {
  const files = Number(option('files', 100_000));
  const gb = Number(option('gb', 1));
  const keep = argv.includes('--keep');
  const root = os.platform() === 'linux' ? '/dev/shm' : os.tmpdir();
  const free = statfsSync(root);
  const freeGb = (free.bavail * free.bsize) / 2 ** 30;
  log(`${root}: ${freeGb.toFixed(1)} GB free`);
  if (freeGb < gb * 2 + 2) log(`warning: ${root} may be too small for a ${gb} GB file and its copy in the server`);
  const work = mkdtempSync(path.join(root, 'fleuron-scale-'));
  const s3 = await startBenchServer(option('server', 's3rver'), work, log);
  const proxy = await startCountingProxy(s3.endpoint);
  const results = { date: new Date().toISOString(), machine: { cpus: os.cpus().length, node: process.version }, tmp: root, scenarios: [] };
  try {
    await scenario({ name: `${files} small files`, site: path.join(work, 'small'), s3, proxy, work, results, generate: () => generateSmall(path.join(work, 'small'), files, 7) });
    const size = Math.round(gb * 2 ** 30);
    await scenario({
      name: `one ${gb} GB file`,
      site: path.join(work, 'large'),
      s3,
      proxy,
      work,
      results,
      generate: () => {
        generateLarge(path.join(work, 'large', 'media', 'big.bin'), size, 11);
        return { files: 2, bytes: size + 37 };
      },
    });
  } finally {
    await proxy.stop();
    await s3.stop();
    if (!keep) rmSync(work, { recursive: true, force: true });
  }
  console.log('\nScale (fleuron publish, peak RSS of the fleuron process)');
  for (const entry of results.scenarios) {
    for (const run of entry.runs) {
      console.log(`  ${entry.name.padEnd(20)} ${run.run.padEnd(7)} exit ${run.exitCode}  ${String(run.seconds).padStart(8)} s  peak RSS ${String(run.peakRssMb).padStart(5)} MB  ${String(run.requests).padStart(7)} requests  ${run.mbSent} MB sent  ${run.mbReceived} MB received  bucket ${run.bucketMatchesFolder ? '= folder' : '≠ folder'}`);
    }
  }
  const outDir = path.join(REPO, 'bench/results');
  mkdirSync(outDir, { recursive: true });
  const outFile = path.join(outDir, `scale-${results.date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(outFile, JSON.stringify(results, null, 2));
  console.log(`\nresults: ${path.relative(process.cwd(), outFile)}`);
}

await main();
