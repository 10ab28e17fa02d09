/**
 * Sites written for Hugo, Zola, mdBook and Eleventy (small fixtures in __tests__/fixtures/migration/) build as they
 * are: no error, no front matter, template tag or `{#id}` text in any page, and each generator's convention lands
 * where its author meant it.
 */
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildSite, type BuildResult } from '../../lib/builder/index.js';
import { runCli } from '../support/run-cli.js';
import { readTree, tempDir, writeSite } from './support/temp-site.js';

const FIXTURES = path.resolve('__tests__/fixtures/migration');

interface Built {
  result: BuildResult;
  /** Output path → HTML, for the pages only. */
  pages: Map<string, string>;
  files: string[];
  label: string;
}

async function buildFixture(name: string, options: { config?: string } = {}): Promise<Built> {
  const root = await tempDir('fleuron-migration-');
  const sourceDir = path.join(root, name);
  await cp(path.join(FIXTURES, name), sourceDir, { recursive: true });
  if (options.config) await writeFile(path.join(sourceDir, 'fleuron.yaml'), options.config);
  const outDir = path.join(root, 'out');
  const result = await buildSite({ sourceDir, outDir, cacheDir: path.join(root, 'cache') });
  const tree = await readTree(outDir);
  const pages = new Map([...tree].filter(([file]) => file.endsWith('.html')).map(([file, bytes]) => [file, bytes.toString()]));
  return { result, pages, files: [...tree.keys()], label: path.relative(process.cwd(), sourceDir) };
}

/** The page's text a reader sees outside code blocks (where template syntax may be shown on purpose). */
function proseOf(html: string): string {
  return html.replace(/<pre>[\s\S]*?<\/pre>/g, '').replace(/<code>[\s\S]*?<\/code>/g, '');
}

function mainOf(html: string): string {
  return /<main[^>]*>([\s\S]*)<\/main>/.exec(html)![1]!;
}

function menuOf(html: string): string[] {
  const nav = /<nav[^>]*>([\s\S]*?)<\/nav>/.exec(html)![1]!;
  return [...nav.matchAll(/<a [^>]*>([^<]*)<\/a>/g)].map((match) => match[1]!);
}

function titleOf(html: string): string {
  return /<title>([^<]*)<\/title>/.exec(html)![1]!;
}

/** Every leftover of another generator's source that must never reach a page as text. */
function expectClean(built: Built): void {
  for (const [file, html] of built.pages) {
    const prose = proseOf(html);
    for (const leftover of ['{{<', '{{%', '{%', '{{#', '{#', '+++', '@/', '@ref', '.md"', '.md#']) {
      if (prose.includes(leftover)) throw new Error(`${file} shows "${leftover}":\n${mainOf(html)}`);
    }
    expect({ file, frontMatter: /^\s*(?:title|weight|date|layout|tags)\s*[:=]/m.test(mainOf(prose)) }).toEqual({ file, frontMatter: false });
    expect({ file, json: /"title"\s*:/.test(prose) }).toEqual({ file, json: false });
  }
}

const warningsAbout = (built: Built, word: string) => built.result.warnings.filter((line) => line.includes(word));

describe('a Hugo content folder', () => {
  let built: Built;
  beforeAll(async () => {
    built = await buildFixture('hugo');
  });

  it('builds with no front matter or shortcode text in any page', () => expectClean(built));

  it('makes _index.md its folder\'s index.html and publishes no snippet page', () => {
    expect(built.files.filter((file) => file.endsWith('.html')).sort()).toEqual([
      '404.html', 'blog/first-harvest.html', 'blog/index.html', 'blog/spring-inspection.html', 'docs/hives.html', 'docs/index.html', 'docs/smoke.html', 'index.html',
    ]);
    expect(mainOf(built.pages.get('docs/index.html')!)).toContain('Everything a new member needs');
  });

  it('reads TOML, YAML and JSON front matter with Hugo\'s key names', () => {
    const hives = built.pages.get('docs/hives.html')!;
    expect(titleOf(hives)).toMatch(/^Our hives · /);
    expect(hives).toContain('<time datetime="2024-04-12">'); // lastmod
    expect(titleOf(built.pages.get('docs/smoke.html')!)).toMatch(/^Using the smoker · /); // JSON
    expect(built.result.aliases).toEqual([
      { from: 'harvest.html', to: 'blog/first-harvest.html' }, // alias
      { from: 'old/hives/index.html', to: 'docs/hives.html' }, // aliases
    ]);
    expect(built.pages.get('blog/index.html')).toContain('Forty jars from three hives.'); // summary → description
  });

  it('orders a section by weight, and titles a page without one by its # heading', () => {
    const listing = mainOf(built.pages.get('docs/index.html')!);
    expect(listing.indexOf('Using the smoker')).toBeLessThan(listing.indexOf('Our hives'));
    expect(titleOf(built.pages.get('blog/spring-inspection.html')!)).toMatch(/^Spring inspection · /);
  });

  it('resolves ref, relref and pretty-URL links to the pages\' real URLs, and honours {#id}', () => {
    const home = built.pages.get('index.html')!;
    expect(home).toContain('<a href="docs/hives.html">how our hives are built</a>');
    expect(home).toContain('<a href="docs/smoke.html">smoke guide</a>');
    expect(built.pages.get('docs/hives.html')).toContain('<a href="smoke.html">smoke guide</a>');
    expect(built.pages.get('docs/hives.html')).toContain('<h2 id="frames">Frames and bars <a');
    expect(built.pages.get('docs/smoke.html')).toContain('<a href="hives.html#frames">our hives</a>');
    expect(built.pages.get('blog/first-harvest.html')).toContain('<a href="../docs/hives.html#frames">the handbook</a>');
  });

  it('keeps the text inside paired shortcodes, expands the include shortcode, leaves code blocks alone', () => {
    const hives = mainOf(built.pages.get('docs/hives.html')!);
    expect(hives).toContain('<p>Ask the workshop first: offcuts are often enough.</p>');
    expect(hives).toMatch(/<img src="\.\.\/images\/top-bar\.svg" alt="A top-bar hive, seen from the side"[^>]*\/>/);
    expect(hives).toContain('<p>Wear a veil and gloves, and never visit a hive alone.</p>');
    expect(built.pages.get('docs/smoke.html')).toContain('{{&lt; warning &gt;}}this stays as it is, in a code block{{&lt; /warning &gt;}}');
  });

  it('warns once per unknown key, unknown layout and shortcode, listing each file:line', () => {
    const { label } = built;
    expect(warningsAbout(built, '"subtitle"')).toEqual([
      `front matter key "subtitle" means nothing to fleuron (did you mean "title"?); kept for layouts as page.extra.subtitle: ${label}/docs/smoke.md:4`,
    ]);
    expect(warningsAbout(built, 'layout "single"')).toHaveLength(1);
    expect(warningsAbout(built, 'Hugo shortcode "note"')).toEqual([
      expect.stringMatching(new RegExp(`: ${label}/docs/hives\\.md:16, ${label}/docs/hives\\.md:18$`)),
    ]);
    expect(warningsAbout(built, 'Hugo shortcode').map((line) => /"([^"]+)"/.exec(line)![1])).toEqual(['newsletter-signup', 'note', 'warning']);
    // The warnings come last, after everything else the build had to say.
    expect(built.result.warnings.at(-1)).toContain('Hugo shortcode "warning"');
  });

  it('writes docs/x/index.html and links to docs/x/ with urls: pretty', async () => {
    const pretty = await buildFixture('hugo', { config: 'title: Hive Commons\nurls: pretty\n' });
    expect(pretty.files.filter((file) => file.endsWith('.html')).sort()).toEqual([
      '404.html', 'blog/first-harvest/index.html', 'blog/index.html', 'blog/spring-inspection/index.html', 'docs/hives/index.html', 'docs/index.html', 'docs/smoke/index.html', 'index.html',
    ]);
    const home = pretty.pages.get('index.html')!;
    expect(home).toContain('<a href="docs/hives/">how our hives are built</a>');
    expect(home).toContain('<a href="docs/smoke/">smoke guide</a>');
    expect(pretty.pages.get('docs/smoke/index.html')).toContain('<a href="../hives/#frames">our hives</a>');
    expect(pretty.pages.get('docs/hives/index.html')).toMatch(/<link rel="stylesheet" href="\.\.\/\.\.\/theme\.[0-9a-f]{8,}\.css">/);
  });

  it('lists pretty URLs in the sitemap and the feed', async () => {
    const pretty = await buildFixture('hugo', { config: 'title: Hive Commons\nbaseUrl: https://hives.example.org/\nurls: pretty\n' });
    expect(pretty.files).toEqual(expect.arrayContaining(['sitemap.xml', 'feed.xml']));
    const sitemap = await readFile(path.join(pretty.result.outDir, 'sitemap.xml'), 'utf8');
    expect(sitemap).toContain('<loc>https://hives.example.org/</loc>');
    expect(sitemap).toContain('<loc>https://hives.example.org/docs/hives/</loc>');
    expect(sitemap).not.toContain('index.html');
    expect(await readFile(path.join(pretty.result.outDir, 'feed.xml'), 'utf8')).toContain('href="https://hives.example.org/blog/first-harvest/"');
  });
});

describe('a Zola content folder', () => {
  let built: Built;
  beforeAll(async () => {
    built = await buildFixture('zola');
  });

  it('builds with no front matter or shortcode text in any page', () => expectClean(built));

  it('resolves @/ links with their anchors and sets {#id} heading ids', () => {
    const home = built.pages.get('index.html')!;
    expect(home).toContain('<a href="docs/install.html">installing</a>');
    expect(home).toContain('<a href="docs/configure.html#layout-keys">the configuration keys</a>');
    expect(built.pages.get('blog/release-1-2.html')).toContain('<a href="../docs/configure.html#stations">the station keys</a>');
    expect(built.pages.get('docs/configure.html')).toContain('<h2 id="layout-keys">Layout keys <a');
  });

  it('reads TOML dates, [taxonomies] and [extra] without a warning, and Zola\'s template as a layout', () => {
    expect(built.pages.get('docs/install.html')).toContain('<time datetime="2024-02-10">');
    expect(built.pages.get('blog/release-1-2.html')).toContain('<time datetime="2024-06-01">');
    expect(warningsAbout(built, 'taxonomies')).toEqual([]);
    expect(warningsAbout(built, '"extra"')).toEqual([]);
    expect(warningsAbout(built, '"sort_by"')).toEqual([
      `front matter key "sort_by" means nothing to fleuron; kept for layouts as page.extra.sort_by: ${built.label}/_index.md:3, ${built.label}/blog/_index.md:3`,
    ]);
    expect(warningsAbout(built, 'layout "docs-page.html"')).toHaveLength(1);
  });

  it('warns about Zola shortcodes once each, keeps a body shortcode\'s text', () => {
    expect(warningsAbout(built, 'Zola shortcode').map((line) => /"([^"]+)"/.exec(line)![1])).toEqual(['asciinema', 'callout']);
    expect(built.pages.get('docs/configure.html')).toContain('<p>Depths are in metres, always.</p>');
  });

  it('lists the docs section by weight in the menu', () => {
    expect(menuOf(built.pages.get('index.html')!).slice(0, 3)).toEqual(['Home', 'News', 'Documentation']);
    const docs = mainOf(built.pages.get('docs/index.html')!);
    expect(docs.indexOf('Installing')).toBeLessThan(docs.indexOf('Configuring'));
  });
});

describe('an mdBook src folder', () => {
  let built: Built;
  beforeAll(async () => {
    built = await buildFixture('mdbook');
  });

  it('builds with no {{#…}} text in any page, and SUMMARY.md is no page', () => {
    expectClean(built);
    expect(built.files).not.toContain('SUMMARY.html');
    expect(built.files).toContain('index.html');
    expect(mainOf(built.pages.get('index.html')!)).toContain('A short book about firing pottery');
  });

  it('takes the order and the titles of SUMMARY.md', () => {
    expect(menuOf(built.pages.get('reference.html')!).slice(0, 5)).toEqual(['Home', 'Getting started', 'Start', 'Glaze reference', 'Thanks']);
    expect(titleOf(built.pages.get('start/install.html')!)).toMatch(/^Installing the kiln · /);
    expect(titleOf(built.pages.get('credits.html')!)).toMatch(/^Thanks · /);
  });

  it('honours {{#include}} whole, by line range and by anchor', () => {
    const install = built.pages.get('start/install.html')!;
    // (Each <pre> is a focusable, labelled scrolling region: see scroll-regions.ts.)
    expect(install.replace(/<pre [^>]*>/g, '<pre>')).toContain('<pre><code class="language-sh">ramp=150\nhold=10\n</code></pre>');
    expect(install.replace(/<pre [^>]*>/g, '<pre>')).toContain('<pre><code class="language-sh">test -w /dev/kiln || exit 1\n</code></pre>');
    expect(built.pages.get('reference.html')).toContain('<p>Always vent the kiln during the first 600 °C.</p>');
    expect(install).toContain('<a href="../reference.html#cone-6">glaze options</a>');
  });

  it('shows GitHub alerts and definition lists as quotes and text by default, as boxes and <dl> when asked', async () => {
    const plain = mainOf(built.pages.get('reference.html')!);
    expect(plain).toContain('<blockquote>\n<p>[!WARNING]\nCone 10 glazes will run in this kiln.</p>');
    const asked = await buildFixture('mdbook', { config: 'title: Kiln\nmarkdown:\n  alerts: true\n  definitionLists: true\n' });
    const reference = mainOf(asked.pages.get('reference.html')!);
    expect(reference).toContain('<blockquote class="alert alert-warning">\n<p class="alert-title">Warning</p>\n<p>Cone 10 glazes will run in this kiln.</p>');
    expect(reference).toContain('<dl>\n<dt>Crazing</dt>\n<dd>Fine cracks in a glaze that shrank more than its clay.</dd>\n</dl>');
    expect(asked.result.sizes.overBudget).toEqual([]);
  });

  it('highlights code blocks with CSS classes only when asked, linking highlight.css and staying in the page budget', async () => {
    expect(built.files.filter((name) => name.startsWith('highlight'))).toEqual([]);
    expect(built.pages.get('start/install.html')).not.toContain('hljs');
    const asked = await buildFixture('mdbook', { config: 'title: Kiln\nmarkdown:\n  highlight: true\n' });
    const install = asked.pages.get('start/install.html')!;
    expect(install.replace(/<pre [^>]*>/g, '<pre>')).toContain('<pre><code class="hljs language-sh"><span class="hljs-built_in">test</span> -w /dev/kiln || <span class="hljs-built_in">exit</span> 1\n</code></pre>');
    expect(install).toMatch(/<link rel="stylesheet" href="\.\.\/highlight\.[0-9a-f]{8,}\.css">/);
    expect(install).not.toMatch(/<script/);
    expect(asked.files).toContainEqual(expect.stringMatching(/^highlight\.[0-9a-f]{8,}\.css$/));
    expect(asked.result.sizes.overBudget).toEqual([]);
  });

  it('warns about {{#playground}} once, at its line', () => {
    expect(built.result.warnings).toEqual([
      `mdBook "{{#playground}}" is not run by fleuron; the tags are left out of the page, the text between a pair of them stays: ${built.label}/start/install.md:17`,
    ]);
  });
});

describe('an Eleventy input folder', () => {
  let built: Built;
  beforeAll(async () => {
    built = await buildFixture('eleventy');
  });

  it('builds with no template tag text in any page, and publishes no _includes', () => {
    expectClean(built);
    expect(built.files.filter((file) => file.startsWith('_includes'))).toEqual([]);
  });

  it('titles a page by its # heading, orders the menu by eleventyNavigation, reads Jekyll-style dates', () => {
    expect(titleOf(built.pages.get('about.html')!)).toMatch(/^About the choir · /);
    expect(menuOf(built.pages.get('about.html')!).slice(0, 3)).toEqual(['Home', 'Posts', 'About the choir']);
    expect(built.pages.get('posts/concert.html')).toContain('<time datetime="2024-12-01T19:30:00+01:00">');
  });

  it('resolves URL filters and pretty URLs, keeps {% raw %} text', () => {
    const home = built.pages.get('index.html')!;
    expect(home).toContain('<a href="about.html">About us</a>');
    expect(home).toContain('<a href="posts/rehearsal-notes.html">the latest rehearsal notes</a>');
    expect(built.pages.get('posts/rehearsal-notes.html')).toContain('<p>The programme uses {{ curly braces }} in its titles.</p>');
    expect(built.pages.get('posts/rehearsal-notes.html')).toContain('<a href="../index.html">home</a>');
  });

  it('warns once about permalink, each unknown layout, and {% include %}', () => {
    expect(warningsAbout(built, '"permalink"')).toHaveLength(1);
    expect(warningsAbout(built, 'layout "layouts/').length).toBe(2);
    expect(warningsAbout(built, '{% include %}')).toEqual([
      expect.stringMatching(new RegExp(`: ${built.label}/index\\.md:12, ${built.label}/posts/rehearsal-notes\\.md:12$`)),
    ]);
    expect(warningsAbout(built, 'raw')).toEqual([]);
  });
});

describe('fleuron build on a Zola folder, as a user runs it', () => {
  it('exits 0 and lists one warning per kind at the end of its output', async () => {
    const root = await tempDir('fleuron-migration-cli-');
    await cp(path.join(FIXTURES, 'zola'), path.join(root, 'content'), { recursive: true });
    const { code, stdout, stderr } = await runCli(['build', 'content', '--out', 'public'], { cwd: root });
    expect(code).toBe(0);
    const warnings = stderr.split('\n').filter((line) => line.startsWith('warning: '));
    expect(warnings.filter((line) => line.includes('Zola shortcode'))).toHaveLength(2);
    expect(warnings.at(-1)).toContain('Zola shortcode "callout"');
    expect(stdout).toMatch(/^built 7 pages/m);
    const configure = await readFile(path.join(root, 'public/docs/configure.html'), 'utf8');
    expect(configure).toContain('<h2 id="layout-keys">');
    expect(proseOf(configure)).not.toContain('{%');
  });
});

describe('rebuilding a migrated site', () => {
  it('renders a page again when a file it includes changed, and keeps its warnings and titles from the cache', async () => {
    const root = await tempDir('fleuron-migration-rebuild-');
    const sourceDir = path.join(root, 'book');
    await cp(path.join(FIXTURES, 'mdbook'), sourceDir, { recursive: true });
    await writeFile(path.join(sourceDir, 'extra.md'), '---\nsubtitle: x\n---\n# First title\n');
    const options = { sourceDir, outDir: path.join(root, 'out'), cacheDir: path.join(root, 'cache') };
    const first = await buildSite(options);
    expect(first.warnings).toHaveLength(2);

    const again = await buildSite(options);
    expect(again.rendered).toBe(0);
    expect(again.warnings).toEqual(first.warnings);

    await writeFile(path.join(sourceDir, 'listings/note.txt'), 'Never open the lid above 200 °C.\n');
    await writeFile(path.join(sourceDir, 'extra.md'), '---\nsubtitle: x\n---\n# Second title\n');
    const changed = await buildSite(options);
    expect(changed.warnings).toEqual(first.warnings);
    expect(await readFile(path.join(root, 'out/reference.html'), 'utf8')).toContain('<p>Never open the lid above 200 °C.</p>');
    expect(titleOf(await readFile(path.join(root, 'out/extra.html'), 'utf8'))).toMatch(/^Second title · /);
  });
});

describe('an include that cannot be expanded', () => {
  it('is left out of the page with a warning naming the page, the line and why', async () => {
    const root = await tempDir('fleuron-migration-include-');
    const sourceDir = path.join(root, 'src');
    await cp(path.join(FIXTURES, 'mdbook'), sourceDir, { recursive: true });
    await writeFile(path.join(sourceDir, 'credits.md'), '# Credits\n\n{{#include missing.txt}}\n\n{{#include listings/controller.sh:nope}}\n\n{{#include ../../outside.txt}}\n');
    const result = await buildSite({ sourceDir, outDir: path.join(root, 'out'), cacheDir: path.join(root, 'cache') });
    const label = path.relative(process.cwd(), sourceDir);
    expect(result.warnings.filter((line) => line.includes('{{#include'))).toEqual([
      `${label}/credits.md:3: {{#include missing.txt}} cannot be read (ENOENT), left out of the page`,
      `${label}/credits.md:5: {{#include listings/controller.sh:nope}} has no anchor "nope", left out of the page`,
      `${label}/credits.md:7: {{#include ../../outside.txt}} is outside the site folder, left out of the page`,
    ]);
    expect(proseOf(await readFile(path.join(root, 'out/credits.html'), 'utf8'))).not.toContain('{{');
  });
});

describe('section pages and slugs on a small forge-style site', () => {
  it('keeps README.md beside an index.md as README.html, gives a slug\'s page its URL, refuses two pages at one path', async () => {
    const root = await tempDir('fleuron-migration-forge-');
    const sourceDir = await writeSite(
      {
        'index.md': '# Home\n\n[readme](README.md) [guide](docs/guide.md) [tools](tools/)',
        'README.md': '# Read me',
        'docs/guide.md': '---\nslug: mode-d-emploi\n---\n# Guide',
        'tools/README.md': '# Tools\n\nThe tools folder.',
      },
      path.join(root, 'src'),
    );
    const result = await buildSite({ sourceDir, outDir: path.join(root, 'out'), cacheDir: path.join(root, 'cache') });
    const tree = await readTree(result.outDir);
    expect([...tree.keys()].filter((file) => file.endsWith('.html'))).toEqual(['404.html', 'README.html', 'docs/index.html', 'docs/mode-d-emploi.html', 'index.html', 'tools/index.html']);
    expect(tree.get('index.html')!.toString()).toContain('<a href="README.html">readme</a> <a href="docs/mode-d-emploi.html">guide</a> <a href="tools/index.html">tools</a>');
    expect(tree.get('tools/index.html')!.toString()).toContain('The tools folder.');

    await writeFile(path.join(sourceDir, 'docs/mode-d-emploi.md'), '# Other');
    await expect(buildSite({ sourceDir, outDir: path.join(root, 'out'), cacheDir: path.join(root, 'cache') })).rejects.toThrow(
      'docs/guide.md and docs/mode-d-emploi.md would both become docs/mode-d-emploi.html',
    );
  });
});
