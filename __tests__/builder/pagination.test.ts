/**
 * Listings longer than `pagination.pageSize` are split over stable pages (`notes/page/2.html` …) linked both ways,
 * listed in the sitemap, each within the page budget; and rebuilds re-render only the pages whose inputs changed.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildSite, type BuildOptions } from '../../lib/builder/index.js';
import { readTree, tempDir, writeSite } from './support/temp-site.js';

const pad = (n: number) => String(n).padStart(3, '0');

/** `count` pages in notes/, titled "Note 001" …, each a short paragraph with a description. */
function notes(count: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let n = 1; n <= count; n++) {
    files[`notes/note-${pad(n)}.md`] = `---\ntitle: Note ${pad(n)}\ndescription: What note ${n} is about, in a sentence of a listing.\n---\nBody of note ${n}.\n`;
  }
  return files;
}

async function build(files: Record<string, string>) {
  const src = await writeSite(files);
  const root = await tempDir();
  const options: BuildOptions = { sourceDir: src, outDir: path.join(root, 'out'), cacheDir: path.join(root, 'cache') };
  const result = await buildSite(options);
  return { src, options, result, read: (file: string) => readFile(path.join(options.outDir, file), 'utf8') };
}

const listed = (html: string) => [...html.matchAll(/<li><a href="[^"]*">(Note \d+)<\/a>/g)].map((match) => match[1]);

describe('paginated listings', () => {
  it('split a long folder listing into linked pages, each in the sitemap and within the budget', async () => {
    const { result, read } = await build({
      'fleuron.yaml': 'title: Essai\nbaseUrl: https://ex.org/\npagination: { pageSize: 50 }\n',
      'index.md': '---\ntitle: Accueil\n---\nBienvenue.',
      ...notes(120),
    });
    const first = await read('notes/index.html');
    const second = await read('notes/page/2.html');
    const third = await read('notes/page/3.html');
    expect(listed(first)).toEqual(Array.from({ length: 50 }, (_, i) => `Note ${pad(i + 1)}`));
    expect(listed(second)).toEqual(Array.from({ length: 50 }, (_, i) => `Note ${pad(i + 51)}`));
    expect(listed(third)).toEqual(Array.from({ length: 20 }, (_, i) => `Note ${pad(i + 101)}`));
    // Linked both ways, relative to each page (works from file:// too).
    expect(first).toContain('href="page/2.html" rel="next"');
    expect(first).not.toContain('rel="prev"');
    expect(second).toContain('href="../index.html" rel="prev"');
    expect(second).toContain('href="3.html" rel="next"');
    expect(third).toContain('href="2.html" rel="prev"');
    expect(third).not.toContain('rel="next"');
    // Notes in the listing pages link to the notes themselves.
    expect(third).toContain('href="../note-101.html"');
    const sitemap = await read('sitemap.xml');
    expect(sitemap).toContain('<loc>https://ex.org/notes/page/2.html</loc>');
    expect(sitemap).toContain('<loc>https://ex.org/notes/page/3.html</loc>');
    expect(result.sizes.overBudget).toEqual([]);
    expect(result.warnings).toEqual([]);
    // Listing pages are neither listed as pages of the folder nor given folder indexes of their own.
    expect(listed(first)).not.toContain('2');
    await expect(read('notes/page/index.html')).rejects.toThrow();
  });

  it('keep a flat site of a thousand pages within the budget (the default page size)', async () => {
    const files: Record<string, string> = { 'fleuron.yaml': 'title: Flat\n' };
    for (let n = 0; n < 1000; n++) files[`page-${n}.md`] = `---\ntitle: A page title of five words ${n}\n---\nText.\n`;
    const { result, read } = await build(files);
    expect(result.sizes.overBudget).toEqual([]);
    expect(result.warnings).toEqual([]);
    const listing = (html: string) => /<ul class="listing">([\s\S]*?)<\/ul>/.exec(html)![1]!.match(/<li>/g);
    expect(listing(await read('index.html'))).toHaveLength(50);
    expect(listing(await read('page/20.html'))).toHaveLength(50);
    expect(await read('page/20.html')).toContain('rel="prev"');
    await expect(read('page/21.html')).rejects.toThrow();
  });

  it('leave a home page that shows the latest posts whole, and short listings on one page', async () => {
    const { read } = await build({ 'index.md': '---\ntitle: Accueil\n---\nBienvenue.', ...notes(120), 'short/a.md': 'A', 'short/b.md': 'B' });
    expect(await read('index.html')).not.toContain('class="pagination"');
    await expect(read('page/2.html')).rejects.toThrow();
    expect(await read('short/index.html')).not.toContain('class="pagination"');
  });

  it('refuse a source file where a listing page goes, naming it', async () => {
    await expect(build({ 'fleuron.yaml': 'title: T\npagination: { pageSize: 10 }\n', ...notes(25), 'notes/page/2.md': 'mine' })).rejects.toThrow(
      /notes\/page\/2\.html is a file of the site and also page 2 of the listing of notes\/index\.html/,
    );
  });
});

describe('rebuilds after an edit', () => {
  it('re-render only the pages that show a changed title, and match a cold build', async () => {
    const { src, options } = await build({ 'fleuron.yaml': 'title: T\npagination: { pageSize: 50 }\n', 'index.md': '---\ntitle: Accueil\n---\nHi.', ...notes(120) });
    await writeFile(path.join(src, 'notes/note-075.md'), '---\ntitle: Note 075 renamed\ndescription: What note 75 is about, in a sentence of a listing.\n---\nBody of note 75.\n');
    const rebuilt = await buildSite(options);
    // The note itself and the listing page that shows its title: not the 119 other notes.
    expect(rebuilt.rendered).toBe(2);
    const coldRoot = await tempDir();
    const cold = await buildSite({ sourceDir: src, outDir: path.join(coldRoot, 'out'), cacheDir: path.join(coldRoot, 'cache') });
    expect(await readTree(options.outDir)).toEqual(await readTree(cold.outDir));
  });

  it('re-render only the pages whose layout changed', async () => {
    const layout = (text: string) => `{% layout "base" %}{%- block main %}<article><h1>{{ page.title }}</h1><p>${text}</p>{{ page.content | raw }}</article>{%- endblock %}`;
    const { src, options } = await build({ '_layouts/special.liquid': layout('one'), 'a.md': '---\ntitle: A\nlayout: special\n---\nA', 'b.md': 'B', 'c.md': 'C' });
    await writeFile(path.join(src, '_layouts/special.liquid'), layout('two'));
    const rebuilt = await buildSite(options);
    expect(rebuilt.rendered).toBe(1);
    expect(await readFile(path.join(options.outDir, 'a.html'), 'utf8')).toContain('<p>two</p>');
    // A template every page uses (the theme's base, overridden) re-renders them all.
    await writeFile(path.join(src, '_layouts/base.liquid'), '<!doctype html><title>{{ page.title }}</title>{% block main %}{% endblock %}');
    const all = await buildSite(options);
    expect(all.rendered).toBe(all.pages);
  });
});
