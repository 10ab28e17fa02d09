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

it("gives the preview's kept worker a build's context only when it differs from the one it holds, and renders as a cold build", async () => {
  const src = await writeSite(manyPages());
  const root = await tempDir();
  const script = `
    const { appendFile, readFile, writeFile } = await import('node:fs/promises');
    const { buildSite, createRenderWorker, RebuildState } = await import(${JSON.stringify(path.resolve('dist/builder/index.js'))});
    const { BUILD_SRC: src, BUILD_ROOT: root } = process.env;
    const session = await createRenderWorker();
    const state = new RebuildState();
    const sent = [];
    const build = async (changed) => {
      const result = await buildSite({ sourceDir: src, outDir: root + '/preview', cacheDir: root + '/cache-preview', renderWorker: session, rebuild: { state, ...(changed ? { changed } : {}) } });
      sent.push([result.shortcut, result.rendered, session.contextsSent]);
    };
    await build();
    // A body edit: the site's context is the one the worker holds.
    await appendFile(src + '/part-1/page-1.md', '\\nA new paragraph.\\n');
    await build(['part-1/page-1.md']);
    // A title edit: the listing of part-1 and the page itself show it, from a context the worker does not hold.
    const file = src + '/part-1/page-5.md';
    await writeFile(file, (await readFile(file, 'utf8')).replace('title: Page 5', 'title: Page five'));
    await build(['part-1/page-5.md']);
    // Then a body edit again, with the new titles.
    await appendFile(src + '/part-2/page-2.md', '\\nAnother paragraph.\\n');
    await build(['part-2/page-2.md']);
    await session.close();
    await buildSite({ sourceDir: src, outDir: root + '/cold', cacheDir: root + '/cache-cold', threads: 0 });
    console.log(JSON.stringify(sent));`;
  const { stdout } = await run('node', ['--input-type=module', '-e', script], { env: { ...process.env, BUILD_SRC: src, BUILD_ROOT: root } });
  const builds = JSON.parse(stdout) as [boolean, number, number][];
  // A worker left with the context of before the title edit would show the old title in the page and its listing.
  expect(await readTree(path.join(root, 'preview'))).toEqual(await readTree(path.join(root, 'cold')));
  expect(builds.map(([shortcut]) => shortcut)).toEqual([false, true, true, true]);
  expect(builds[1]![1]).toBe(1);
  expect(builds.map(([, , sent]) => sent)).toEqual([1, 1, 2, 2]);
});
