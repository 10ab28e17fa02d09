import { collectAliases, normalizeAlias } from '../../lib/builder/load/aliases.js';
import { renderFeed } from '../../lib/builder/render/feed.js';
import { parseSiteConfig } from '../../lib/builder/load/site-config.js';
import { renderSitemap } from '../../lib/builder/render/sitemap.js';
import type { PageSummary } from '../../lib/builder/load/site-map.js';
import { formatDate, toIsoDateTime, wordsFor } from '../../lib/builder/load/words.js';

describe('aliases', () => {
  it.each([
    ['ancien/page.html', 'ancien/page.html'],
    ['/ancien/page.html', 'ancien/page.html'],
    ['ancien/', 'ancien/index.html'],
    ['./a/../b.html', 'b.html'],
    ['Re\u0301union.html', 'Réunion.html'],
  ])('normalises %s to %s', (alias, normalized) => expect(normalizeAlias(alias)).toBe(normalized));

  it.each(['', '/', '../outside.html', 'a/../../b.html', 'https://example.org/x', 'a\\b.html'])('rejects %j', (alias) => {
    expect(normalizeAlias(alias)).toBeUndefined();
  });

  it('collects sorted redirects and rejects conflicts', () => {
    const outputs = new Set(['a.html', 'b.html']);
    expect(collectAliases([
      { sourcePath: 'b.md', outputPath: 'b.html', aliases: ['z.html', 'old/b.html'] },
      { sourcePath: 'a.md', outputPath: 'a.html', aliases: ['/m.html'] },
    ], outputs, 'site')).toEqual([
      { from: 'm.html', to: 'a.html' },
      { from: 'old/b.html', to: 'b.html' },
      { from: 'z.html', to: 'b.html' },
    ]);
    expect(() => collectAliases([{ sourcePath: 'a.md', outputPath: 'a.html', aliases: ['b.html'] }], outputs, 'site')).toThrow('site/a.md: alias "b.html" is the path of an existing file');
    expect(() => collectAliases([
      { sourcePath: 'a.md', outputPath: 'a.html', aliases: ['x.html'] },
      { sourcePath: 'b.md', outputPath: 'b.html', aliases: ['x.html'] },
    ], outputs, 'site')).toThrow('site/b.md: alias "x.html" is also an alias of site/a.md');
    expect(() => collectAliases([{ sourcePath: 'a.md', outputPath: 'a.html', aliases: ['../x.html'] }], outputs, 'site')).toThrow('not a path inside the site');
  });
});

describe('dates and words', () => {
  it('formats dates in the site language, in UTC', () => {
    expect(formatDate('2024-03-05', 'fr')).toBe('5 mars 2024');
    expect(formatDate('2024-03-05', 'en')).toBe('March 5, 2024');
    expect(formatDate('2024-09-15T23:30:00-02:00', 'fr')).toBe('16 septembre 2024');
  });
  it('turns front-matter dates into RFC 3339', () => {
    expect(toIsoDateTime('2024-03-05')).toBe('2024-03-05T00:00:00Z');
    expect(toIsoDateTime('2024-03-05T10:00')).toBe('2024-03-05T10:00:00Z');
    expect(toIsoDateTime('2024-03-05T10:00:00+02:00')).toBe('2024-03-05T08:00:00Z');
  });
  it('speaks French and English, English otherwise', () => {
    expect(wordsFor('fr-CA').skipLink).toBe('Aller au contenu');
    expect(wordsFor('en').skipLink).toBe('Skip to content');
    expect(wordsFor('de').skipLink).toBe('Skip to content');
  });
});

const post = (outputPath: string, title: string, date: string, updated?: string): PageSummary => ({
  sourcePath: outputPath.replace('.html', '.md'), outputPath, kind: 'page', title, date, ...(updated ? { updated } : {}),
});

describe('renderFeed', () => {
  const config = { ...parseSiteConfig({ title: 'Ruche & co', baseUrl: 'https://ex.org/site/', language: 'fr', author: 'Amina', feed: { limit: 2 } }, 'f.yaml'), baseUrl: 'https://ex.org/site/' };
  it('writes an Atom feed with absolute URLs, front-matter dates and the limit', () => {
    const feed = renderFeed([
      { post: post('blog/Été.html', 'Été <chaud>', '2024-06-01', '2024-06-03'), content: '<p><a href="x.html">x</a></p>' },
      { post: post('blog/b.html', 'B', '2024-02-01'), content: '' },
      { post: post('blog/a.html', 'A', '2024-01-01'), content: '' },
    ], config);
    expect(feed).toContain('<title>Ruche &amp; co</title>');
    expect(feed).toContain('<updated>2024-06-03T00:00:00Z</updated>\n<author><name>Amina</name></author>');
    expect(feed).toContain('<entry xml:base="https://ex.org/site/blog/%C3%89t%C3%A9.html">\n<title>Été &lt;chaud&gt;</title>');
    expect(feed).toContain('<published>2024-06-01T00:00:00Z</published>\n<updated>2024-06-03T00:00:00Z</updated>');
    expect(feed).toContain('<content type="html">&lt;p&gt;&lt;a href=&quot;x.html&quot;&gt;x&lt;/a&gt;&lt;/p&gt;</content>');
    expect(feed.match(/<entry /g)).toHaveLength(2);
    expect(feed).not.toContain('blog/a.html');
  });
});

describe('renderSitemap', () => {
  it('lists pages by absolute URL, dated from front matter, without the 404 page', () => {
    const sitemap = renderSitemap([
      post('b.html', 'B', '2024-01-01', '2024-02-01'),
      { sourcePath: 'a.md', outputPath: 'a b.html', kind: 'page', title: 'A' },
      { sourcePath: '404.md', outputPath: '404.html', kind: 'not-found', title: 'x' },
    ], 'https://ex.org/');
    expect(sitemap).toBe([
      '<?xml version="1.0" encoding="utf-8"?>',
      '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
      '<url><loc>https://ex.org/a%20b.html</loc></url>',
      '<url><loc>https://ex.org/b.html</loc><lastmod>2024-02-01T00:00:00Z</lastmod></url>',
      '</urlset>',
      '',
    ].join('\n'));
  });
});
