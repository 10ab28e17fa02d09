/**
 * Deterministic generator of a site-like folder for the publish benchmark: mostly small HTML pages
 * in nested folders, CSS/JS/SVG/PNG/JPG/WOFF2 assets and a few large files above the 16 MiB
 * multipart threshold. Same seed → same bytes, file names and mutations.
 *
 *   node bench/publish/generate.mjs DIR [--files 10000] [--seed 1] [--large 20,30,40]
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync, appendFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** mulberry32: small, fast, deterministic. Returns floats in [0, 1). */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const int = (rand, lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
const pick = (rand, list) => list[Math.floor(rand() * list.length)];

/** Pseudo-random bytes (xorshift32 over 32-bit words), fast enough for tens of MB. */
export function randomBytes(seed, size) {
  const buf = Buffer.allocUnsafe(Math.ceil(size / 4) * 4);
  const words = new Uint32Array(buf.buffer, buf.byteOffset, buf.length / 4);
  let x = (seed >>> 0) || 0x9e3779b9;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    words[i] = x;
  }
  return buf.subarray(0, size);
}

const WORDS = (
  'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua ' +
  'garage bucket static site publish fleuron page folder asset header cache control immutable markdown theme layout feed ' +
  'river mountain letter paper press type ornament printer glyph serif margin column chapter section index archive note'
).split(' ');

function sentence(rand, n) {
  const words = [];
  for (let i = 0; i < n; i++) words.push(pick(rand, WORDS));
  const text = words.join(' ');
  return text[0].toUpperCase() + text.slice(1) + '.';
}

function htmlPage(rand, title, targetSize, assets) {
  let body = '';
  while (body.length < targetSize - 600) {
    body += `<h2>${sentence(rand, int(rand, 2, 5))}</h2>\n<p>${sentence(rand, int(rand, 20, 60))} ${sentence(rand, int(rand, 10, 40))}</p>\n`;
  }
  return (
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${title}</title>\n` +
    `<link rel="stylesheet" href="/${assets.css}"><script type="module" src="/${assets.js}"></script></head>\n` +
    `<body><header><a href="/">Home</a> <img src="/${assets.svg}" alt=""></header><main><h1>${title}</h1>\n${body}</main>` +
    `<footer>Generated for the fleuron publish benchmark.</footer></body></html>\n`
  );
}

function hash8(text) {
  return createHash('sha1').update(text).digest('hex').slice(0, 8);
}

/**
 * Writes the folder (removed first) and returns the list of files: { key, size, large }.
 * Counts: about 10% assets, 3 large files, the rest HTML.
 */
export function generateSite(dir, { files = 10_000, seed = 1, largeMb = [20, 30, 40] } = {}) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const rand = prng(seed);
  const list = [];
  const made = new Set();
  const write = (key, body, large = false) => {
    if (made.has(key)) return false;
    made.add(key);
    const file = path.join(dir, key);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, body);
    list.push({ key, size: body.length, large });
    return true;
  };

  // Large files (videos, archives): above the 16 MiB multipart threshold.
  largeMb.forEach((mb, i) => write(`media/video-${i + 1}.mp4`, randomBytes(seed * 1000 + i, mb * 1024 * 1024 + i * 12345), true));

  const assetCount = Math.round(files * 0.1);
  const kinds = [
    ['css', 0.12],
    ['js', 0.12],
    ['svg', 0.2],
    ['png', 0.36],
    ['jpg', 0.15],
    ['woff2', 0.05],
  ];
  const shared = {};
  for (const [ext, share] of kinds) {
    const n = Math.max(1, Math.round(assetCount * share));
    for (let i = 0; i < n; i++) {
      let body;
      if (ext === 'css') body = Buffer.from(Array.from({ length: int(rand, 20, 200) }, (_, j) => `.c${i}-${j} { margin: ${j}px; color: #${hash8(`${i}${j}`).slice(0, 6)}; }\n`).join(''));
      else if (ext === 'js') body = Buffer.from(Array.from({ length: int(rand, 20, 200) }, (_, j) => `export function f${i}_${j}(x) { return x * ${j} + ${int(rand, 0, 999)}; }\n`).join(''));
      else if (ext === 'svg') body = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">${Array.from({ length: int(rand, 5, 60) }, () => `<circle cx="${int(rand, 0, 100)}" cy="${int(rand, 0, 100)}" r="${int(rand, 1, 20)}" fill="#${hash8(String(rand())).slice(0, 6)}"/>`).join('')}</svg>\n`);
      else {
        const magic = { png: Buffer.from('89504e470d0a1a0a', 'hex'), jpg: Buffer.from('ffd8ffe000104a464946', 'hex'), woff2: Buffer.from('wOF2') }[ext];
        const size = ext === 'woff2' ? int(rand, 15_000, 60_000) : int(rand, 2_000, ext === 'png' ? 120_000 : 250_000);
        body = Buffer.concat([magic, randomBytes(Math.floor(rand() * 2 ** 32), size)]);
      }
      const folder = ext === 'png' || ext === 'jpg' ? `images/${i % 20}` : `assets/${ext}`;
      const key = `${folder}/${ext}-${i}.${hash8(body)}.${ext}`;
      write(key, body);
      if (!shared[ext] && ext !== 'woff2') shared[ext] = key;
    }
  }
  const assets = { css: shared.css, js: shared.js, svg: shared.svg };

  write('index.html', Buffer.from(htmlPage(rand, 'Home', 4000, assets)));
  write('404.html', Buffer.from(htmlPage(rand, 'Not found', 1500, assets)));
  const sections = ['docs', 'blog', 'notes', 'guides', 'reference', 'archive'];
  let n = 0;
  while (list.length < files) {
    const section = pick(rand, sections);
    let key;
    if (section === 'blog' || section === 'archive') {
      key = `${section}/${2010 + int(rand, 0, 15)}/${String(int(rand, 1, 12)).padStart(2, '0')}/post-${n}/index.html`;
    } else {
      key = `${section}/part-${int(rand, 0, 19)}/chapter-${int(rand, 0, 9)}/page-${n}.html`;
    }
    n++;
    write(key, Buffer.from(htmlPage(rand, `Page ${n}`, int(rand, 1500, 9000), assets)));
  }
  return list;
}

/** Chooses `count` distinct small (non-large) files, deterministically, avoiding `exclude`. */
export function chooseFiles(list, count, seed, exclude = new Set()) {
  // Plain paths (walk()'s) have no key: every pick would look taken after the first, and the loop below never end.
  if (list.some((file) => typeof file?.key !== 'string')) throw new TypeError('chooseFiles takes file records ({ key, … }, as generateSite returns), not paths');
  const rand = prng(seed);
  const candidates = list.filter((file) => !file.large && !exclude.has(file.key)).sort((a, b) => (a.key < b.key ? -1 : 1));
  const chosen = [];
  const taken = new Set();
  while (chosen.length < count && taken.size < candidates.length) {
    const file = candidates[Math.floor(rand() * candidates.length)];
    if (taken.has(file.key)) continue;
    taken.add(file.key);
    chosen.push(file);
  }
  return chosen;
}

/** Changes the content of the given files (bytes appended). */
export function changeFiles(dir, changed, seed) {
  for (const file of changed) {
    const extra = file.key.endsWith('.html') ? Buffer.from(`<!-- changed by the benchmark, seed ${seed} -->\n`) : randomBytes(seed + file.size, 64);
    appendFileSync(path.join(dir, file.key), extra);
  }
}

/** Changes the content of the given files (bytes appended) and sets every file's mtime to `when`. */
export function changeAndTouch(dir, changed, seed, when = new Date()) {
  changeFiles(dir, changed, seed);
  let touched = 0;
  for (const file of walk(dir)) {
    utimesSync(path.join(dir, file), when, when);
    touched++;
  }
  return touched;
}

/** Every file under dir, as `/`-separated relative keys. */
export function walk(dir, base = '') {
  const out = [];
  for (const entry of readdirSync(path.join(dir, base), { withFileTypes: true })) {
    const rel = base ? `${base}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...walk(dir, rel));
    else if (entry.isFile()) out.push(rel);
  }
  return out;
}

export function deleteFiles(dir, files) {
  for (const file of files) rmSync(path.join(dir, file.key));
}

export function folderSize(dir) {
  let bytes = 0;
  const keys = walk(dir);
  for (const key of keys) bytes += statSync(path.join(dir, key)).size;
  return { files: keys.length, bytes };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const dir = args.find((a) => !a.startsWith('--'));
  if (!dir) {
    console.error('usage: node bench/publish/generate.mjs DIR [--files N] [--seed N]');
    process.exit(2);
  }
  const opt = (name, fallback) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? Number(args[i + 1]) : fallback;
  };
  const started = process.hrtime.bigint();
  const list = generateSite(dir, { files: opt('files', 10_000), seed: opt('seed', 1) });
  const bytes = list.reduce((s, f) => s + f.size, 0);
  console.log(`${list.length} files, ${(bytes / 1e6).toFixed(1)} MB in ${dir} (${Number(process.hrtime.bigint() - started) / 1e6} ms)`);
}
