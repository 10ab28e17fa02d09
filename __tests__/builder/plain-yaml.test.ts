/** The front matter read without the YAML parser reads as the parser reads it, or is left to the parser. */
import { parseDocument } from 'yaml';
import { parseFrontMatter, plainYaml } from '../../lib/builder/load/front-matter.js';

const PLAIN = ['title: Hello world', 'title: Été à Paris\nlayout: post', 'title: Note 5\nweight_x: Abc', 'title: a  b\nslug: xy\n', 'title: Zed'];
const NOT_PLAIN = [
  'title: true', 'title: No', 'title: NULL', 'title: y', 'title: 12', 'title: 1e5', 'title: 0x1F', 'title: .inf', 'title: "quoted"',
  'title: a: b', 'title: a # comment', 'title: a\ntitle: b', 'title: trailing ', 'title:  two spaces first', '  title: indented',
  'title: a\r', 'title:', 'date: 2024-01-01', 'tags: [a, b]', '__proto__: x', '# comment', 'title: a\n\nlayout: b', '',
];

describe('plainYaml', () => {
  it.each(PLAIN)('reads %j as the YAML parser does, with the lines of its keys', (raw) => {
    const plain = plainYaml(raw);
    expect(plain?.data).toEqual(parseDocument(raw).toJS());
    raw.split('\n').forEach((row, index) => {
      const key = row.split(':')[0]!;
      if (key !== '') expect(plain!.lineOf(key)).toBe(index + 2);
    });
  });

  it.each(NOT_PLAIN)('leaves %j to the parser', (raw) => {
    expect(plainYaml(raw)).toBeUndefined();
  });

  it('gives parseFrontMatter the same page either way', () => {
    const page = '---\ntitle: Bonjour tout le monde\nlayout: post\nlegacy_key: Vieux\n---\nTexte.\n';
    const split = parseFrontMatter(page, 'p.md');
    expect(split.frontMatter).toMatchObject({ title: 'Bonjour tout le monde', layout: 'post', extra: { legacy_key: 'Vieux' } });
    expect(split.unknownKeys).toEqual([{ key: 'legacy_key', line: 4 }]);
    expect(split.bodyLine).toBe(6);
  });
});
