import {
  decodeUrlPath,
  encodeUrlPath,
  isMarkdownPath,
  normalizeSitePath,
  outputPathFor,
  relativeUrl,
  resolveSitePath,
  rootPrefix,
} from '../../lib/builder/load/url-map.js';

describe('outputPathFor', () => {
  it.each([
    ['page.md', 'page.html'],
    ['dir/index.md', 'dir/index.html'],
    ['notes/Réunion 2.md', 'notes/Réunion 2.html'],
    ['README.MARKDOWN', 'index.html'],
    ['docs/README.md', 'docs/index.html'],
    ['docs/_index.md', 'docs/index.html'],
    ['404.md', '404.html'],
    ['images/logo.png', 'images/logo.png'],
    ['doc.md.txt', 'doc.md.txt'],
  ])('%s → %s', (source, output) => expect(outputPathFor(source)).toBe(output));

  it('writes pretty URLs as folders, except for section pages and 404, and takes a slug for the file name', () => {
    expect(outputPathFor('docs/x.md', 'pretty')).toBe('docs/x/index.html');
    expect(outputPathFor('docs/_index.md', 'pretty')).toBe('docs/index.html');
    expect(outputPathFor('404.md', 'pretty')).toBe('404.html');
    expect(outputPathFor('docs/x.md', 'html', 'nouveau-nom')).toBe('docs/nouveau-nom.html');
    expect(outputPathFor('docs/x.md', 'pretty', 'nouveau-nom')).toBe('docs/nouveau-nom/index.html');
  });

  it('recognises Markdown by extension only', () => {
    expect(isMarkdownPath('a/b.md')).toBe(true);
    expect(isMarkdownPath('a/md')).toBe(false);
  });
});

describe('normalizeSitePath', () => {
  it('turns NFD names (macOS) into NFC', () => {
    const nfd = 'Re\u0301union.md';
    expect(normalizeSitePath(nfd)).toBe('Réunion.md');
    expect(normalizeSitePath(nfd)).not.toBe(nfd);
  });
});

describe('encodeUrlPath / decodeUrlPath', () => {
  it('percent-encodes each segment, keeping the slashes', () => {
    expect(encodeUrlPath('notes/Réunion 2.html')).toBe('notes/R%C3%A9union%202.html');
    expect(encodeUrlPath('a#b?c.html')).toBe('a%23b%3Fc.html');
  });
  it('decodes to NFC and tolerates a malformed escape', () => {
    expect(decodeUrlPath('R%C3%A9union%202.md')).toBe('Réunion 2.md');
    expect(decodeUrlPath('Re%CC%81union.md')).toBe('Réunion.md');
    expect(decodeUrlPath('100%.md')).toBe('100%.md');
  });
  it('round-trips', () => {
    const sitePath = 'dossier/Été à Noël (2).html';
    expect(decodeUrlPath(encodeUrlPath(sitePath))).toBe(sitePath);
  });
});

describe('relativeUrl', () => {
  it.each([
    ['index.html', 'about.html', 'about.html'],
    ['docs/a.html', 'docs/b.html', 'b.html'],
    ['docs/a.html', 'index.html', '../index.html'],
    ['a/b/c.html', 'x/y.html', '../../x/y.html'],
    ['index.html', 'notes/index.html', 'notes/index.html'],
    ['docs/a.html', 'docs/a.html', 'a.html'],
    ['notes/x.html', 'notes/Réunion 2.html', 'R%C3%A9union%202.html'],
  ])('from %s to %s is %s', (from, to, url) => expect(relativeUrl(from, to)).toBe(url));

  it('rootPrefix climbs once per folder', () => {
    expect(rootPrefix('index.html')).toBe('');
    expect(rootPrefix('a/b/c.html')).toBe('../../');
  });
});

describe('resolveSitePath', () => {
  it.each([
    ['index.md', 'about.md', 'about.md'],
    ['docs/a.md', 'b.md', 'docs/b.md'],
    ['docs/a.md', '../about.md', 'about.md'],
    ['docs/a.md', './b.md', 'docs/b.md'],
    ['docs/a.md', '/about.md', 'about.md'],
    ['docs/a.md', '.', 'docs'],
    ['index.md', '.', ''],
  ])('from %s, %s is %s', (from, link, resolved) => expect(resolveSitePath(from, link)).toBe(resolved));

  it('refuses to climb above the site root', () => {
    expect(resolveSitePath('index.md', '../secret.md')).toBeUndefined();
    expect(resolveSitePath('docs/a.md', '../../x.md')).toBeUndefined();
  });
});
