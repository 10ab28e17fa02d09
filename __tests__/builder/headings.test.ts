import { addHeadingIds } from '../../lib/builder/render/headings.js';
import { HeadingSlugger, slugify } from '../../lib/builder/render/slugger.js';

describe('slugify', () => {
  it.each([
    ['Hello World', 'hello-world'],
    ['Sobriété', 'sobriété'],
    ['Été 2024 !', 'été-2024-'],
    ["L'atelier « courriel »", 'latelier--courriel-'],
    ['  padded  ', 'padded'],
    ['snake_case and-dash', 'snake_case-and-dash'],
    ['Привет мир', 'привет-мир'],
    ['日本語の見出し', '日本語の見出し'],
    ['C++ & Rust?', 'c--rust'],
  ])('%s → %s', (text, slug) => expect(slugify(text)).toBe(slug));

  it('normalises NFD text to NFC', () => {
    expect(slugify('Re\u0301union')).toBe('réunion');
  });
});

describe('HeadingSlugger', () => {
  it('numbers repeated headings', () => {
    const slugger = new HeadingSlugger();
    expect(['Notes', 'Notes', 'Notes'].map((text) => slugger.slug(text))).toEqual(['notes', 'notes-1', 'notes-2']);
  });
  it('never hands out a reserved id nor an id it already gave', () => {
    const slugger = new HeadingSlugger(['main']);
    expect(slugger.slug('Main')).toBe('main-1');
    expect(slugger.slug('Main 1')).toBe('main-1-1');
  });
  it('gives empty headings a fallback id', () => {
    const slugger = new HeadingSlugger();
    expect(slugger.slug('!!!')).toBe('section');
    expect(slugger.slug('')).toBe('section-1');
  });
});

describe('addHeadingIds', () => {
  it('adds an id and a self-link to micromark headings and lists them', () => {
    const { html, headings } = addHeadingIds('<h2>Été <em>chaud</em></h2>\n<p>x</p>\n<h3>A &amp; B</h3>');
    expect(html).toBe(
      '<h2 id="été-chaud">Été <em>chaud</em> <a class="self-link" href="#%C3%A9t%C3%A9-chaud" aria-labelledby="été-chaud"></a></h2>\n<p>x</p>\n' +
        '<h3 id="a--b">A &amp; B <a class="self-link" href="#a--b" aria-labelledby="a--b"></a></h3>',
    );
    expect(headings).toEqual([
      { level: 2, id: 'été-chaud', text: 'Été chaud' },
      { level: 3, id: 'a--b', text: 'A & B' },
    ]);
  });
  it('leaves headings with attributes (raw HTML) alone and keeps ids stable across calls', () => {
    const input = '<h2 class="x">Raw</h2><h2>Raw</h2>';
    expect(addHeadingIds(input).html).toContain('<h2 class="x">Raw</h2><h2 id="raw">');
    expect(addHeadingIds(input).html).toBe(addHeadingIds(input).html);
  });
  it('keeps layout ids for the layout', () => {
    expect(addHeadingIds('<h2>Main</h2><h2>TOC</h2>').headings.map((heading) => heading.id)).toEqual(['main-1', 'toc-1']);
  });
});
