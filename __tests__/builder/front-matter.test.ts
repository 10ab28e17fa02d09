import { parseFrontMatter } from '../../lib/builder/load/front-matter.js';
import { FleuronError } from '../../lib/errors/fleuron-error.js';

function errorOf(text: string): FleuronError {
  try {
    parseFrontMatter(text, 'site/page.md');
  } catch (error) {
    return error as FleuronError;
  }
  throw new Error('expected parseFrontMatter to throw');
}

describe('parseFrontMatter', () => {
  it('reads every known key', () => {
    const text = [
      '---',
      'title: Réunion',
      'description: Notes',
      'date: 2024-03-05',
      'updated: 2024-03-06T10:00:00+01:00',
      'draft: true',
      'layout: special',
      'aliases: [ancien.html, /vieux/page.html]',
      'toc: false',
      'weight: 2',
      'tags: [a]',
      '---',
      '# Body',
    ].join('\n');
    const { frontMatter, bodyLine } = parseFrontMatter(text, 'page.md');
    expect(frontMatter).toEqual({
      title: 'Réunion',
      description: 'Notes',
      date: '2024-03-05',
      updated: '2024-03-06T10:00:00+01:00',
      draft: true,
      layout: 'special',
      aliases: ['ancien.html', '/vieux/page.html'],
      toc: false,
      weight: 2,
      extra: { tags: ['a'] },
    });
    expect(bodyLine).toBe(13);
  });

  it('gives defaults to a page without front matter', () => {
    expect(parseFrontMatter('# Just text\n', 'page.md')).toEqual({ frontMatter: { draft: false, aliases: [], extra: {} }, bodyLine: 1 });
  });

  it('accepts an empty block, a single alias, a numeric title, CRLF and a BOM', () => {
    expect(parseFrontMatter('---\n---\nbody', 'p.md').frontMatter.draft).toBe(false);
    expect(parseFrontMatter('---\naliases: old.html\n---\n', 'p.md').frontMatter.aliases).toEqual(['old.html']);
    expect(parseFrontMatter('---\ntitle: 2024\n---\n', 'p.md').frontMatter.title).toBe('2024');
    expect(parseFrontMatter('\uFEFF---\r\ntitle: Hi\r\n---\r\nbody', 'p.md').frontMatter.title).toBe('Hi');
  });

  it('does not take a thematic break in the body for front matter', () => {
    expect(parseFrontMatter('text\n\n---\n\nmore', 'p.md').frontMatter.title).toBeUndefined();
  });

  it('reports invalid YAML with the file line', () => {
    const error = errorOf('---\ntitle: ok\ndescription: [unclosed\n---\n');
    expect(error.code).toBe('front-matter-invalid');
    expect(error.message).toMatch(/^site\/page\.md:\d+: invalid YAML in front matter/);
    expect(Number(/:(\d+):/.exec(error.message)![1])).toBeGreaterThanOrEqual(3);
  });

  it('reports a wrongly typed key at its line', () => {
    expect(errorOf('---\ntitle: ok\ndraft: yes please\n---\n').message).toBe('site/page.md:3: front matter "draft" must be true or false');
    expect(errorOf('---\n\ndate: last tuesday\n---\n').message).toMatch(/^site\/page\.md:3: front matter "date" must be a date/);
    expect(errorOf('---\ndate: 2024-13-45\n---\n').message).toMatch(/^site\/page\.md:2: front matter "date"/);
    expect(errorOf('---\ntitle: [a, b]\n---\n').message).toBe('site/page.md:2: front matter "title" must be text');
    expect(errorOf('---\naliases: [1, 2]\n---\n').message).toMatch(/"aliases" must be a list of site paths/);
    expect(errorOf('---\nweight: heavy\n---\n').message).toMatch(/"weight" must be a number/);
  });

  it('keeps an unknown key (a typo, or another generator\'s) for layouts and names it with its line, without failing', () => {
    const split = parseFrontMatter('---\ntitle: ok\n\ntitel: oops\n---\n', 'site/page.md');
    expect(split.unknownKeys).toEqual([{ key: 'titel', line: 4 }]);
    expect(split.frontMatter.extra).toEqual({ titel: 'oops' });
  });

  it('rejects a block that starts with a key but is never closed', () => {
    expect(errorOf('---\ntitle: ok\n').message).toBe('site/page.md:1: front matter opened with --- is never closed');
    expect(errorOf('---\n# a comment\n\ntitle: ok\n').message).toBe('site/page.md:1: front matter opened with --- is never closed');
  });

  it('takes a first line "---" followed by anything but a key for a thematic break, not front matter', () => {
    for (const text of ['---\n\nText.\n', '---\nText, not YAML.\n\n---\n', '---\n- a\n- b\n---\n', '---\n# Heading\n\ntext\n---\n', '---']) {
      expect(parseFrontMatter(text, 'p.md')).toEqual({ frontMatter: { draft: false, aliases: [], extra: {} }, bodyLine: 1 });
    }
  });

  it('is closed by "..." as by "---", and may hold quoted keys and comments', () => {
    expect(parseFrontMatter('---\ntitle: Dotted\n...\nbody', 'p.md')).toMatchObject({ frontMatter: { title: 'Dotted' }, bodyLine: 4 });
    expect(parseFrontMatter('---\n# comment\n"title": Quoted\n---\n', 'p.md').frontMatter.title).toBe('Quoted');
    expect(parseFrontMatter('---\n\n---\nbody', 'p.md').bodyLine).toBe(4);
  });
});
