/**
 * `npm run bench:preview`: how long a writer waits between saving a page and seeing it in `fleuron preview`
 * (issue 13). Runs the real command as a child process on the 4,000-page "simple" corpus of bench:build (on
 * tmpfs), then measures edit → visible: the time from the file written to the first HTTP response of the
 * preview that contains the change (polled every 2 ms over one keep-alive connection).
 *
 *   npm run bench:preview                    (builds first)
 *   node bench/preview/bench.mjs [--pages 4000] [--edits 15] [--keep]
 *
 * Scenarios: a body edit of one page (the page itself must show it); a title change (the root listing must
 * show the new title, so nav and listings moved); a layout change (the log says how many pages were rendered).
 */
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { corpusFiles, writeCorpus } from '../build/corpus.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
};
const PAGES = Number(option('pages', 4000));
const EDITS = Number(option('edits', 15));
const POLL_MS = 2;
// Extra node options for the preview process, e.g. BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it.
const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
/** One GET; a keep-alive socket the server closed meanwhile is retried once on a new one. */
async function get(url) {
  try {
    return await getOnce(url);
  } catch (error) {
    if (error.code !== 'ECONNRESET') throw error;
    return getOnce(url);
  }
}

function getOnce(url) {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode, body }));
      })
      .on('error', reject);
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Writes `edit()`, then polls `url` until its body contains `marker`; resolves to the milliseconds in between. */
async function editToVisible(edit, url, marker, timeoutMs = 20_000) {
  const started = performance.now();
  edit();
  for (;;) {
    const { body } = await get(url);
    if (body.includes(marker)) return performance.now() - started;
    if (performance.now() - started > timeoutMs) throw new Error(`${marker} not visible at ${url} after ${timeoutMs} ms`);
    await sleep(POLL_MS);
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const summary = (values) => `median ${median(values).toFixed(0)} ms (min ${Math.min(...values).toFixed(0)}, max ${Math.max(...values).toFixed(0)}, n=${values.length})`;

async function main() {
  const root = mkdtempSync(path.join(os.platform() === 'linux' ? '/dev/shm' : os.tmpdir(), 'fleuron-bench-preview-'));
  const src = path.join(root, 'src');
  await writeCorpus(src, corpusFiles('simple', PAGES));
  mkdirSync(path.join(src, '_layouts'), { recursive: true });
  console.log(`node ${process.version}, ${os.cpus().length} CPU(s), ${PAGES} pages on ${root}`);

  const log = [];
  const child = spawn(process.execPath, [...nodeArgs, path.join(repo, 'bin/fleuron.js'), 'preview', 'src', '--port', '0', '--no-reload'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr.setEncoding('utf8').on('data', (chunk) => log.push(...chunk.split('\n').filter(Boolean)));
  const started = performance.now();
  const url = await new Promise((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      const match = /preview: (\S+)/.exec(chunk);
      if (match) resolve(match[1]);
    });
    child.on('exit', (code) => reject(new Error(`preview exited ${code}: ${log.slice(-5).join(' | ')}`)));
  });
  console.log(`first build and server up in ${((performance.now() - started) / 1000).toFixed(2)} s: ${url}`);

  try {
    const results = {};
    // Body edits, a different page each time (as bench:build), appended as a new paragraph.
    const body = [];
    for (let run = 0; run < EDITS; run++) {
      const name = `page-${100 + run}`;
      const marker = `edit-marker-${run}-${Date.now()}`;
      body.push(await editToVisible(() => appendFileSync(path.join(src, `${name}.md`), `\n${marker}\n`), `${url}${name}.html`, marker));
      await sleep(150);
    }
    results.body = body;
    console.log(`body edit → visible: ${summary(body)}`);
    console.log(`  preview said: ${log.filter((line) => line.includes('rebuilt')).slice(-3).join(' | ')}`);

    // Title edits: the listing of the root folder (the automatic index) must show the new title.
    const title = [];
    for (let run = 0; run < Math.min(EDITS, 8); run++) {
      const file = path.join(src, `page-${200 + run}.md`);
      // Appended to the title, so the page keeps its place in the listing (sorted by title) and the same listing page shows it.
      const marker = `retitled-${run}-${Date.now()}`;
      const text = readFileSync(file, 'utf8').replace(/^title: (.*)$/m, `title: $1 ${marker}`);
      const listing = await findListing(url, `page-${200 + run}.html`);
      title.push(await editToVisible(() => writeFileSync(file, text), listing, marker));
      await sleep(150);
    }
    results.title = title;
    console.log(`title edit → visible in its listing: ${summary(title)}`);

    // A layout override used by one page only: how many pages does the rebuild render?
    const layoutFile = path.join(src, '_layouts', 'special.liquid');
    const page = path.join(src, 'page-300.md');
    const marker = `layout-marker-${Date.now()}`;
    const layout = (text) => `{% layout "base" %}{%- block main %}<article><h1>{{ page.title }}</h1><p>${text}</p>{{ page.content | raw }}</article>{%- endblock %}`;
    writeFileSync(layoutFile, layout('special'));
    writeFileSync(page, readFileSync(page, 'utf8').replace(/^title: /m, 'layout: special\ntitle: '));
    await sleep(1500);
    const before = log.length;
    const layoutMs = await editToVisible(
      () => writeFileSync(layoutFile, layout(marker)),
      `${url}page-300.html`,
      marker,
    );
    await sleep(300);
    results.layout = { ms: layoutMs, log: log.slice(before) };
    console.log(`layout edit → visible: ${layoutMs.toFixed(0)} ms; preview said: ${log.slice(before).join(' | ')}`);
    const outDir = path.join(repo, 'bench/results');
    mkdirSync(outDir, { recursive: true });
    const outFile = path.join(outDir, `preview-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(outFile, JSON.stringify({ node: process.version, pages: PAGES, ...results, previewLog: log.slice(-40) }, null, 2));
    console.log(`results: ${path.relative(process.cwd(), outFile)}`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    agent.destroy();
    if (!argv.includes('--keep')) rmSync(root, { recursive: true, force: true });
  }
}

/** The listing page (root index or one of its pages) that links to `href`. */
async function findListing(url, href) {
  for (let page = 1; page < 1000; page++) {
    const listing = page === 1 ? url : `${url}page/${page}.html`;
    const { status, body } = await get(listing);
    if (status !== 200) break;
    if (body.includes(`href="${href}"`) || body.includes(`href="./${href}"`) || body.includes(`href="../${href}"`)) return listing;
  }
  return url;
}

await main();
