import { renderMarkdown } from '../../lib/builder/render/markdown.js';

const render = (text: string, allowHtml = false) => renderMarkdown(text, { allowHtml, footnoteLabel: 'Notes', footnoteBackLabel: 'Retour' }).html;

describe('renderMarkdown', () => {
  it('skips the lines above the body line the loader gives (front matter)', () => {
    const options = { allowHtml: false, footnoteLabel: 'Notes', footnoteBackLabel: 'Retour' };
    expect(renderMarkdown('---\ntitle: x\n---\n\nHello', options, 4).html).toBe('<p>Hello</p>');
  });
  it('renders GFM: tables, strikethrough, autolinks, task lists, footnotes', () => {
    expect(render('| a | b |\n| - | -: |\n| 1 | 2 |')).toContain('<th align="right">b</th>');
    expect(render('~~old~~')).toBe('<p><del>old</del></p>');
    expect(render('see https://example.org')).toBe('<p>see <a href="https://example.org">https://example.org</a></p>');
    expect(render('- [x] done')).toContain('<input type="checkbox" disabled="" checked="" />');
    const footnote = render('Text[^1]\n\n[^1]: Note.');
    expect(footnote).toContain('<h2 id="footnote-label" class="sr-only">Notes</h2>');
    expect(footnote).toContain('aria-label="Retour"');
  });
  it('escapes raw HTML unless allowed, and never lets a script element through (links: see links.test.ts)', () => {
    expect(render('<b>x</b>')).toBe('<p>&lt;b&gt;x&lt;/b&gt;</p>');
    expect(render('<b>x</b>', true)).toBe('<p><b>x</b></p>');
    expect(render('<script>alert(1)</script>', true)).not.toContain('<script');
  });
  it('keeps the schemes a site may use, which micromark alone would empty', () => {
    expect(render('[call](tel:+33100000000) [chat](matrix:r/room:example.org) <made-up-scheme://foo,bar> [p](foo\\)\\:)')).toBe(
      '<p><a href="tel:+33100000000">call</a> <a href="matrix:r/room:example.org">chat</a> <a href="made-up-scheme://foo,bar">made-up-scheme://foo,bar</a> <a href="foo):">p</a></p>',
    );
    expect(render('![dot](data:image/png;base64,iVBORw0KGgo=)')).toBe('<p><img src="data:image/png;base64,iVBORw0KGgo=" alt="dot" /></p>');
  });
  it('keeps code blocks with their language class', () => {
    expect(render('```sh\necho <hi>\n```')).toBe('<pre><code class="language-sh">echo &lt;hi&gt;\n</code></pre>');
  });
  it('keeps each page to itself although the parser is reused: definitions do not leak', () => {
    expect(render('[ref]: a.md\n\n[x][ref]')).toBe('<p><a href="a.md">x</a></p>');
    expect(render('[x][ref]')).toBe('<p>[x][ref]</p>');
  });
});
