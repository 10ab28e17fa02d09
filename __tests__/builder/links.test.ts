import { checkFragments, lineFinder, refusedScheme, resolveLink, rewriteLinks, type LinkTargets } from '../../lib/builder/render/links.js';
import { renderMarkdown } from '../../lib/builder/render/markdown.js';
import { relativeUrl } from '../../lib/builder/load/url-map.js';

const targets: LinkTargets = {
  pages: new Map([
    ['index.md', 'index.html'],
    ['about.md', 'about.html'],
    ['docs/guide.md', 'docs/guide.html'],
    ['notes/Réunion 2.md', 'notes/Réunion 2.html'],
  ]),
  drafts: new Set(['blog/secret.md']),
  outputs: new Set(['index.html', 'about.html', 'docs/guide.html', 'docs/index.html', 'notes/Réunion 2.html', 'notes/index.html', 'images/logo.png', 'files/report 2024.pdf']),
};

describe('resolveLink', () => {
  it.each([
    'https://example.org/page.md',
    'http://x',
    'mailto:someone@example.org',
    'tel:+33100000000',
    '//cdn.example.org/x.css',
    '?only=query',
  ])('leaves %j alone', (href) => expect(resolveLink(href, 'index.md', targets)).toEqual({ kind: 'external' }));

  it('resolves Markdown links to pages, keeping query and fragment', () => {
    expect(resolveLink('about.md', 'index.md', targets)).toEqual({ kind: 'internal', targetOutput: 'about.html', suffix: '' });
    expect(resolveLink('../about.md#team', 'docs/guide.md', targets)).toEqual({ kind: 'internal', targetOutput: 'about.html', suffix: '#team', fragment: 'team' });
    expect(resolveLink('guide.md?x=1#a', 'docs/other.md', targets)).toEqual({ kind: 'internal', targetOutput: 'docs/guide.html', suffix: '?x=1#a', fragment: 'a' });
    expect(resolveLink('/docs/guide.md', 'notes/x.md', targets)).toMatchObject({ targetOutput: 'docs/guide.html' });
  });

  it('decodes percent-escapes and NFD spellings of accented names', () => {
    for (const href of ['R%C3%A9union%202.md', 'Réunion 2.md', 'Re%CC%81union%202.md', 'Re\u0301union 2.md']) {
      expect(resolveLink(href, 'notes/index.md', targets)).toMatchObject({ kind: 'internal', targetOutput: 'notes/Réunion 2.html' });
    }
    expect(resolveLink('../notes/R%C3%A9union%202.md#d%C3%A9cisions', 'docs/guide.md', targets)).toMatchObject({ fragment: 'décisions', suffix: '#d%C3%A9cisions' });
  });

  it('resolves folders to their index page and other files as themselves', () => {
    expect(resolveLink('docs/', 'index.md', targets)).toMatchObject({ targetOutput: 'docs/index.html' });
    expect(resolveLink('notes', 'index.md', targets)).toMatchObject({ targetOutput: 'notes/index.html' });
    expect(resolveLink('.', 'notes/x.md', targets)).toMatchObject({ targetOutput: 'notes/index.html' });
    expect(resolveLink('../', 'docs/guide.md', targets)).toMatchObject({ targetOutput: 'index.html' });
    expect(resolveLink('images/logo.png', 'index.md', targets)).toMatchObject({ targetOutput: 'images/logo.png' });
    expect(resolveLink('files/report%202024.pdf', 'index.md', targets)).toMatchObject({ targetOutput: 'files/report 2024.pdf' });
    expect(resolveLink('docs/guide.html', 'index.md', targets)).toMatchObject({ targetOutput: 'docs/guide.html' });
  });

  it('treats a bare fragment as a link within the page', () => {
    expect(resolveLink('#intro', 'index.md', targets)).toEqual({ kind: 'same-page', fragment: 'intro' });
    expect(resolveLink('#%C3%A9t%C3%A9', 'index.md', targets)).toEqual({ kind: 'same-page', fragment: 'été' });
  });

  it('explains broken links', () => {
    expect(resolveLink('missing.md', 'index.md', targets)).toEqual({ kind: 'broken', reason: 'no page missing.md' });
    expect(resolveLink('blog/secret.md', 'index.md', targets)).toEqual({ kind: 'broken', reason: 'blog/secret.md is a draft (build with --drafts to include it)' });
    expect(resolveLink('images/nope.png', 'index.md', targets)).toEqual({ kind: 'broken', reason: 'no file images/nope.png' });
    expect(resolveLink('../../etc/passwd', 'docs/guide.md', targets)).toEqual({ kind: 'broken', reason: 'points above the site folder' });
    expect(resolveLink('empty/', 'index.md', targets)).toMatchObject({ kind: 'broken' });
  });

  it('reports an empty URL instead of taking it for an external link', () => {
    expect(resolveLink('', 'index.md', targets)).toEqual({ kind: 'broken', reason: 'the link is empty' });
    expect(resolveLink('  ', 'index.md', targets)).toEqual({ kind: 'broken', reason: 'the link is empty' });
  });
});

describe('refusedScheme', () => {
  it.each([
    ['javascript:alert(1)', 'a', 'javascript'],
    ['JavaScript:alert(1)', 'img', 'javascript'],
    [' \u0001javascript:alert(1)', 'a', 'javascript'],
    ['java\tscr\nipt:alert(1)', 'a', 'javascript'],
    ['vbscript:msgbox', 'a', 'vbscript'],
    ['data:text/html,<p>hi', 'a', 'data'],
    ['data:image/png;base64,iVBORw0KGgo=', 'a', 'data'],
    ['data:text/html,<p>hi', 'img', 'data'],
  ])('refuses %j in <%s>', (url, element, scheme) => expect(refusedScheme(url, element)).toBe(scheme));

  it.each([
    ['tel:+33100000000', 'a'],
    ['matrix:r/fleuron:deuxfleurs.fr', 'a'],
    ['mailto:a@b.example', 'a'],
    ['xmpp:a@b.example', 'a'],
    ['geo:48.85,2.35', 'a'],
    ['sms:+33100000000', 'a'],
    ['irc://irc.libera.chat/fleuron', 'a'],
    ['made-up-scheme://foo,bar', 'a'],
    ['foo):', 'a'],
    ['data:image/png;base64,iVBORw0KGgo=', 'img'],
    ['data:image/svg+xml,%3Csvg%3E', 'img'],
    ['data:audio/ogg;base64,T2dnUw==', 'source'],
    ['https://example.org', 'img'],
    ['page.md', 'a'],
  ])('allows %j in <%s>', (url, element) => expect(refusedScheme(url, element)).toBeUndefined());
});

describe('rewriteLinks', () => {
  const rewrite = (html: string, sourcePath = 'docs/guide.md', outputPath = 'docs/guide.html') =>
    rewriteLinks(html, { sourcePath, outputPath, targets, urlTo: (output) => relativeUrl(outputPath, output), lineOf: () => 7 });

  it('rewrites internal hrefs and srcs to relative, encoded output URLs', () => {
    const { html, links, problems } = rewrite(
      '<a href="../about.md#team">a</a> <img src="../images/logo.png" alt="x" /> <a href="../notes/R%C3%A9union%202.md">r</a> <a href="https://example.org/a.md">e</a>',
    );
    expect(html).toBe(
      '<a href="../about.html#team">a</a> <img src="../images/logo.png" alt="x" /> <a href="../notes/R%C3%A9union%202.html">r</a> <a href="https://example.org/a.md">e</a>',
    );
    expect(links).toEqual([{ line: 7, href: '../about.md#team', targetOutput: 'about.html', fragment: 'team' }]);
    expect(problems).toEqual([]);
  });

  it('decodes &amp; in hrefs and escapes it again', () => {
    expect(rewrite('<a href="guide.md?a=1&amp;b=2">x</a>').html).toBe('<a href="guide.html?a=1&amp;b=2">x</a>');
  });

  it('keeps broken links as written and reports them with their line', () => {
    const { html, problems } = rewrite('<a href="nope.md">x</a>');
    expect(html).toBe('<a href="nope.md">x</a>');
    expect(problems).toEqual([{ line: 7, href: 'nope.md', reason: 'no page docs/nope.md' }]);
  });

  it('empties a URL with a refused scheme and reports it, leaving other schemes alone', () => {
    const { html, problems } = rewrite('<a href="javascript:alert(1)">x</a> <img src="data:image/png;base64,AA==" /> <a href="tel:+331">t</a> <a href="">e</a>');
    expect(html).toBe('<a href="">x</a> <img src="data:image/png;base64,AA==" /> <a href="tel:+331">t</a> <a href="">e</a>');
    expect(problems).toEqual([
      { line: 7, href: 'javascript:alert(1)', reason: 'javascript: URLs are not allowed in links, so it was emptied', severity: 'warning' },
      { line: 7, href: '', reason: 'the link is empty', severity: 'warning' },
    ]);
  });

  it('records same-page fragments for checking, against the page itself', () => {
    expect(rewrite('<a href="#setup">x</a>').links).toEqual([{ line: 7, href: '#setup', targetOutput: 'docs/guide.html', fragment: 'setup' }]);
  });
});

describe('lineFinder', () => {
  const text = ['---', 'title: x', '---', '', 'See [a](about.md) and', '[b](<Réunion 2.md>) then [c][ref].', '', '[ref]: docs/guide.md', 'again [a](about.md)'].join('\n');
  const { destinations } = renderMarkdown(text, { allowHtml: false, footnoteLabel: 'Notes', footnoteBackLabel: 'Back' });

  it('finds each destination at its own line, in order for repeats', () => {
    const lineOf = lineFinder(destinations, text, 4);
    expect(lineOf('about.md')).toBe(5);
    expect(lineOf('R%C3%A9union%202.md')).toBe(6);
    expect(lineOf('docs/guide.md')).toBe(8);
    expect(lineOf('about.md')).toBe(9);
  });

  it('falls back to searching the text, then to the first body line', () => {
    const lineOf = lineFinder([], 'a\n<a href="raw.md">\n', 1);
    expect(lineOf('raw.md')).toBe(2);
    expect(lineOf('nowhere.md')).toBe(1);
  });
});

describe('checkFragments', () => {
  const ids = new Map([['about.html', new Set(['team', 'été'])]]);
  it('accepts existing ids, #top and links to files that are not pages', () => {
    expect(
      checkFragments(
        [
          { line: 1, href: 'about.md#team', targetOutput: 'about.html', fragment: 'team' },
          { line: 2, href: 'about.md#%C3%A9t%C3%A9', targetOutput: 'about.html', fragment: 'été' },
          { line: 3, href: 'about.md#top', targetOutput: 'about.html', fragment: 'top' },
          { line: 4, href: 'x.pdf#page=2', targetOutput: 'x.pdf', fragment: 'page=2' },
        ],
        ids,
      ),
    ).toEqual([]);
  });
  it('reports a missing id', () => {
    expect(checkFragments([{ line: 9, href: 'about.md#nope', targetOutput: 'about.html', fragment: 'nope' }], ids)).toEqual([
      { line: 9, href: 'about.md#nope', reason: 'no heading or anchor #nope in about.html' },
    ]);
  });
});
