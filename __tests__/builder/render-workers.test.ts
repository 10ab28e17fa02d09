/**
 * Worker threads only exist for the compiled builder (dist/, made by `npm test`'s pretest): a child process builds
 * the same site with workers and in one thread, and both outputs must be byte-identical.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
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
    const single = await buildSite({ sourceDir: src, outDir: root + '/single', cacheDir: root + '/cache-single', threads: 1 });
    console.log(JSON.stringify({ threaded: [threaded.rendered, threaded.workers], single: [single.rendered, single.workers] }));`;
  const { stdout } = await run('node', ['--input-type=module', '-e', script], { env: { ...process.env, BUILD_SRC: src, BUILD_ROOT: root } });
  // 260 pages, the home page, 4 folder indexes, 404, and page 2 of each folder's 65-entry listing.
  expect(JSON.parse(stdout)).toEqual({ threaded: [270, 2], single: [270, 0] });
  expect(await readTree(path.join(root, 'threads'))).toEqual(await readTree(path.join(root, 'single')));
});
