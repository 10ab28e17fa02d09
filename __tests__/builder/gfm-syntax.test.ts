import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { parseFrontMatter } from '../../lib/builder/load/front-matter.js';
import { gfmSyntaxFor, syntaxNeeds } from '../../lib/builder/render/gfm-syntax.js';
import { lineEndingFix } from '../../lib/builder/render/line-ending-fix.js';
import { renderMarkdown } from '../../lib/builder/render/markdown.js';
import { tableStartLines } from '../../lib/builder/render/table-start.js';

/** What micromark with every GFM construct makes of `text`: the reference the pruned parsers must match. */
const reference = (text: string, allowHtml: boolean) =>
  micromark(text, {
    allowDangerousHtml: allowHtml,
    extensions: [gfm()],
    htmlExtensions: [gfmHtml({ label: 'Notes', backLabel: 'Retour' }), lineEndingFix],
  });
const rendered = (text: string, allowHtml: boolean, bodyLine = 1) => renderMarkdown(text, { allowHtml, footnoteLabel: 'Notes', footnoteBackLabel: 'Retour' }, bodyLine).html;

/** A page's body as the loader sees it: the lines below its front matter, and the line they start at. */
function bodyOf(text: string): { body: string; bodyLine: number } {
  const { bodyLine } = parseFrontMatter(text, 'page.md');
  return { body: text.split('\n').slice(bodyLine - 1).join('\n'), bodyLine };
}

const TRICKY = [
  'a\n:-:',
  'a\n-:',
  'a | b\n- | -\n1 | 2',
  '| a |\n| - |',
  'x www.example.org y',
  'WWW.EXAMPLE.ORG',
  'see https://example.org/a?b=c.',
  'Http://A.b and mailto:a@b.example and xmpp:a@b.example/c',
  'write to someone@example.org.',
  '~~old~~ and ~single~',
  '- [ ] todo\n- [x] done',
  'Text[^1] and [^note].\n\n[^1]: One.\n[^note]: Two\n    continued.',
  '[^1]: a definition alone',
  '[x][ref]\n\n[ref]: https://example.org "title"',
  '---\ntitle: a | b\n---\n\nbody',
  '<b>x</b> <script>alert(1)</script>',
  '```js\na | b ~~ c @ d [^e]\n```',
  '`www.example.org` and \\@ and \\| and \\~',
  'Thematic\n---\n\n***\n\n- - -',
  '&#64; &#124; &#126; &#91;^1]',
  'Note: see https://example.org | not a table',
  '> a | b\n> --- | ---\n> 1 | 2',
  '> > | a |\n> > |:--|',
  '- item\n\n  | a | b |\n  |:-|-:|\n  | 1 | 2 |',
  '[^1]: note\n\n    | a |\n    | - |',
  'a\t|\tb\n-\t|\t-',
  'a | b\r\n--|--\r\n1 | 2',
  '| a |\n|---|\n\n- - -\n\n:---:',
  'see [a](https://x.org/1#b) and https://y.org',
  '\\[a](https://x.org)',
  '[b][a](https://x.org)\n\n[a]: /u',
  '[`a](https://x.org)`',
  '`[a](https://x.org)` [b](https://y.org)',
  'Text [^1](https://x.org)\n\n[^1]: note',
  '[a](https://x.org "t https://y.org")',
  '[https://y.org](https://x.org)',
  '[a [b](https://x.org) c](https://y.org)',
  'x](https://x.org)',
  '![i](https://x.org/i.png) and [a](HTTP://x.org) www.x.org',
  '[a](<https://x.org>) [b](https://x.org/(c))',
  '[a](https://x.org)\n\n[b]: https://y.org',
  '<span title="[a](https://x.org)">[b](https://y.org)</span>',
];

/** Every Markdown file of the example site and of the golden sites. */
function projectPages(): string[] {
  const roots = ['site-src', '__tests__/builder/golden'];
  return roots.flatMap((root) =>
    (readdirSync(root, { recursive: true }) as string[]).filter((file) => file.endsWith('.md')).map((file) => readFileSync(path.join(root, file), 'utf8')),
  );
}

/** Short random texts over the characters the constructs start on, from a fixed seed so a failure can be replayed. */
function randomTexts(count: number, alphabet = ['|', ':', '-', '~', '[', ']', '^', '@', 'w', 'ww', 'www.', '.', '/', 'http', 's', 'x', 'a', 'A', ' ', ' ', '\n', '\n', '*', '`', '(', ')', '!', '\\', '>', '1']): string[] {
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  return Array.from({ length: count }, () => Array.from({ length: 1 + Math.floor(random() * 40) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(''));
}

describe('pruned GFM parsers', () => {
  it('judge what a text needs from the characters each construct cannot do without', () => {
    expect(syntaxNeeds('plain prose.')).toEqual({ emailAutolink: false, linkAutolink: false, footnote: false, strikethrough: false, table: false, taskListItem: false });
    expect(syntaxNeeds('a@b https://x | ^ ~ [\n-|-')).toEqual({ emailAutolink: true, linkAutolink: true, footnote: true, strikethrough: true, table: true, taskListItem: true });
    expect(syntaxNeeds('WwW.example.org').linkAutolink).toBe(true);
    expect(syntaxNeeds('a\n:-:').table).toBe(true);
    expect(syntaxNeeds('Note: a | b - c, https://example.org').table).toBe(false);
    expect(syntaxNeeds('Time: 10:30, see [a](https://x.org/1#b) and ![i](http://x.org/i.png).').linkAutolink).toBe(false);
    expect(syntaxNeeds('see [a](https://x.org) or https://y.org').linkAutolink).toBe(true);
    expect(syntaxNeeds('\\[a](https://x.org)').linkAutolink).toBe(true);
    expect(syntaxNeeds('[https://y.org](https://x.org)').linkAutolink).toBe(true);
  });

  it.each(TRICKY)('render %j exactly as the full GFM parser does', (text) => {
    expect(rendered(text, false)).toBe(reference(text, false));
    expect(rendered(text, true)).toBe(reference(text, true));
  });

  it('render every page of the example and golden sites exactly as the full GFM parser does', () => {
    const pages = projectPages();
    expect(pages.length).toBeGreaterThan(10);
    for (const text of pages) {
      const { body, bodyLine } = bodyOf(text);
      expect(rendered(text, false, bodyLine)).toBe(reference(body, false));
    }
  });

  it('render 3,000 random texts exactly as the full GFM parser does', () => {
    const mismatches = randomTexts(3000).filter((text) => rendered(text, false) !== reference(text, false));
    expect(mismatches).toEqual([]);
  });

  it('leave the literal autolink out of 3,000 random texts of links and URLs only where it changes nothing', () => {
    const parts = ['[a](https://x.org)', '[', ']', '](', '(', ')', 'https://x.org', 'http:', 'www.x', 'a', ' ', '\n', '\\', '`', '!', '^', '[^1]', '<', '>', '"', '*', '\n[a]: /u\n'];
    // The reference: the same pruned parser with the literal autolink always on (the full parser differs on a few of these texts for other reasons).
    const withAutolink = (text: string) =>
      micromark(text, {
        allowDangerousProtocol: true,
        extensions: gfmSyntaxFor({ ...syntaxNeeds(text), linkAutolink: true }),
        htmlExtensions: [gfmHtml({ label: 'Notes', backLabel: 'Retour' }), lineEndingFix],
      });
    const texts = randomTexts(3000, parts);
    expect(texts.filter((text) => !syntaxNeeds(text).linkAutolink).length).toBeGreaterThan(100);
    expect(texts.filter((text) => rendered(text, false) !== withAutolink(text))).toEqual([]);
  });
});

describe('front matter', () => {
  it.each([
    '---\ntitle: "a: b | c"\n---\n\nplain prose',
    '---\ntitle: x\n---\n\na\n:-:',
    '---\ntitle: x\n---',
    '---\ntitle: x\n...\nsee https://example.org',
    '---  \ntitle: x\n---\t\nsee https://example.org',
    '---\r\ntitle: x\r\n---\r\n\r\n| a |\r\n| - |',
    '---\ntitle: x\n---\n| a |\n| - |\n---\n',
    '\n---\ntitle: x\n---\na@b.example',
    '---\n\nA rule, then text (no front matter).',
  ])('is left out of %j where the loader ends it, and the body renders as the full GFM parser renders it', (text) => {
    const { body, bodyLine } = bodyOf(text);
    expect(rendered(text, false, bodyLine)).toBe(reference(body, false));
  });
});

describe('table construct tried only above a possible delimiter row', () => {
  it('names the lines followed by a line that could be a delimiter row, with any line ending', () => {
    expect([...tableStartLines('a | b\n- | -\n1 | 2')]).toEqual([1]);
    expect([...tableStartLines('x\r\n> a\r> |:-|\n\n  - a\n    --|--\n')]).toEqual([2, 5]);
    expect([...tableStartLines('a\n---\nb\n- item\nc\n:--')]).toEqual([5]);
    expect([...tableStartLines('a | b: c - d\nplain')]).toEqual([]);
  });

  const TABLES = [
    'a | b\n- | -\n1 | 2\n3 | 4',
    'para\nmore\na | b\n- | -\n1 | 2',
    'a | b\n- | -\n1 | 2\n\nafter',
    '| a |\n| - |\n| 1 |\nlazy\n| 2 |',
    '> a | b\n> - | -\n> 1 | 2\nlazy | row',
    '> a | b\n- | -',
    '- a | b\n  - | -\n  1 | 2\n- c | d\n  :-: | --:',
    '1. a | b\n   -|-\n\n   c | d\n   -|-',
    'a | b\r- | -\r1 | 2',
    'a | b\r\n- | -\r\n1 | 2',
    '    a | b\n    - | -',
    'a | b\n    - | -',
    '\ta | b\n\t- | -',
    '# h | x\n- | -',
    'a | b\n- | -\n- | -\n- | -',
    'a\\|b | c\n-|-\n`x|y` | z',
    '```\na | b\n- | -\n```\nc | d\n- | -',
    '<div>\na | b\n- | -\n</div>\n\na | b\n- | -',
    'Title\n=====\na | b\n:--|--:\n1|2',
    '[^1]: a | b\n    - | -\n\nx[^1]',
    'a | b\n-|-\n> quote\nc | d\n-|-',
  ];

  it.each(TABLES)('render %j exactly as the full GFM parser does', (text) => {
    expect(rendered(text, false)).toBe(reference(text, false));
    expect(rendered(text, true)).toBe(reference(text, true));
  });

  it('render 3,000 random multi-line texts of table pieces exactly as the full GFM parser does', () => {
    // Lines of row pieces or (one in three) of delimiter-row pieces, behind random container prefixes and line endings.
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = (items: readonly string[]): string => items[Math.floor(random() * items.length)]!;
    const prefixes = ['', '', '', '', '', '', '> ', '- ', '  ', '1. ', '   ', '    ', '\t', '> > ', '# ', '[^1]: ', '```\n'];
    const cells = ['a', 'b c', ' ', '|', '|', '\\|', '`x|y`', '*', '[^1]', '<div>', '='];
    const delimiters = ['-', '--', ':-', '-:', ':-:', '|', '|', '| - ', ' ', '\t'];
    const endings = ['\n', '\n', '\n', '\r\n', '\r', '\n\n'];
    const line = () => {
      const pieces = random() < 0.33 ? delimiters : cells;
      return pick(prefixes) + Array.from({ length: 1 + Math.floor(random() * 6) }, () => pick(pieces)).join('');
    };
    const texts = Array.from({ length: 3000 }, () => Array.from({ length: 2 + Math.floor(random() * 5) }, () => line() + pick(endings)).join(''));
    expect(texts.filter((text) => reference(text, false).includes('<table>')).length).toBeGreaterThan(50);
    expect(texts.filter((text) => rendered(text, false) !== reference(text, false))).toEqual([]);
  });
});
