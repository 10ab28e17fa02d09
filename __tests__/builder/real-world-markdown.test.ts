/**
 * Regression tests for Markdown real sites broke (issue 12): each through a real build of several pages, so the
 * parsers the build reuses from page to page are exercised as they are in production.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { buildSite } from '../../lib/builder/index.js';
import { THEME_DIR } from '../../lib/builder/theme-location.js';
import { loadSite } from '../../lib/builder/load/load-site.js';
import { renderMarkdown } from '../../lib/builder/render/markdown.js';
import { prepareSite } from '../../lib/builder/render/render-context.js';
import { renderPage } from '../../lib/builder/render/render-page.js';
import { tempDir, writeSite } from './support/temp-site.js';

const cli = path.resolve('bin/fleuron.js');

/** The compiled CLI in a child process (npm test compiles dist/ first). */
async function fleuron(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)('node', [cli, ...args], { cwd });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

async function buildPages(files: Record<string, string>): Promise<(page: string) => Promise<string>> {
  const sourceDir = await writeSite({ 'fleuron.yaml': 'title: T\nlanguage: en\n', ...files });
  const root = await tempDir();
  const outDir = path.join(root, 'out');
  await buildSite({ sourceDir, outDir, cacheDir: path.join(root, 'cache') });
  return (page) => readFile(path.join(outDir, page), 'utf8');
}

/** The body of a built page: what the theme puts between <main> and </main>, without the layout around it. */
const mainOf = (html: string) => /<main[^>]*>([\s\S]*)<\/main>/.exec(html)![1]!;

const render = (text: string, bodyLine = 1) => renderMarkdown(text, { allowHtml: true, footnoteLabel: 'Notes', footnoteBackLabel: 'Back' }, bodyLine).html.trimEnd();

describe('a footnote label seen on one page', () => {
  it('is not known on the next page built (the parser is reused, its footnotes are not)', async () => {
    const page = await buildPages({
      'a.md': 'Text with a note[^1].\n\n[^1]: The note: here.\n',
      'b.md': 'A page that writes [^1] literally: on purpose.\n',
    });
    expect(await page('a.html')).toContain('The note: here.');
    expect(mainOf(await page('b.html'))).toContain('<p>A page that writes [^1] literally: on purpose.</p>');
  });

  it('is not known when the same cached parser renders the next page', () => {
    expect(render('Text with a note[^1].\n\n[^1]: The note: here.\n')).toContain('The note: here.');
    expect(render('A page that writes [^1] literally: on purpose.\n')).toBe('<p>A page that writes [^1] literally: on purpose.</p>');
  });

  it('does not stop `fleuron build` (the CLI, as a user runs it)', async () => {
    const cwd = await tempDir();
    await writeSite({ 'a.md': 'Text with a note[^1].\n\n[^1]: The note: here.\n', 'b.md': 'A page that writes [^1] literally: on purpose.\n' }, path.join(cwd, 'src'));
    const { code, stderr } = await fleuron(['build', 'src', '--out', 'out'], cwd);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(await readFile(path.join(cwd, 'out/b.html'), 'utf8')).toContain('[^1] literally');
  });
});

describe('an unexpected error while rendering', () => {
  it('names the page being rendered', async () => {
    const sourceDir = await writeSite({ 'index.md': 'x', 'notes/broken.md': 'y' });
    const plan = await loadSite({ sourceDir, sourceLabel: 'site', drafts: false, themeDir: THEME_DIR, warn: () => {} });
    const job = plan.jobs.find((page) => page.sourcePath === 'notes/broken.md')!;
    // A page text that is no string stands for any bug below renderPage (ours or a library's).
    const broken = { ...job, text: 42 as unknown as string };
    expect(() => renderPage(broken, prepareSite(plan.context))).toThrow(/^site\/notes\/broken\.md: /);
  });
});

describe('line endings in a code or HTML block after link reference definitions (micromark 4.0.3 drops them)', () => {
  const cases: [string, string, string][] = [
    ['fenced code', '[x]: /url\n\n```\na\nb\n```\n', '<pre><code>a\nb\n</code></pre>'],
    ['indented code', '[x]: /url\n\n    a\n    b\n', '<pre><code>a\nb\n</code></pre>'],
    ['<pre>', '[x]: /url\n\n<pre>\na\nb\n</pre>\n', '<pre>\na\nb\n</pre>'],
    ['a comment', '[x]: /url\n<!--\na\nb\n-->\n', '<!--\na\nb\n-->'],
    ['code in a list item', '- [x]: /url\n\n  ```\n  a\n  b\n  ```\n', '<ul>\n<li>\n<pre><code>a\nb\n</code></pre>\n</li>\n</ul>'],
    ['code in a quote', '> [x]: /url\n>\n> ```\n> a\n> b\n> ```\n', '<blockquote>\n<pre><code>a\nb\n</code></pre>\n</blockquote>'],
    ['code after a tight paragraph in a list item', '- p\n  ```\n  a\n  b\n  ```\n- q\n', '<ul>\n<li>p\n<pre><code>a\nb\n</code></pre>\n</li>\n<li>q</li>\n</ul>'],
  ];
  it.each(cases)('keeps them in %s', (_name, markdown, html) => {
    expect(render(markdown)).toBe(html);
  });

  it('keeps them in a built page', async () => {
    const page = await buildPages({ 'index.md': '# Links\n\n[guide]: guide.md\n\n```sh\nmkdir book\ncd book\n```\n', 'guide.md': 'x' });
    // (The <pre> is a focusable, labelled scrolling region: see scroll-regions.ts.)
    expect(await page('index.html')).toMatch(/<pre[^>]*><code class="language-sh">mkdir book\ncd book\n<\/code><\/pre>/);
  });
});

describe('front matter', () => {
  it('closed by "..." is front matter for the renderer as for the loader', async () => {
    const page = await buildPages({ 'dotted.md': '---\ntitle: Dotted\n...\n\nBody text.\n' });
    const html = await page('dotted.html');
    expect(html).toContain('<title>Dotted · T</title>');
    expect(mainOf(html)).not.toContain('<hr');
    expect(mainOf(html)).not.toContain('title: Dotted');
    expect(mainOf(html)).toContain('<p>Body text.</p>');
  });

  it('is left out of the rendered body from the line the loader says the body starts at', () => {
    const { html, destinations } = renderMarkdown('---\ntitle: x\n...\n[a](b.md)', { allowHtml: false, footnoteLabel: 'N', footnoteBackLabel: 'B' }, 4);
    expect(html).toBe('<p><a href="b.md">a</a></p>');
    expect(destinations).toEqual([{ raw: 'b.md', line: 4 }]);
  });

  it('is not what a page means by a first line "---" that is a thematic break', async () => {
    const page = await buildPages({
      'a.md': '---\n\nA page that opens with a rule.\n',
      'b.md': '---\nSome words, not YAML.\n\n---\n\nMore.\n',
    });
    expect(mainOf(await page('a.html'))).toMatch(/<hr \/>\s*<p>A page that opens with a rule.<\/p>/);
    expect(mainOf(await page('b.html'))).toMatch(/<hr \/>\s*<p>Some words, not YAML.<\/p>\s*<hr \/>\s*<p>More.<\/p>/);
  });
});

describe('URL schemes', () => {
  it('a built page keeps tel:, matrix: and data: images, and empties javascript: links with a warning (the build goes on)', async () => {
    const sourceDir = await writeSite({
      'index.md': '[call](tel:+33100000000) [chat](matrix:r/room:example.org)\n\n![dot](data:image/png;base64,iVBORw0KGgo=)\n\n[x](javascript:alert(1)) [y]()\n',
    });
    const root = await tempDir();
    // Broken links fail a build by default; an emptied or empty URL is only a warning.
    const result = await buildSite({ sourceDir, outDir: path.join(root, 'out'), cacheDir: path.join(root, 'cache') });
    const html = mainOf(await readFile(path.join(root, 'out/index.html'), 'utf8'));
    expect(html).toContain('<a href="tel:+33100000000">call</a> <a href="matrix:r/room:example.org">chat</a>');
    expect(html).toContain('<img src="data:image/png;base64,iVBORw0KGgo=" alt="dot" />');
    expect(html).toContain('<a href="">x</a>');
    expect(result.warnings).toContain(`${path.relative(process.cwd(), sourceDir)}/index.md:5: link "javascript:alert(1)": javascript: URLs are not allowed in links, so it was emptied`);
    expect(result.warnings).toContain(`${path.relative(process.cwd(), sourceDir)}/index.md:1: link "": the link is empty`); // an empty destination has no line of its own
  });
});
