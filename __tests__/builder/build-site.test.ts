import { readFile, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildSite, type BuildOptions } from '../../lib/builder/index.js';
import { loadPages } from '../../lib/builder/load/pages.js';
import { isLeftOut } from '../../lib/builder/load/sources.js';
import { makePathFilter } from '../../lib/ignore/ignore-list.js';
import { FleuronError } from '../../lib/errors/fleuron-error.js';
import { readTree, tempDir, writeSite } from './support/temp-site.js';

const CONFIG = 'title: Essai\nbaseUrl: https://ex.org/\nlanguage: fr\n';

async function build(sourceDir: string, options: Partial<BuildOptions> = {}) {
  const root = await tempDir();
  const outDir = options.outDir ?? path.join(root, 'out');
  const result = await buildSite({ sourceDir, outDir, cacheDir: path.join(root, 'cache'), ...options });
  return { result, outDir, root };
}

async function failure(promise: Promise<unknown>): Promise<FleuronError> {
  try {
    await promise;
  } catch (error) {
    return error as FleuronError;
  }
  throw new Error('expected the build to fail');
}

const text = async (file: string) => readFile(file, 'utf8');

describe('buildSite', () => {
  it('maps pages to .html, copies other files, and never copies the config or dotfiles', async () => {
    const src = await writeSite({
      'fleuron.yaml': CONFIG,
      'index.md': '---\ntitle: Accueil\n---\nBonjour',
      'docs/page.md': '---\ntitle: Page\n---\n[retour](../index.md)',
      'docs/image.png': Buffer.from([0x89, 0x50, 0x4e, 0x47]),
      '.env': 'SECRET=1',
      '.git/config': '[core]',
      'docs/.hidden.md': 'x',
      '_layouts/page.liquid': '{% layout "base" %}{% block main %}<div class="custom">{{ page.content | raw }}</div>{% endblock %}',
    });
    const { result, outDir } = await build(src);
    const tree = await readTree(outDir);
    expect([...tree.keys()]).toEqual([
      '.fleuron/aliases.json', '404.html', 'docs/image.png', 'docs/index.html', 'docs/page.html', 'index.html', 'sitemap.xml', expect.stringMatching(/^theme\.[0-9a-f]{8,}\.css$/),
    ]);
    expect(result.pages).toBe(4);
    expect(result.files).toBe(8);
    expect(tree.get('docs/page.html')!.toString()).toContain('<div class="custom"><p><a href="../index.html">retour</a></p></div>');
  });

  it('copies .well-known/ at the root as it is, files and dotfiles alike, as the publisher publishes it', async () => {
    const src = await writeSite({
      'index.md': 'x',
      '.well-known/security.txt': 'Contact: mailto:a@b.org\n',
      '.well-known/openpgpkey/hu/abc': Buffer.from([1, 2, 3]),
      '.well-known/.htaccess': 'x',
      '.well-known/notes.md': '# not a page',
      'docs/.well-known/security.txt': 'not at the root',
      '.hidden/a.txt': 'no',
    });
    const { outDir } = await build(src);
    const tree = await readTree(outDir);
    expect([...tree.keys()].filter((name) => name.startsWith('.well-known/')).sort()).toEqual([
      '.well-known/.htaccess', '.well-known/notes.md', '.well-known/openpgpkey/hu/abc', '.well-known/security.txt',
    ]);
    expect(tree.get('.well-known/notes.md')!.toString()).toBe('# not a page');
    expect([...tree.keys()].some((name) => name.startsWith('docs/') || name.startsWith('.hidden/'))).toBe(false);
  });

  it('never copies editor backups, autosaves or merge leftovers (a draft stays private), and warns once listing them', async () => {
    const draft = '---\ntitle: Plan\ndraft: true\n---\nLes mots privés';
    const src = await writeSite({
      'index.md': 'home',
      'plan.md': draft,
      'plan.md~': draft,
      '#plan.md#': draft,
      'plan.md.bak': draft,
      'plan.md.orig': draft,
      'plan.md.rej': draft,
      'plan.md.swp': draft,
      'notes/plan.md.swo': draft,
      'notes/.#plan.md': draft,
      'img/logo.png.tmp': 'x',
      '.well-known/security.txt~': 'old',
      'img/logo.png': 'png',
    });
    const lines: string[] = [];
    const { result, outDir } = await build(src, { log: (line) => lines.push(line) });
    const tree = await readTree(outDir);
    expect([...tree.keys()].filter((name) => !name.startsWith('.fleuron/'))).toEqual(['404.html', 'img/logo.png', 'index.html', expect.stringMatching(/^theme\.[0-9a-f]{8,}\.css$/)]);
    for (const body of tree.values()) expect(body.toString()).not.toContain('Les mots privés');
    const leftoverWarnings = result.warnings.filter((line) => line.includes('plan.md.bak'));
    expect(leftoverWarnings).toHaveLength(1);
    expect(leftoverWarnings[0]).toMatch(/^left out 9 editor backup/);
    for (const name of ['#plan.md#', 'plan.md.orig', 'plan.md~', 'notes/plan.md.swo', 'img/logo.png.tmp', '.well-known/security.txt~']) expect(leftoverWarnings[0]).toContain(name);
    expect(lines.filter((line) => line.startsWith('warning:') && line.includes('plan.md~'))).toHaveLength(1);
  });

  it('never copies a Markdown source as it is: every .md or .markdown outside .well-known/ is a page', async () => {
    const src = await writeSite({ 'index.md': 'home', 'a.markdown': 'A', 'B.MD': 'B', 'secret.md': '---\ndraft: true\n---\nsecret' });
    const { outDir } = await build(src);
    const names = [...(await readTree(outDir)).keys()];
    expect(names.filter((name) => /\.(md|markdown)$/i.test(name))).toEqual([]);
    expect(names).toEqual(expect.arrayContaining(['a.html', 'B.html', 'index.html']));
    expect(names).not.toContain('secret.html');
  });

  it('follows symlinks to files inside the folder, as the publisher does; refuses ones leading out, loops and dangling ones', async () => {
    const src = await writeSite({ 'index.md': 'home', 'docs/real.css': 'a{}', 'docs/page.md': '# Vraie page', 'shared/logo.svg': '<svg/>' });
    await symlink(path.join(src, 'docs/real.css'), path.join(src, 'alias.css'));
    await symlink('docs/page.md', path.join(src, 'lien.md'));
    await symlink(path.join(src, 'shared'), path.join(src, 'linked-folder'));
    const { result, outDir } = await build(src);
    const tree = await readTree(outDir);
    expect(tree.get('alias.css')?.toString()).toBe('a{}');
    expect(tree.get('lien.html')?.toString()).toContain('Vraie page');
    expect([...tree.keys()].some((name) => name.startsWith('linked-folder/'))).toBe(false);
    expect(result.warnings).toContain('linked-folder is a symlink to a folder; it is skipped (symlinked folders are not followed)');

    const outside = await writeSite({ 'index.md': 'home' });
    await symlink('/etc/hostname', path.join(outside, 'host.txt'));
    const outsideError = await failure(build(outside));
    expect([outsideError.code, outsideError.exitCode]).toEqual(['symlink-outside', 2]);
    expect(outsideError.message).toBe('host.txt is a symlink to /etc/hostname, outside the folder');

    const loop = await writeSite({ 'index.md': 'home' });
    await symlink('b.txt', path.join(loop, 'a.txt'));
    await symlink('a.txt', path.join(loop, 'b.txt'));
    expect((await failure(build(loop))).message).toMatch(/^a\.txt is a symlink loop$/);

    const dangling = await writeSite({ 'index.md': 'home' });
    await symlink('nowhere.png', path.join(dangling, 'image.png'));
    expect((await failure(build(dangling))).message).toBe('image.png is a symlink to a missing file');
  });

  it('leaves out exactly what the publisher leaves out: dotfiles, leftovers, dependencies, OS litter', () => {
    const publishable = makePathFilter();
    const paths = [
      '.well-known/security.txt', '.well-known/.htaccess', '.well-known/a/b.txt', '.env', '.git/config', '.hidden/a.txt', 'docs/.well-known/a.txt', 'docs/.hidden.md', 'a.txt', 'docs/b.md',
      'docs/b.md~', '#b.md#', 'docs/.#b.md', 'b.md.bak', 'b.md.orig', 'b.md.rej', 'b.md.swp', 'b.md.swo', 'b.tmp', '.well-known/security.txt~', 'a~b.txt', 'a#b#c.txt',
      'node_modules/x/index.js', 'docs/node_modules/a.css', 'Thumbs.db', 'img/desktop.ini',
    ];
    // As the scan walks: a file is built unless it, or a folder above it, is left out.
    const built = (relative: string) => {
      const parts = relative.split('/');
      return parts.every((_, index) => !isLeftOut(parts.slice(0, index + 1).join('/'), index < parts.length - 1));
    };
    expect(paths.filter(built)).toEqual(paths.filter(publishable));
  });

  it('builds byte-identical output twice, cold or from the cache', async () => {
    const src = await writeSite({
      'fleuron.yaml': CONFIG,
      'index.md': '# Hi',
      'blog/a.md': '---\ntitle: A\ndate: 2024-01-02\n---\nText [b](b.md#deux)',
      'blog/b.md': '---\ntitle: B\ndate: 2024-02-03\n---\n## Deux',
      'notes/Réunion 2.md': '---\ntitle: Réunion\naliases: [vieux.html]\n---\n| a |\n| - |\n| 1 |',
    });
    const first = await build(src);
    const second = await build(src);
    expect(await readTree(second.outDir)).toEqual(await readTree(first.outDir));
    const cacheDir = path.join(first.root, 'cache');
    const rebuilt = await buildSite({ sourceDir: src, outDir: first.outDir, cacheDir });
    expect(rebuilt.cached).toBe(rebuilt.pages);
    expect(rebuilt.written).toBe(0);
    expect(await readTree(rebuilt.outDir)).toEqual(await readTree(second.outDir));
    // The cache holds no HTML: into another folder, every page is rendered again, to the same bytes.
    const elsewhere = await buildSite({ sourceDir: src, outDir: path.join(first.root, 'again'), cacheDir });
    expect(elsewhere.rendered).toBe(elsewhere.pages);
    expect(await readTree(elsewhere.outDir)).toEqual(await readTree(second.outDir));
  });

  it('renders a page again when its output file was changed or deleted by hand', async () => {
    const src = await writeSite({ 'index.md': 'home', 'a.md': 'a', 'b.md': 'b' });
    const { outDir, root } = await build(src);
    const cacheDir = path.join(root, 'cache');
    const pristine = await readTree(outDir);
    await writeFile(path.join(outDir, 'a.html'), 'tampered');
    await rm(path.join(outDir, 'b.html'));
    const repaired = await buildSite({ sourceDir: src, outDir, cacheDir });
    expect(repaired.rendered).toBe(2);
    expect(await readTree(outDir)).toEqual(pristine);
  });

  it('re-renders only the edited page, and feed and sitemap only change for posts', async () => {
    const src = await writeSite({
      'fleuron.yaml': CONFIG,
      'index.md': 'home',
      'about.md': '---\ntitle: About\n---\nold text',
      'blog/post.md': '---\ntitle: Post\ndate: 2024-01-02\n---\nold post',
    });
    const { outDir, root } = await build(src);
    const cacheDir = path.join(root, 'cache');
    const before = await readTree(outDir);

    await writeFile(path.join(src, 'about.md'), '---\ntitle: About\n---\nnew text');
    const afterPage = await buildSite({ sourceDir: src, outDir, cacheDir });
    expect(afterPage.rendered).toBe(1);
    expect(afterPage.written).toBe(1);
    const tree = await readTree(outDir);
    expect([...tree].filter(([name, bytes]) => !before.get(name)?.equals(bytes)).map(([name]) => name)).toEqual(['about.html']);

    await writeFile(path.join(src, 'blog/post.md'), '---\ntitle: Post\ndate: 2024-01-02\n---\nnew post');
    const afterPost = await buildSite({ sourceDir: src, outDir, cacheDir });
    expect(afterPost.rendered).toBe(1);
    const treeAfterPost = await readTree(outDir);
    expect([...treeAfterPost].filter(([name, bytes]) => !tree.get(name)?.equals(bytes)).map(([name]) => name)).toEqual(['blog/post.html', 'feed.xml']);
  });

  it('never serves stale pages: titles of other pages, templates and config invalidate the cache', async () => {
    const src = await writeSite({ 'fleuron.yaml': CONFIG, 'index.md': 'home', 'a.md': '---\ntitle: Alpha\n---\na', 'b.md': '---\ntitle: Beta\n---\nb' });
    const { outDir, root } = await build(src);
    const cacheDir = path.join(root, 'cache');
    const freshBuild = async () => readTree((await build(src)).outDir);

    await writeFile(path.join(src, 'a.md'), '---\ntitle: Alpha renamed\n---\na');
    const renamed = await buildSite({ sourceDir: src, outDir, cacheDir });
    expect(renamed.cached).toBe(0);
    expect(await text(path.join(outDir, 'b.html'))).toContain('Alpha renamed');
    expect(await readTree(outDir)).toEqual(await freshBuild());

    await writeSite({ '_layouts/page.liquid': '{% layout "base" %}{% block main %}<p class="v2">{{ page.title }}</p>{% endblock %}' }, src);
    await buildSite({ sourceDir: src, outDir, cacheDir });
    expect(await text(path.join(outDir, 'b.html'))).toContain('<p class="v2">Beta</p>');
    expect(await readTree(outDir)).toEqual(await freshBuild());

    await writeFile(path.join(src, 'fleuron.yaml'), CONFIG.replace('Essai', 'Autre titre'));
    const reconfigured = await buildSite({ sourceDir: src, outDir, cacheDir });
    expect(reconfigured.cached).toBe(0);
    expect(await text(path.join(outDir, 'b.html'))).toContain('Autre titre');
  });

  it('writes aliases to .fleuron/aliases.json, sorted, and returns them', async () => {
    const src = await writeSite({
      'fleuron.yaml': CONFIG,
      'index.md': '---\naliases: [accueil.html]\n---\n',
      'docs/page.md': '---\naliases: [/ancien/page.html, ancien/]\n---\n',
    });
    const { result, outDir } = await build(src);
    const expected = [
      { from: 'accueil.html', to: 'index.html' },
      { from: 'ancien/index.html', to: 'docs/page.html' },
      { from: 'ancien/page.html', to: 'docs/page.html' },
    ];
    expect(result.aliases).toEqual(expected);
    expect(JSON.parse(await text(path.join(outDir, '.fleuron/aliases.json')))).toEqual(expected);
  });

  it('removes stale files, keeps unchanged ones, and refuses a foreign non-empty folder', async () => {
    const src = await writeSite({ 'fleuron.yaml': CONFIG, 'index.md': 'x', 'old.md': 'old', 'img/a.png': 'png' });
    const { outDir, root } = await build(src);
    await rm(path.join(src, 'old.md'));
    await rm(path.join(src, 'img'), { recursive: true });
    const again = await buildSite({ sourceDir: src, outDir, cacheDir: path.join(root, 'cache') });
    expect(again.removed).toBe(2);
    expect([...(await readTree(outDir)).keys()]).not.toContain('old.html');
    expect([...(await readTree(outDir)).keys()].some((name) => name.startsWith('img'))).toBe(false);

    const foreign = path.join(root, 'foreign');
    await writeSite({ 'precious.txt': 'keep me' }, foreign);
    const error = await failure(buildSite({ sourceDir: src, outDir: foreign, cacheDir: path.join(root, 'cache') }));
    expect(error.code).toBe('output-not-ours');
    expect(await text(path.join(foreign, 'precious.txt'))).toBe('keep me');
  });

  it('refuses an output folder inside the sources, and a missing source folder', async () => {
    const src = await writeSite({ 'index.md': 'x' });
    expect((await failure(buildSite({ sourceDir: src, outDir: path.join(src, 'public') }))).code).toBe('out-overlaps-source');
    expect((await failure(buildSite({ sourceDir: path.join(src, 'nope'), outDir: path.join(src, '..', 'o') }))).code).toBe('source-missing');
  });

  it('leaves drafts out unless asked, and a link to a draft is broken', async () => {
    const src = await writeSite({ 'index.md': 'x', 'draft.md': '---\ndraft: true\n---\nwip', 'link.md': '[d](draft.md)' });
    const error = await failure(build(src));
    expect(error.message).toMatch(/link\.md:1: broken link "draft\.md": draft\.md is a draft/);
    const { outDir } = await build(src, { drafts: true });
    expect([...(await readTree(outDir)).keys()]).toContain('draft.html');
    const warned = await build(src, { brokenLinks: 'warn' });
    expect([...(await readTree(warned.outDir)).keys()]).not.toContain('draft.html');
    expect(warned.result.warnings.some((line) => line.includes('link.md:1: broken link'))).toBe(true);
  });

  it('fails on broken links and missing fragments with file:line, or warns', async () => {
    const src = await writeSite({
      'index.md': '---\ntitle: Home\n---\n\nFine [a](a.md#titre).\n\nBroken [b](b.md).\n\n[c](a.md#nope) and [self](#nulle-part)',
      'a.md': '## Titre',
    });
    const label = path.relative(process.cwd(), src);
    const messages: string[] = [];
    const error = await failure(build(src, { log: (line) => messages.push(line) }));
    expect(error.code).toBe('broken-links');
    expect(error.message).toBe(`${label}/index.md:7: broken link "b.md": no page b.md (and 2 more)`);
    expect(messages).toEqual([
      `error: ${label}/index.md:7: broken link "b.md": no page b.md`,
      `error: ${label}/index.md:9: broken link "a.md#nope": no heading or anchor #nope in a.html`,
      `error: ${label}/index.md:9: broken link "#nulle-part": no heading or anchor #nulle-part in index.html`,
    ]);
    const { result } = await build(src, { brokenLinks: 'warn' });
    expect(result.warnings.filter((line) => line.includes('broken link'))).toHaveLength(3);
  });

  it('reports invalid front matter with file:line', async () => {
    const src = await writeSite({ 'index.md': 'x', 'notes/Réunion.md': '---\ntitle: ok\ndate: hier\n---\n' });
    const error = await failure(build(src));
    expect(error.message).toBe(`${path.relative(process.cwd(), src)}/notes/Réunion.md:3: front matter "date" must be a date such as 2024-03-05 or 2024-03-05T18:30:00+01:00`);
  });

  it('warns once about a layout the theme lacks and uses the default one; names the template for a template error', async () => {
    const missing = await writeSite({ 'index.md': '---\nlayout: fancy\n---\n', 'a.md': '---\nlayout: fancy\n---\n# A' });
    const { result, outDir } = await build(missing);
    const label = path.relative(process.cwd(), missing);
    expect(result.warnings.filter((line) => line.includes('"fancy"'))).toEqual([
      `layout "fancy" is not one of the theme's (404, base, home, list, listing, page, planet, post, toc); the default layout is used: ${label}/a.md, ${label}/index.md`,
    ]);
    expect(await readFile(path.join(outDir, 'a.html'), 'utf8')).toContain('<h1');

    const broken = await writeSite({ 'index.md': 'x', '_layouts/home.liquid': '<p>\n{% if %}\n</p>' });
    const brokenError = await failure(build(broken));
    expect(brokenError.code).toBe('template-error');
    expect(brokenError.message).toContain(path.join(broken, '_layouts/home.liquid'));
    expect(brokenError.message).toContain('line:2');
  });

  it('stops a layout that does too much work, naming the layout and the page', async () => {
    // A range is allocated whole: twenty million numbers, and as many loop turns, before any limit.
    const hugeRange = await writeSite({ 'index.md': 'x', '_layouts/home.liquid': '{% for i in (1..20000000) %}x{% endfor %}' });
    const rangeError = await failure(build(hugeRange));
    expect(rangeError.code).toBe('template-error');
    expect(rangeError.message).toContain(path.join(hugeRange, '_layouts/home.liquid'));
    expect(rangeError.message).toMatch(/too much work \(memory alloc limit exceeded\) while rendering .*index\.md/);
    expect(rangeError.hint).toMatch(/smaller loops/);

    // Small ranges, nested: no allocation to speak of, only time (half the page time limit).
    const longLoop = await writeSite({
      'fleuron.yaml': 'markdown:\n  pageTimeLimitSeconds: 0.2\n',
      'index.md': 'x',
      '_layouts/home.liquid': '{% for i in (1..100000) %}{% for j in (1..100000) %}x{% endfor %}{% endfor %}',
    });
    const timeError = await failure(build(longLoop));
    expect(timeError.message).toContain(path.join(longLoop, '_layouts/home.liquid'));
    expect(timeError.message).toMatch(/too much work \(template render limit exceeded\)/);
  });

  it('refuses Markdown files over the size limit before reading them', async () => {
    const src = await writeSite({ 'fleuron.yaml': 'markdown:\n  maxFileKb: 1\n', 'index.md': 'x', 'big.md': 'a'.repeat(2048) });
    const error = await failure(build(src));
    expect(error.code).toBe('page-too-large');
    expect(error.message).toMatch(/big\.md: 2 KiB is more than the 1 KiB limit/);
  });

  it('names an unreadable page', async () => {
    const dir = await tempDir();
    const error = await failure(loadPages([
      { sourcePath: 'gone.md', absolutePath: path.join(dir, 'gone.md'), outputPath: 'gone.html', size: 1, isPage: true },
    ], { sourceLabel: 'site', maxFileBytes: 1000 }));
    expect(error.message).toBe('site/gone.md: cannot read the file (ENOENT)');
  });

  it('rejects config typos in fleuron.yaml and navigation entries that match nothing', async () => {
    const typo = await writeSite({ 'fleuron.yaml': 'title: x\nnavigaton: []\n', 'index.md': 'x' });
    const typoError = await failure(build(typo));
    expect(typoError.message).toMatch(/fleuron\.yaml: unknown key "navigaton"/);
    expect(typoError.hint).toBe('did you mean "navigation"?');
    const nav = await writeSite({ 'fleuron.yaml': 'navigation:\n  - { title: X, path: nope.md }\n', 'index.md': 'x' });
    expect((await failure(build(nav))).message).toMatch(/navigation entry "nope\.md" matches no page/);
  });

  it('gives 404.html links from the base path, since it is served at any depth', async () => {
    const src = await writeSite({ 'fleuron.yaml': 'baseUrl: https://ex.org/prefix/\n', 'index.md': 'x', 'docs/a.md': 'a', '404.md': 'Go [home](index.md).' });
    const { outDir } = await build(src);
    const notFound = await text(path.join(outDir, '404.html'));
    expect(notFound).toMatch(/<link rel="stylesheet" href="\/prefix\/theme\.[0-9a-f]{8,}\.css">/);
    expect(notFound).toContain('<a href="/prefix/index.html">home</a>');
    expect(await text(path.join(outDir, 'docs/a.html'))).toMatch(/<link rel="stylesheet" href="\.\.\/theme\.[0-9a-f]{8,}\.css">/);
  });

  it('gives every page the menu and latest posts linked from its own folder, and 404.html from the base path', async () => {
    // The links are made once per folder (render-page.ts): 404.html and index.html share a folder but not their URLs.
    const src = await writeSite({
      'fleuron.yaml': 'baseUrl: https://ex.org/prefix/\n',
      'index.md': '---\ntitle: Home\n---\nx',
      'docs/index.md': '---\ntitle: Docs\n---\nd',
      'docs/a.md': 'a',
      'docs/deep/b.md': 'b',
      'blog/post.md': '---\ntitle: Post\ndate: 2024-03-05\n---\np',
      '404.md': 'Not here.',
    });
    const { outDir } = await build(src);
    const menuOf = async (page: string) => [...(await text(path.join(outDir, page))).matchAll(/<li><a href="([^"]+)"( aria-current="true")?>/g)].slice(0, 3).map((match) => `${match[1]}${match[2] ? ' (current)' : ''}`);
    expect(await menuOf('index.html')).toEqual(['index.html (current)', 'blog/index.html', 'docs/index.html']);
    expect(await menuOf('404.html')).toEqual(['/prefix/index.html', '/prefix/blog/index.html', '/prefix/docs/index.html']);
    expect(await menuOf('docs/a.html')).toEqual(['../index.html', '../blog/index.html', 'index.html (current)']);
    expect(await menuOf('docs/index.html')).toEqual(['../index.html', '../blog/index.html', 'index.html (current)']);
    expect(await menuOf('docs/deep/b.html')).toEqual(['../../index.html', '../../blog/index.html', '../index.html (current)']);
    expect(await text(path.join(outDir, 'index.html'))).toMatch(/<a href="blog\/post\.html">Post<\/a>/);
  });

  it("links the theme's stylesheet, or the site's theme.css replacing it, under a name that changes with its bytes", async () => {
    const linked = async (files: Record<string, string>) => {
      const { outDir } = await build(await writeSite({ 'index.md': 'x', ...files }));
      const tree = await readTree(outDir);
      const href = /<link rel="stylesheet" href="([^"]+)">/.exec(tree.get('index.html')!.toString())![1]!;
      return { href, css: tree.get(href)?.toString(), plain: tree.has('theme.css') };
    };
    const theme = await linked({});
    expect(theme).toMatchObject({ href: expect.stringMatching(/^theme\.[0-9a-f]{8,}\.css$/), plain: false });
    const own = await linked({ 'theme.css': 'body{color:red}' });
    expect(own).toMatchObject({ css: 'body{color:red}', plain: false });
    expect(own.href).toMatch(/^theme\.[0-9a-f]{8,}\.css$/);
    expect(own.href).not.toBe(theme.href);
    expect((await linked({ 'theme.css': 'body{color:blue}' })).href).not.toBe(own.href);
  });

  it("declares an icon on every page: an empty one, or the site's own favicon, so browsers ask for no /favicon.ico", async () => {
    const plain = await build(await writeSite({ 'index.md': 'x', 'docs/a.md': 'a' }));
    for (const page of ['index.html', 'docs/a.html', '404.html']) {
      expect(await text(path.join(plain.outDir, page))).toContain('<link rel="icon" href="data:,">');
    }
    const src = await writeSite({ 'fleuron.yaml': 'baseUrl: https://ex.org/prefix/\n', 'index.md': 'x', 'docs/a.md': 'a', 'favicon.ico': 'ico', 'favicon.svg': '<svg/>' });
    const { outDir } = await build(src);
    expect(await text(path.join(outDir, 'index.html'))).toContain('<link rel="icon" href="favicon.svg">');
    expect(await text(path.join(outDir, 'docs/a.html'))).toContain('<link rel="icon" href="../favicon.svg">');
    expect(await text(path.join(outDir, '404.html'))).toContain('<link rel="icon" href="/prefix/favicon.svg">');
  });

  it('warns once about all the pages over the configured budget', async () => {
    const big = Array.from({ length: 400 }, (_, index) => `Paragraph ${index} ${'word '.repeat(index % 17)}.`).join('\n\n');
    const src = await writeSite({ 'fleuron.yaml': 'budget:\n  pageKb: 1\n', 'index.md': 'small', 'big.md': big, 'bigger.md': `${big}\n\n${big}` });
    const { result } = await build(src);
    expect(result.sizes.overBudget.map((page) => page.outputPath)).toEqual(expect.arrayContaining(['big.html', 'bigger.html']));
    const budgetLines = result.warnings.filter((line) => line.includes('budget'));
    expect(budgetLines).toHaveLength(1);
    expect(budgetLines[0]).toMatch(/^\d+ pages are over the 1 KiB budget \(as served, uncompressed, with their CSS\): bigger\.html [\d.]+ KiB, big\.html [\d.]+ KiB/);
  });

  it('checks the budget on the bytes readers download: uncompressed as Garage serves them, gzipped when published with gzip on', async () => {
    // About 9 KB of HTML that gzips to about 1 KB: with the CSS, over an 8 KiB budget as stored, well within it gzipped.
    const pages = { 'index.md': 'small', 'long.md': Array.from({ length: 150 }, () => 'The same sentence again and again, as in a long changelog.').join('\n\n') };
    const plain = await build(await writeSite({ 'fleuron.yaml': 'budget:\n  pageKb: 8\n', ...pages }));
    expect(plain.result.sizes.gzip).toBe(false);
    expect(plain.result.sizes.overBudget.map((page) => page.outputPath)).toEqual(['long.html']);
    expect(plain.result.warnings.filter((line) => line.includes('budget'))).toEqual([expect.stringMatching(/^1 page is over the 8 KiB budget \(as served, uncompressed, with their CSS\): long\.html [\d.]+ KiB$/)]);
    const gzipped = await build(await writeSite({ 'fleuron.yaml': 'budget:\n  pageKb: 8\npublish:\n  gzip: true\n', ...pages }));
    expect(gzipped.result.sizes.gzip).toBe(true);
    expect(gzipped.result.sizes.overBudget).toEqual([]);
    const long = gzipped.result.sizes.pages.find((page) => page.outputPath === 'long.html')!;
    expect(long.servedBytes).toBe(long.totalGzipBytes);
    expect(long.totalBytes).toBeGreaterThan(8 * 1024);
  });

  it('adds no second <h1> when the body starts with its own title', async () => {
    const src = await writeSite({ 'index.md': '---\ntitle: Bienvenue\n---\n\n# Bienvenue chez nous\n\nTexte.', 'a.md': '---\ntitle: A\n---\nNo heading.' });
    const { outDir } = await build(src);
    const home = await text(path.join(outDir, 'index.html'));
    expect(home.match(/<h1[\s>]/g)).toHaveLength(1);
    expect(home).toContain('<h1 id="bienvenue-chez-nous">');
    expect((await text(path.join(outDir, 'a.html'))).match(/<h1[\s>]/g)).toHaveLength(1);
  });

  it('generates a 404 page and folder indexes in the site language', async () => {
    const src = await writeSite({ 'fleuron.yaml': 'language: en\n', 'notes/b.md': '---\ntitle: Bee\n---\n', 'notes/a.md': '---\ntitle: Ant\n---\n' });
    const { outDir } = await build(src);
    expect(await text(path.join(outDir, '404.html'))).toContain('<h1>Page not found</h1>');
    const listing = await text(path.join(outDir, 'notes/index.html'));
    expect(listing.indexOf('Ant')).toBeLessThan(listing.indexOf('Bee'));
    expect(listing).toContain('<a href="a.html">Ant</a>');
  });
});

