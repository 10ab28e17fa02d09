/**
 * Publish benchmark (issues 2 and 11): fleuron against the installed peers (rclone, aws s3 sync, s3cmd,
 * hugo deploy), each on its own fresh bucket of one S3 server — the embedded s3rver (quick runs) or a
 * throwaway Ceph RGW (`--server ceph`, the headline: a real, multi-threaded server) — all through one
 * request-counting proxy that can add a remote server's latency. Scenarios: (a) initial upload, (b) no-op re-publish, (c) 1% of files changed with every
 * mtime touched, (d) 1% deleted, (e) 1% changed in a fresh git clone (as CI publishes: the folder committed, the
 * change a new commit, a new clone published; `--no-git` leaves it out). Prints one table per scenario and writes
 * bench/results/*.json.
 *
 *   npm run bench:publish                     (builds first)
 *   node bench/publish/run.mjs [--files 10000] [--seed 1] [--large 20,30,40] [--tools fleuron,rclone]
 *                              [--timeout 480] [--repeat 3 (no-op runs, median)] [--keep]
 *                              [--latency MS or MIN-MAX (added to every request by the proxy, as to a remote
                              server; jittered, seeded by --seed)] [--server s3rver|ceph]
 *   npm run bench:publish -- --server ceph --latency 15-25 --tools fleuron,rclone,hugo   (the headline table)
 *   npm run bench:publish -- --scale          (runs scale.mjs instead: 100k files, one 1 GB file)
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { changeAndTouch, changeFiles, chooseFiles, deleteFiles, generateSite } from './generate.mjs';
import { parseLatency, startCountingProxy } from './proxy.mjs';
import { compare, createBucket, directClient, indexFolder, listBucket } from './s3.mjs';
import { startBenchServer } from './server.mjs';
import { makeTools, REPO } from './tools.mjs';

const argv = process.argv.slice(2);

function option(name, fallback) {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
}

function tmpRoot() {
  return os.platform() === 'linux' && process.env.BENCH_TMP !== 'disk' ? '/dev/shm' : os.tmpdir();
}

const GROUPS = [
  ['LIST', (op) => op.startsWith('ListObjects')],
  ['GET', (op) => op === 'GetObject'],
  ['HEAD', (op) => op === 'HeadObject' || op === 'HeadBucket'],
  ['PUT', (op) => op === 'PutObject'],
  ['MPU', (op) => /MultipartUpload$|^UploadPart$|^ListParts$/.test(op)],
  ['COPY', (op) => op === 'CopyObject' || op === 'UploadPartCopy'],
  ['DEL', (op) => op === 'DeleteObject' || op === 'DeleteObjects'],
];

function grouped(byOperation) {
  const out = Object.fromEntries(GROUPS.map(([name]) => [name, 0]));
  out.other = 0;
  for (const [op, n] of Object.entries(byOperation)) {
    const group = GROUPS.find(([, test]) => test(op));
    out[group ? group[0] : 'other'] += n;
  }
  return out;
}

function table(rows, headers) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const ratio = (value, base) => (base > 0 ? `${(value / base).toFixed(value / base >= 10 ? 0 : 1)}×` : value > 0 ? '∞' : '1×');

async function main() {
  const files = Number(option('files', 10_000));
  const seed = Number(option('seed', 1));
  const largeMb = option('large', '20,30,40').split(',').filter(Boolean).map(Number);
  const latencyText = option('latency', '0');
  const latency = parseLatency(latencyText);
  const serverKind = option('server', 's3rver');
  const timeoutMs = Number(option('timeout', 480)) * 1000;
  const only = option('tools', '');
  const keep = argv.includes('--keep');
  const noopRepeat = Math.max(1, Number(option('repeat', 3)));
  const fraction = 0.01;

  const work = mkdtempSync(path.join(tmpRoot(), 'fleuron-bench-'));
  const site = path.join(work, 'site');
  const log = (text) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${text}`);
  log(`work folder ${work} (tmpfs keeps the disk out of the measurement)`);

  let s3;
  let proxy;
  const cleanup = async () => {
    await proxy?.stop();
    await s3?.stop();
    if (!keep) rmSync(work, { recursive: true, force: true });
  };
  process.once('SIGINT', () => cleanup().finally(() => process.exit(130)));

  try {
    let started = process.hrtime.bigint();
    const list = generateSite(site, { files, seed, largeMb });
    const totalBytes = list.reduce((sum, file) => sum + file.size, 0);
    log(`generated ${list.length} files, ${(totalBytes / 1e6).toFixed(1)} MB (${list.filter((f) => f.large).map((f) => `${(f.size / 2 ** 20).toFixed(1)} MiB`).join(', ')} large) in ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s`);

    s3 = await startBenchServer(serverKind, work, log);
    proxy = await startCountingProxy(s3.endpoint, { latency, seed });
    const direct = directClient(s3.endpoint);
    log(`${s3.description} at ${s3.endpoint}, counting proxy at ${proxy.endpoint}${latency.max > 0 ? ` adding ${latencyText} ms to each request` : ''}`);

    const all = makeTools({ work });
    const tools = [];
    for (const tool of all) {
      if (only && !only.split(',').some((name) => tool.name.startsWith(name))) continue;
      const available = tool.available();
      if (available === true || (typeof available === 'string' && available.startsWith('/'))) tools.push(tool);
      else console.log(`SKIP ${tool.name}: ${available}`);
    }
    const bucketOf = (tool) => `bench-${tool.name.replace(/[^a-z0-9]+/g, '-')}-${seed}`;
    for (const tool of tools) await createBucket(direct, bucketOf(tool));
    log(`tools: ${tools.map((t) => `${t.name} [${t.concurrency}]`).join(', ')}`);

    const changed = chooseFiles(list, Math.round(files * fraction), seed + 101);
    const deleted = chooseFiles(list, Math.round(files * fraction), seed + 202, new Set(changed.map((f) => f.key)));
    const scenarios = [
      { id: 'a', title: 'initial upload', prepare: () => {} },
      { id: 'b', title: 'no-op re-publish', prepare: () => {} },
      {
        id: 'c',
        title: `${changed.length} files (1%) changed, every mtime touched`,
        // A clone's files carry the checkout's time, in the past once the publish runs. A time in the future (as here
        // until the tenth session) made every file "changed just before" the scan for fleuron's hash cache, which then
        // kept none of them, and scenario (d) ran without a cache whenever the index below took under a second.
        prepare: () => changeAndTouch(site, changed, seed, new Date(Date.now() - 60_000)),
      },
      { id: 'd', title: `${deleted.length} files (1%) deleted`, prepare: () => deleteFiles(site, deleted) },
    ];
    const cloned = chooseFiles(list, Math.round(files * fraction), seed + 303, new Set(deleted.map((f) => f.key)));
    if (!argv.includes('--no-git')) {
      scenarios.push({
        id: 'e',
        title: `${cloned.length} files (1%) changed, fresh git clone`,
        dir: path.join(work, 'clone-after', 'site'),
        // The folder as (d) left it is committed and published once from a clone (fleuron's manifest then records
        // the blobs); a commit changes 1 %, and a new clone of it is what every tool publishes.
        prepare: async () => {
          const git = (...args) => {
            const result = spawnSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.org', '-c', 'core.looseCompression=0', '-c', 'gc.auto=0', ...args], { cwd: work, encoding: 'utf8' });
            if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
          };
          git('init', '--quiet');
          git('add', 'site');
          git('commit', '--quiet', '-m', 'site');
          git('clone', '--quiet', work, path.join(work, 'clone-before'));
          for (const tool of tools.filter((t) => t.name === 'fleuron')) {
            const run = await tool.run({ site: path.join(work, 'clone-before', 'site'), bucket: bucketOf(tool), endpoint: proxy.endpoint });
            log(`  ${tool.name} published the first clone (records its blobs): ${(run.ms / 1000).toFixed(2)} s, exit ${run.code}`);
          }
          changeFiles(site, cloned, seed + 3);
          git('commit', '--quiet', '-am', 'one percent');
          git('clone', '--quiet', work, path.join(work, 'clone-after'));
        },
      });
    }

    const results = {
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, node: process.version, memGB: Math.round(os.totalmem() / 2 ** 30) },
      folder: { files: list.length, bytes: totalBytes, seed, largeMb, tmp: tmpRoot() },
      fleuron: gitState(),
      server: `${s3.description} behind a counting proxy on 127.0.0.1${latency.max > 0 ? `, ${latencyText} ms added to every request (seed ${seed})` : ''}`,
      latencyMs: latency,
      tools: tools.map((t) => ({ name: t.name, concurrency: t.concurrency })),
      scenarios: [],
      targets: [],
    };

    for (const scenario of scenarios) {
      await scenario.prepare();
      const dir = scenario.dir ?? site;
      const local = await indexFolder(dir);
      log(`scenario (${scenario.id}) ${scenario.title}: ${local.size} local files`);
      const rows = [];
      // The no-op is repeated (round-robin over the tools, to spread load changes); the median time counts.
      const reps = scenario.id === 'b' ? noopRepeat : 1;
      const runs = new Map(tools.map((tool) => [tool.name, []]));
      for (let rep = 1; rep <= reps; rep++) {
        for (const tool of tools) {
          const bucket = bucketOf(tool);
          proxy.counts.reset();
          const run = await tool.run({ site: dir, bucket, endpoint: proxy.endpoint });
          run.counts = proxy.counts.snapshot();
          run.loadAvg1m = +os.loadavg()[0].toFixed(2);
          runs.get(tool.name).push(run);
          if (rep < reps) log(`  ${tool.name.padEnd(12)} ${(run.ms / 1000).toFixed(2).padStart(7)} s  ${String(run.counts.total).padStart(6)} requests  exit ${run.code}  (repeat ${rep}/${reps})`);
        }
      }
      for (const tool of tools) {
        const bucket = bucketOf(tool);
        const all = runs.get(tool.name);
        const run = all[all.length - 1];
        const counts = run.counts;
        const sorted = all.map((r) => r.ms).sort((a, b) => a - b);
        const median = sorted[Math.floor(sorted.length / 2)];
        const check = compare(await listBucket(direct, bucket), local);
        const self = tool.parse?.(run);
        const row = {
          tool: tool.name,
          exitCode: Math.max(...all.map((r) => r.code)),
          ms: Math.round(median),
          allMs: all.map((r) => Math.round(r.ms)),
          allRequests: all.map((r) => r.counts.total),
          loadAvg1m: run.loadAvg1m,
          peakRssMb: run.peakRssKb ? Math.round(run.peakRssKb / 1024) : undefined,
          requests: counts.total,
          byGroup: grouped(counts.byOperation),
          byOperation: counts.byOperation,
          byMethod: counts.byMethod,
          serverMsByOperation: counts.msByOperation,
          status: counts.status,
          mbSent: +(counts.bytesIn / 1e6).toFixed(1),
          objectsWritten: counts.writtenKeys.length,
          correct: check,
          self: self ? { uploaded: self.uploaded, deleted: self.deleted, unchanged: self.unchanged, headersUpdated: self.headersUpdated, requests: self.requests, durationMs: self.durationMs } : undefined,
          stderr: run.code !== 0 || !check.ok ? run.stderr.slice(-2000) : undefined,
        };
        if (tool.name === 'fleuron') row.writtenKeys = counts.writtenKeys;
        rows.push(row);
        log(
          `  ${tool.name.padEnd(12)} ${(median / 1000).toFixed(2).padStart(7)} s${reps > 1 ? ` (median of ${reps})` : ''}  ${String(counts.total).padStart(6)} requests  exit ${row.exitCode}  ${check.ok ? 'bucket = folder' : `BUCKET ≠ FOLDER ${JSON.stringify(check)}`}` +
            (run.code !== 0 ? `\n      stderr: ${run.stderr.trim().split('\n').slice(-3).join(' | ')}` : ''),
        );
      }
      results.scenarios.push({ id: scenario.id, title: scenario.title, localFiles: local.size, rows });
      printScenario(scenario, rows);
    }

    // Targets.
    const byId = Object.fromEntries(results.scenarios.map((s) => [s.id, s]));
    const fleuron = (id) => byId[id]?.rows.find((r) => r.tool === 'fleuron');
    const targets = [];
    const noop = fleuron('b');
    if (noop) {
      targets.push({
        target: `no-op of ${list.length} files in at most 14 requests`,
        pass: noop.requests <= 14 && noop.exitCode === 0,
        detail: `${noop.requests} requests seen by the proxy (${JSON.stringify(noop.byOperation)}); fleuron counted ${noop.self?.requests?.total ?? '?'}`,
      });
      const c = fleuron('c');
      const want = new Set(changed.map((f) => f.key));
      const written = new Set(c.writtenKeys.filter((k) => !k.startsWith('.fleuron/')));
      const exact = written.size === want.size && [...want].every((k) => written.has(k));
      targets.push({
        target: '1% case uploads exactly the changed files',
        pass: exact && c.exitCode === 0 && c.correct.ok,
        detail: `${written.size} site objects written (PUT/multipart) for ${want.size} changed files` +
          `${exact ? '' : `; unexpected: ${[...written].filter((k) => !want.has(k)).slice(0, 5).join(', ')}; missed: ${[...want].filter((k) => !written.has(k)).slice(0, 5).join(', ')}`}; fleuron reports uploaded=${c.self?.uploaded}; PutObject total incl. manifest ${c.byOperation.PutObject ?? 0}`,
      });
      // Issue 11: against the fastest peer of the same run — no-op, fresh clone and deletes ≤ 0.6×, first upload ≤ 0.85×.
      const limits = { a: 0.85, b: 0.6, c: 0.6, d: 0.6, e: 0.6 };
      for (const [id, limit] of Object.entries(limits)) {
        const rows = byId[id]?.rows ?? [];
        const fastest = fastestPeer(rows);
        for (const mine of rows.filter((r) => r.tool === 'fleuron' || r.tool === 'fleuron-nocache')) {
          targets.push({
            target: `(${id}) ${mine.tool} ≤ ${limit}× the fastest peer`,
            pass: fastest !== undefined && mine.ms <= limit * fastest.ms && mine.exitCode === 0,
            detail: fastest === undefined ? 'no peer ran' : `${mine.tool} ${(mine.ms / 1000).toFixed(2)} s = ${(mine.ms / fastest.ms).toFixed(2)}× ${fastest.tool} ${(fastest.ms / 1000).toFixed(2)} s`,
          });
        }
      }
      const wrong = results.scenarios.flatMap((s) => s.rows.filter((r) => !r.correct.ok || r.exitCode !== 0).map((r) => `(${s.id}) ${r.tool}`));
      targets.push({ target: 'every tool leaves bucket = folder, exit 0 (informative)', pass: wrong.length === 0, detail: wrong.length ? `not so: ${wrong.join(', ')}` : 'all scenarios' });
    }
    results.targets = targets;
    console.log('\nTargets');
    for (const t of targets) console.log(`  ${t.pass ? 'PASS' : 'FAIL'}  ${t.target} — ${t.detail}`);

    const outDir = path.join(REPO, 'bench/results');
    mkdirSync(outDir, { recursive: true });
    const outFile = path.join(outDir, `publish-${results.date.replace(/[:.]/g, '-')}.json`);
    writeFileSync(outFile, JSON.stringify(results, null, 2));
    console.log(`\nresults: ${path.relative(process.cwd(), outFile)}`);
  } finally {
    await cleanup();
  }
}

/** Which fleuron was measured: the commit, and whether lib/ had uncommitted changes when built. */
function gitState() {
  const git = (...args) => spawnSync('git', args, { cwd: REPO, encoding: 'utf8' }).stdout?.trim();
  return { commit: git('rev-parse', '--short', 'HEAD'), libDirty: Boolean(git('status', '--porcelain', '--', 'lib')) };
}

/** The quickest tool other than fleuron that succeeded. */
function fastestPeer(rows) {
  return rows.filter((r) => !r.tool.startsWith('fleuron') && r.exitCode === 0 && r.correct.ok).sort((a, b) => a.ms - b.ms)[0];
}

function printScenario(scenario, rows) {
  const base = rows.find((r) => r.tool === 'fleuron');
  const fastest = fastestPeer(rows);
  const headers = ['tool', 'time s', '×peer', '×fl', 'requests', '×fl', ...GROUPS.map(([g]) => g), 'other', 'MB sent', 'RSS MB', 'ok'];
  const body = rows.map((r) => [
    r.tool,
    (r.ms / 1000).toFixed(2),
    fastest ? (r.ms / fastest.ms).toFixed(2) : '',
    base ? ratio(r.ms, base.ms) : '',
    r.requests,
    base ? ratio(r.requests, base.requests) : '',
    ...GROUPS.map(([g]) => r.byGroup[g]),
    r.byGroup.other,
    r.mbSent,
    r.peakRssMb ?? '?',
    r.exitCode === 0 && r.correct.ok ? 'yes' : `NO${r.exitCode ? ` (exit ${r.exitCode})` : ''}${r.correct.ok ? '' : ` ${r.correct.missing}m/${r.correct.extra}x/${r.correct.wrongSize}s/${r.correct.wrongContent}c`}`,
  ]);
  const repeated = rows[0]?.allMs?.length > 1 ? ` — time: median of ${rows[0].allMs.length} runs` : '';
  console.log(`\n(${scenario.id}) ${scenario.title}${repeated}\n${table(body, headers)}`);
  if (fastest) console.log(`  ×peer: time over the fastest peer's (${fastest.tool})`);
  const others = rows.filter((r) => r.byGroup.other > 0).map((r) => `${r.tool}: ${Object.entries(r.byOperation).filter(([op]) => !GROUPS.some(([, t]) => t(op))).map(([op, n]) => `${op} ${n}`).join(', ')}`);
  if (others.length) console.log(`  other = ${others.join('; ')}`);
  if (base?.self) console.log(`  fleuron's own summary: durationMs ${base.self.durationMs} (process wall ${base.ms} ms), uploaded ${base.self.uploaded}, deleted ${base.self.deleted}, unchanged ${base.self.unchanged}, requests ${base.self.requests?.total} ${JSON.stringify(base.self.requests?.byOperation)}`);
  const list = rows.map((r) => `${r.tool} ${Object.entries(r.serverMsByOperation).filter(([op]) => op.startsWith('List')).reduce((sum, [, ms]) => sum + ms, 0)} ms`);
  if (repeated) console.log(`  all runs (ms): ${rows.map((r) => `${r.tool} ${r.allMs.join('/')}`).join(', ')}`);
  console.log(`  summed listing time at the server (all pages): ${list.join(', ')}`);
  console.log(`  1-minute load average during the runs: ${rows.map((r) => `${r.tool} ${r.loadAvg1m}`).join(', ')} (${os.cpus().length} CPUs)`);
}

if (argv.includes('--scale')) {
  await import('./scale.mjs');
} else {
  await main();
}
