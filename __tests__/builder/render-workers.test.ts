/**
 * Worker threads only exist for the compiled builder (dist/, made by `npm test`'s pretest): a child process builds
 * the same site with workers and in one thread, and both outputs must be byte-identical.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { defaultThreads, MAX_CPU_PRESSURE } from '../../lib/builder/render/render-pool.js';
import { readTree, tempDir, writeSite } from './support/temp-site.js';

const run = promisify(execFile);

it('renders the same bytes with worker threads as in one thread', async () => {
  const pages: Record<string, string> = { 'fleuron.yaml': 'title: Workers\nbaseUrl: https://ex.org/\n', 'index.md': '# Home' };
  for (let index = 0; index < 260; index++) {
    const folder = `part-${index % 4}`;
    const next = `page-${(index + 4) % 260}.md`;
    pages[`${folder}/page-${index}.md`] = `---\ntitle: Page ${index}\n${index % 10 === 0 ? 'date: 2024-01-01\n' : ''}---\n## Section\n\nSee [next](../part-${(index + 4) % 4}/${next}#section).\n`;
  }
  const src = await writeSite(pages);
  const root = await tempDir();
  const script = `
    const { buildSite } = await import(${JSON.stringify(path.resolve('dist/builder/index.js'))});
    const { BUILD_SRC: src, BUILD_ROOT: root } = process.env;
    const threaded = await buildSite({ sourceDir: src, outDir: root + '/threads', cacheDir: root + '/cache-threads', threads: 2 });
    const single = await buildSite({ sourceDir: src, outDir: root + '/single', cacheDir: root + '/cache-single', threads: 0 });
    console.log(JSON.stringify({ threaded: [threaded.rendered, threaded.workers], single: [single.rendered, single.workers] }));`;
  const { stdout } = await run('node', ['--input-type=module', '-e', script], { env: { ...process.env, BUILD_SRC: src, BUILD_ROOT: root } });
  // 260 pages, the home page, 4 folder indexes, 404, and page 2 of each folder's 65-entry listing.
  expect(JSON.parse(stdout)).toEqual({ threaded: [270, 2], single: [270, 0] });
  expect(await readTree(path.join(root, 'threads'))).toEqual(await readTree(path.join(root, 'single')));
});

/** 260 pages in four folders, each linking to another page's section. */
function manyPages(extra: Record<string, string> = {}): Record<string, string> {
  const pages: Record<string, string> = { 'fleuron.yaml': 'title: Workers\nbaseUrl: https://ex.org/\n', 'index.md': '# Home', ...extra };
  for (let index = 0; index < 260; index++) {
    pages[`part-${index % 4}/page-${index}.md`] = `---\ntitle: Page ${index}\n---\n## Section\n\n| a | b |\n| - | - |\n| ${index} | x |\n\nSee [next](../part-${(index + 4) % 4}/page-${(index + 4) % 260}.md#section).\n`;
  }
  return pages;
}

it('renders the same bytes in this thread with one worker beside it as in one thread', async () => {
  const src = await writeSite(manyPages());
  const root = await tempDir();
  const script = `
    const { buildSite } = await import(${JSON.stringify(path.resolve('dist/builder/index.js'))});
    const { BUILD_SRC: src, BUILD_ROOT: root } = process.env;
    const beside = await buildSite({ sourceDir: src, outDir: root + '/beside', cacheDir: root + '/cache-beside', threads: 1 });
    const single = await buildSite({ sourceDir: src, outDir: root + '/single', cacheDir: root + '/cache-single', threads: 0 });
    console.log(JSON.stringify({ beside: beside.workers, single: single.workers }));`;
  const { stdout } = await run('node', ['--input-type=module', '-e', script], { env: { ...process.env, BUILD_SRC: src, BUILD_ROOT: root } });
  expect(JSON.parse(stdout)).toEqual({ beside: 1, single: 0 });
  expect(await readTree(path.join(root, 'beside'))).toEqual(await readTree(path.join(root, 'single')));
});

it('takes a worker beside this thread on 2 cores unless other work keeps them busy, a pool from 3 cores', () => {
  expect(defaultThreads(2, null)).toBe(1);
  expect(defaultThreads(2, 0.4)).toBe(1);
  expect(defaultThreads(2, MAX_CPU_PRESSURE + 1)).toBe(0);
  expect(defaultThreads(1, 0)).toBe(0);
  expect(defaultThreads(4, 50)).toBe(3);
});

it.each([0, 130, 259])('stops the build with the one-line error of page %i, whichever thread renders it', async (failing) => {
  const pages = manyPages();
  pages[`part-${failing % 4}/page-${failing}.md`] = `---\ntitle: Deep\n---\n${'>'.repeat(40)} too deep\n`;
  const src = await writeSite(pages);
  const root = await tempDir();
  const script = `
    const { buildSite } = await import(${JSON.stringify(path.resolve('dist/builder/index.js'))});
    const { BUILD_SRC: src, BUILD_ROOT: root } = process.env;
    const failure = await buildSite({ sourceDir: src, outDir: root + '/out', cacheDir: root + '/cache', threads: 1 }).then(() => undefined, (error) => error);
    console.log(JSON.stringify({ code: failure?.code, message: failure?.message }));`;
  const { stdout } = await run('node', ['--input-type=module', '-e', script], { env: { ...process.env, BUILD_SRC: src, BUILD_ROOT: root } });
  const { code, message } = JSON.parse(stdout) as { code?: string; message?: string };
  expect(code).toBe('markdown-too-complex');
  expect(message).toContain(`part-${failing % 4}/page-${failing}.md:4:`);
});
