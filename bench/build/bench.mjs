#!/usr/bin/env node
/**
 * `npm run bench:build`: cold build and one-file rebuild of two generated 4,000-page corpora with fleuron,
 * side by side with Eleventy 3 and Hugo when installed. Everything runs on tmpfs (/dev/shm). A benchmark, not a test.
 *
 * Environment: BENCH_PAGES (default 4000), BENCH_RUNS (default 3), BENCH_TOOLS (default fleuron,eleventy,hugo), ELEVENTY_BIN (default: an Eleventy 3 installed
 * under /tmp/fleuron-bench-eleventy by `npm install @11ty/eleventy@3`, done here when missing), HUGO_BIN (default: hugo on PATH).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, cp, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { corpusFiles, writeCorpus } from './corpus.mjs';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const PAGES = Number(process.env.BENCH_PAGES ?? 4000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SELECTED = (process.env.BENCH_TOOLS ?? 'fleuron,eleventy,hugo').split(',');
const SHM = '/dev/shm';
const root = path.join(SHM, `fleuron-bench-${process.pid}`);
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

function findEleventy() {
  if (process.env.ELEVENTY_BIN) return process.env.ELEVENTY_BIN;
  const dir = process.env.ELEVENTY_DIR ?? '/tmp/fleuron-bench-eleventy';
  const bin = path.join(dir, 'node_modules/.bin/eleventy');
  if (!existsSync(bin)) {
    console.log(`installing Eleventy 3 in ${dir} (outside the repository)…`);
    const install = spawnSync('sh', ['-c', `mkdir -p ${dir} && cd ${dir} && (test -f package.json || npm init -y >/dev/null) && npm install --no-audit --no-fund @11ty/eleventy@3 >/dev/null`], { stdio: 'inherit' });
    if (install.status !== 0) return undefined;
  }
  return existsSync(bin) ? bin : undefined;
}

function findHugo() {
  const bin = process.env.HUGO_BIN ?? 'hugo';
  return spawnSync(bin, ['version']).status === 0 ? bin : undefined;
}

/** Runs a command, returning wall-clock and CPU (user + system, children included) seconds, and its peak RSS (MB). */
function timed(command, args, cwd) {
  const started = performance.now();
  const result = TIME
    ? spawnSync(TIME, ['-f', 'CPU %U %S %M', command, ...args], { cwd, encoding: 'utf8' })
    : spawnSync(command, args, { cwd, encoding: 'utf8' });
  const wall = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stderr}\n${result.stdout}`);
  const cpuLine = /CPU ([\d.]+) ([\d.]+) (\d+)\s*$/.exec(result.stderr ?? '');
  return { wall, cpu: cpuLine ? Number(cpuLine[1]) + Number(cpuLine[2]) : NaN, rssMb: cpuLine ? Number(cpuLine[3]) / 1024 : NaN };
}

/** The middle value; for an even count, the mean of the two middle ones (with BENCH_RUNS=2 it was the slower run). */
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** Each tool gets its own copy of the corpus, laid out the way it expects, and a command line. */
const TOOLS = {
  fleuron: {
    async prepare(dir, files) {
      await writeCorpus(path.join(dir, 'src'), files);
    },
    contentDir: (dir) => path.join(dir, 'src'),
    // The cache lives in the working directory (.fleuron/build-cache), as for a user.
    clean: async (dir) => Promise.all([rm(path.join(dir, 'out'), { recursive: true, force: true }), rm(path.join(dir, '.fleuron'), { recursive: true, force: true })]),
    command: (dir) => ['node', [path.join(repo, 'bin/fleuron.js'), 'build', 'src', '--out', 'out', '--broken-links', 'warn']],
  },
  eleventy: {
    async prepare(dir, files) {
      await writeCorpus(path.join(dir, 'content'), files);
      await mkdir(path.join(dir, 'content/_includes'), { recursive: true });
      await writeFile(path.join(dir, 'content/_includes/page.liquid'),
        '<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8"><title>{{ title }}</title><link rel="stylesheet" href="/theme.css"></head>\n<body><main><h1>{{ title }}</h1>\n{{ content }}</main></body>\n</html>\n');
      await writeFile(path.join(dir, 'content/content.11tydata.json'), JSON.stringify({ layout: 'page.liquid' }));
      await writeFile(path.join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }));
    },
    contentDir: (dir) => path.join(dir, 'content'),
    clean: async (dir) => rm(path.join(dir, 'out'), { recursive: true, force: true }),
    command: (dir, bin) => [bin, ['--quiet', '--input=content', '--output=out']],
  },
  hugo: {
    async prepare(dir, files) {
      await writeCorpus(path.join(dir, 'content'), files);
      // Hugo reads a folder's index.md as a leaf bundle (its sibling pages would vanish): it wants _index.md.
      for (const entry of await readdir(path.join(dir, 'content'), { recursive: true })) {
        if (path.basename(entry) === 'index.md') await rename(path.join(dir, 'content', entry), path.join(dir, 'content', path.dirname(entry), '_index.md'));
      }
      await writeFile(path.join(dir, 'hugo.toml'), 'baseURL = "https://example.org/"\nlanguageCode = "en"\ntitle = "Bench"\ndisableKinds = ["taxonomy", "term", "RSS"]\n[markup.goldmark.renderer]\nunsafe = false\n');
      await mkdir(path.join(dir, 'layouts/_default'), { recursive: true });
      await writeFile(path.join(dir, 'layouts/_default/baseof.html'),
        '<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8"><title>{{ .Title }}</title><link rel="stylesheet" href="/theme.css"></head>\n<body><main>{{ block "main" . }}{{ end }}</main></body>\n</html>\n');
      await writeFile(path.join(dir, 'layouts/_default/single.html'), '{{ define "main" }}<h1>{{ .Title }}</h1>\n{{ .Content }}{{ end }}\n');
      await writeFile(path.join(dir, 'layouts/_default/list.html'), '{{ define "main" }}<h1>{{ .Title }}</h1>\n{{ .Content }}<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n');
    },
    contentDir: (dir) => path.join(dir, 'content'),
    clean: async (dir) => Promise.all([rm(path.join(dir, 'out'), { recursive: true, force: true }), rm(path.join(dir, 'resources'), { recursive: true, force: true })]),
    command: (dir, bin) => [bin, ['--quiet', '--destination', 'out']],
  },
};

/** The one file each rebuild edits (a different one each run, appending a sentence to its body). */
function editedFile(corpus, run) {
  return corpus === 'simple' ? `page-${100 + run}.md` : `section-3/sub-2/page-${1 + run}.md`;
}

async function main() {
  const eleventy = SELECTED.includes('eleventy') ? findEleventy() : undefined;
  const hugo = SELECTED.includes('hugo') ? findHugo() : undefined;
  console.log('build benchmark — on tmpfs (/dev/shm), like a RAM disk: it measures CPU work, not the disk');
  console.log(`node ${process.version}, ${os.cpus().length} CPU(s) (${os.cpus()[0]?.model ?? '?'}), ${PAGES} pages per corpus, median of ${RUNS} runs`);
  const absent = (tool) => (SELECTED.includes(tool) ? 'not installed' : 'not selected');
  console.log(`tools: fleuron (this repository, dist/)${eleventy ? `, Eleventy ${execFileSync(eleventy, ['--version']).toString().trim()}` : `, Eleventy: ${absent('eleventy')}`}${hugo ? `, Hugo ${execFileSync(hugo, ['version']).toString().split(' ')[1]}` : `, Hugo: ${absent('hugo')}`}`);
  console.log(`load average at start: ${os.loadavg().map((value) => value.toFixed(2)).join(' ')}`);
  await rm(root, { recursive: true, force: true });
  const rows = [];
  try {
    for (const corpus of ['simple', 'rich']) {
      const files = corpusFiles(corpus, PAGES);
      for (const [tool, spec] of Object.entries(TOOLS)) {
        const bin = tool === 'eleventy' ? eleventy : tool === 'hugo' ? hugo : 'node';
        if (!bin || !SELECTED.includes(tool)) continue;
        const dir = path.join(root, corpus, tool);
        await spec.prepare(dir, files);
        const [command, args] = spec.command(dir, bin);
        const cold = [];
        for (let run = 0; run < RUNS; run++) {
          await spec.clean(dir);
          cold.push(timed(command, args, dir));
        }
        const rebuild = [];
        for (let run = 0; run < RUNS; run++) {
          await appendFile(path.join(spec.contentDir(dir), editedFile(corpus, run)), `\nEdited for rebuild ${run}.\n`);
          rebuild.push(timed(command, args, dir));
        }
        const row = {
          corpus,
          tool,
          coldWall: median(cold.map((time) => time.wall)),
          coldCpu: median(cold.map((time) => time.cpu)),
          rebuildWall: median(rebuild.map((time) => time.wall)),
          rebuildCpu: median(rebuild.map((time) => time.cpu)),
          coldPeakRssMb: Math.max(...cold.map((time) => time.rssMb)),
        };
        rows.push(row);
        console.log(`  ${corpus.padEnd(6)} ${tool.padEnd(8)} cold ${row.coldWall.toFixed(2)} s (cpu ${row.coldCpu.toFixed(2)} s), one-file rebuild ${row.rebuildWall.toFixed(2)} s (cpu ${row.rebuildCpu.toFixed(2)} s), cold peak RSS ${row.coldPeakRssMb.toFixed(0)} MB`);
      }
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  console.log(`load average at end: ${os.loadavg().map((value) => value.toFixed(2)).join(' ')}\n`);
  console.log('| corpus | tool | cold build (s) | cold CPU (s) | cold peak RSS (MB) | one-file rebuild (s) | rebuild CPU (s) | rebuild / cold |');
  console.log('| ------ | ---- | -------------: | -----------: | -----------------: | -------------------: | --------------: | -------------: |');
  for (const row of rows) {
    console.log(`| ${row.corpus} | ${row.tool} | ${row.coldWall.toFixed(2)} | ${row.coldCpu.toFixed(2)} | ${row.coldPeakRssMb.toFixed(0)} | ${row.rebuildWall.toFixed(2)} | ${row.rebuildCpu.toFixed(2)} | ${((100 * row.rebuildWall) / row.coldWall).toFixed(0)} % |`);
  }
  const results = path.join(repo, 'bench/results');
  await mkdir(results, { recursive: true });
  const file = path.join(results, `build-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  await writeFile(file, JSON.stringify({ pages: PAGES, runs: RUNS, node: process.version, cpus: os.cpus().length, filesystem: 'tmpfs (/dev/shm)', rows }, null, 2));
  console.log(`\nresults saved to ${path.relative(process.cwd(), file)}`);
}

await main();
