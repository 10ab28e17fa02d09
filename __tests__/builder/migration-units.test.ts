/** The pure pieces that bring other generators' conventions over, one table each. */
import { parseBookSummary } from '../../lib/builder/load/book-summary.js';
import { frontMatterBlock } from '../../lib/builder/load/front-matter-block.js';
import { parseFrontMatter } from '../../lib/builder/load/front-matter.js';
import { selectLines } from '../../lib/builder/load/includes.js';
import { firstHeading } from '../../lib/builder/load/page-body.js';
import { renderAlerts } from '../../lib/builder/render/alerts.js';
import { addHeadingIds } from '../../lib/builder/render/headings.js';
import { resolveLink, type LinkTargets } from '../../lib/builder/render/links.js';
import { renderMarkdown } from '../../lib/builder/render/markdown.js';
import { compareForListing, type PageSummary } from '../../lib/builder/load/site-map.js';
import { styledUrl } from '../../lib/builder/load/url-map.js';
import { FleuronError } from '../../lib/errors/fleuron-error.js';

describe('frontMatterBlock', () => {
  it.each([
    ['---\ntitle: a\n---\nbody', 'yaml', 'title: a\n', 17],
    ['+++\ntitle = "a"\n+++\r\nbody', 'toml', 'title = "a"\n', 21],
    ['{\n  "title": "a"\n}\nbody', 'json', '{\n  "title": "a"\n}', 19],
  ])('finds %j', (page, format, raw, bodyStart) => {
    expect(frontMatterBlock(page)).toMatchObject({ format, raw, bodyStart });
  });

  it('finds none in a page that opens with text, a list or a thematic break in prose', () => {
    expect(frontMatterBlock('# Title\n---\n')).toBeUndefined();
    expect(frontMatterBlock('+ item\n')).toBeUndefined();
    expect(frontMatterBlock('{not json}\n')).toBeUndefined();
    expect(frontMatterBlock('{\na brace that no line closes\n')).toBeUndefined();
  });
});

describe('parseFrontMatter in other generators\' formats and words', () => {
  it('reads TOML with Hugo\'s names, and [params] / [extra] into extra', () => {
    const toml = '+++\ntitle = "Hives"\nweight = 3\nlastmod = 2024-04-12\npublishDate = 2024-01-02T10:00:00+01:00\nalias = "/old/"\nsummary = "S"\ntags = ["a"]\n[params]\ncolour = "amber"\n+++\n# Body';
    expect(parseFrontMatter(toml, 'p.md')).toEqual({
      frontMatter: {
        title: 'Hives',
        weight: 3,
        updated: '2024-04-12',
        date: '2024-01-02T10:00:00.000+01:00',
        aliases: ['/old/'],
        description: 'S',
        draft: false,
        extra: { tags: ['a'], colour: 'amber' },
      },
      bodyLine: 12,
    });
  });

  it('reads JSON, and lists unknown keys with their lines without failing', () => {
    const split = parseFrontMatter('{\n  "title": "T",\n  "subtitle": "S",\n  "draft": true\n}\ntext', 'p.md');
    expect(split).toEqual({ frontMatter: { title: 'T', draft: true, aliases: [], extra: { subtitle: 'S' } }, bodyLine: 6, unknownKeys: [{ key: 'subtitle', line: 3 }] });
  });

  it('understands Jekyll dates, eleventyNavigation order, Zola taxonomies, slugs and snippet pages', () => {
    const yaml = parseFrontMatter('---\ndate: 2024-12-01 19:30:00 +0100\neleventyNavigation: { key: A, order: 4 }\nslug: autre\nheadless: true\n---\n', 'p.md');
    expect(yaml.frontMatter).toMatchObject({ date: '2024-12-01T19:30:00+01:00', weight: 4, slug: 'autre', headless: true });
    expect(yaml.unknownKeys).toBeUndefined();
    const zola = parseFrontMatter('+++\nrender = false\n[taxonomies]\ntags = ["x"]\n+++\n', 'p.md');
    expect(zola.frontMatter).toMatchObject({ headless: true, extra: { taxonomies: { tags: ['x'] } } });
    expect(parseFrontMatter('---\n_build:\n  render: never\n---\n', 'p.md').frontMatter.headless).toBe(true);
  });

  it('still refuses wrong types, and names the key as written', () => {
    const error = (() => {
      try {
        parseFrontMatter('+++\ntitle = "a"\nlastmod = "soon"\n+++\n', 'site/p.md');
      } catch (caught) {
        return caught as FleuronError;
      }
      throw new Error('expected an error');
    })();
    expect(error.message).toBe('site/p.md:3: front matter "lastmod" must be a date such as 2024-03-05 or 2024-03-05T18:30:00+01:00');
  });

  it('reports invalid TOML and JSON at their line', () => {
    expect(() => parseFrontMatter('+++\ntitle = "a"\nweight = \n+++\n', 'site/p.md')).toThrow(/^site\/p\.md:3: invalid TOML in front matter/);
    expect(() => parseFrontMatter('{\n  "title": "a",\n}\n', 'site/p.md')).toThrow(/^site\/p\.md:\d: invalid JSON in front matter/);
    expect(() => parseFrontMatter('+++\ntitle = "a"\n', 'site/p.md')).toThrow('site/p.md:1: front matter opened with +++ is never closed');
  });
});

describe('firstHeading', () => {
  it.each([
    ['# Hello *world*\n', 'Hello world'],
    ['Intro\n\n## Not this\n\n# This one #\n', 'This one'],
    ['```\n# in code\n```\n# After code\n', 'After code'],
    ['Setext title\n===\n', 'Setext title'],
    ['# Install [the tool](x.md) {#install}\n', 'Install the tool'],
    ['No heading at all\n', undefined],
  ])('%j → %j', (body, title) => expect(firstHeading(body)).toBe(title));
});

describe('parseBookSummary', () => {
  it('lists chapters in order with their titles, nested ones too, and skips drafts and parts', () => {
    const summary = '# Summary\n\n[Intro](README.md)\n\n# Part one\n\n- [Start](start.md)\n  - [Deeper](start/deeper.md)\n- [Draft]()\n\n---\n\n[Credits](./credits.md)\n';
    expect([...parseBookSummary(summary)]).toEqual([
      ['README.md', { title: 'Intro', order: 1 }],
      ['start.md', { title: 'Start', order: 2 }],
      ['start/deeper.md', { title: 'Deeper', order: 3 }],
      ['credits.md', { title: 'Credits', order: 4 }],
    ]);
  });
});

describe('selectLines', () => {
  const file = 'one\ntwo\n// ANCHOR: mid\nthree\n// ANCHOR_END: mid\nfour\n';
  it.each([
    [[], 'one\ntwo\nthree\nfour'],
    [['2', '4'], 'two\nthree'],
    [['4', ''], 'three\nfour'],
    [['', '2'], 'one\ntwo'],
    [['2'], 'two'],
    [['mid'], 'three'],
  ])('%j', (selector, expected) => expect(selectLines(file, selector)).toBe(expected));

  it('says when an anchor is missing', () => expect(selectLines(file, ['nope'])).toBeUndefined());
});

describe('heading attributes', () => {
  it('take {#id} (and {#id .class}) as the id and never show them', () => {
    const { html, headings } = addHeadingIds('<h2>Install {#setup}</h2><h2>Use {#use .wide}</h2><h2>Install</h2>');
    expect(headings.map((heading) => [heading.id, heading.text])).toEqual([['setup', 'Install'], ['use', 'Use'], ['install', 'Install']]);
    expect(html).not.toContain('{#');
  });
});

describe('resolveLink for other generators\' link styles', () => {
  const targets: LinkTargets = {
    pages: new Map([
      ['_index.md', 'index.html'],
      ['docs/_index.md', 'docs/index.html'],
      ['docs/install.md', 'docs/install.html'],
      ['docs/deep/unique-name.md', 'docs/deep/unique-name.html'],
      ['blog/post.md', 'blog/post.html'],
    ]),
    drafts: new Set(),
    outputs: new Set(['index.html', 'docs/index.html', 'docs/install.html', 'docs/deep/unique-name.html', 'blog/post.html']),
  };
  const target = (href: string, from = 'blog/post.md') => {
    const resolution = resolveLink(href, from, targets);
    return resolution.kind === 'internal' ? resolution.targetOutput + resolution.suffix : resolution.kind;
  };

  it.each([
    ['@/docs/install.md#step', 'docs/install.html#step'], // Zola
    ['@/docs/_index.md', 'docs/index.html'],
    ['@ref/docs/install.md', 'docs/install.html'], // Hugo ref, from the content root
    ['@ref//docs/install', 'docs/install.html'],
    ['@ref/unique-name', 'docs/deep/unique-name.html'], // by its name alone
    ['/docs/install/', 'docs/install.html'], // pretty URLs
    ['/docs/install', 'docs/install.html'],
    ['../docs/install/#a', 'docs/install.html#a'],
    ['../../docs/install/', 'docs/install.html'], // relative to the page's pretty folder (blog/post/)
    ['/docs/', 'docs/index.html'],
  ])('%s → %s', (href, expected) => expect(target(href)).toBe(expected));

  it('still reports what exists nowhere', () => {
    expect(target('@/docs/nope.md')).toBe('broken');
    expect(target('/nope/')).toBe('broken');
  });
});

describe('styledUrl', () => {
  it.each([
    ['docs/index.html', 'pretty', 'docs/'],
    ['index.html', 'pretty', './'],
    ['../index.html', 'pretty', '../'],
    ['docs/x.html', 'pretty', 'docs/x.html'],
    ['docs/index.html', 'html', 'docs/index.html'],
  ] as const)('%s (%s) → %s', (url, style, expected) => expect(styledUrl(url, style)).toBe(expected));
});

describe('compareForListing', () => {
  it('orders by weight, then newest date, then title', () => {
    const page = (title: string, extra: Partial<PageSummary> = {}): PageSummary => ({ sourcePath: `${title}.md`, outputPath: `${title}.html`, kind: 'page', title, ...extra });
    const pages = [page('c'), page('old', { date: '2023-01-01' }), page('heavy', { weight: 5, date: '2025-01-01' }), page('new', { date: '2024-01-01' }), page('a'), page('light', { weight: -1 })];
    expect(pages.sort(compareForListing('en')).map((entry) => entry.title)).toEqual(['light', 'new', 'old', 'a', 'c', 'heavy']);
  });
});

describe('optional Markdown: GitHub alerts and definition lists', () => {
  const words = { note: 'Note', tip: 'Tip', important: 'Important', warning: 'Warning', caution: 'Caution' };
  const render = (text: string, definitionLists = false) =>
    renderMarkdown(text, { allowHtml: false, footnoteLabel: 'Notes', footnoteBackLabel: 'Back', definitionLists }).html;

  it('turns a blockquote opening with [!WARNING] into an alert with a title, and leaves other quotes alone', () => {
    expect(renderAlerts(render('> [!WARNING]\n> Hot kiln.\n\n> Plain quote'), words)).toBe(
      '<blockquote class="alert alert-warning">\n<p class="alert-title">Warning</p>\n<p>Hot kiln.</p>\n</blockquote>\n<blockquote>\n<p>Plain quote</p>\n</blockquote>',
    );
    expect(renderAlerts(render('> [!TIP]\n>\n> Second paragraph.'), words)).toBe('<blockquote class="alert alert-tip">\n<p class="alert-title">Tip</p>\n<p>Second paragraph.</p>\n</blockquote>');
  });

  it('makes definition lists only when asked', () => {
    const text = 'Glaze\n: A glassy coating fired onto clay.\n';
    expect(render(text, true)).toBe('<dl>\n<dt>Glaze</dt>\n<dd>A glassy coating fired onto clay.</dd>\n</dl>');
    expect(render(text).trim()).toBe('<p>Glaze\n: A glassy coating fired onto clay.</p>');
  });
});
