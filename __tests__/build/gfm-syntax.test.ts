import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { micromark, parse, postprocess, preprocess } from 'micromark';
import { frontmatter, frontmatterHtml } from 'micromark-extension-frontmatter';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { frontMatterEnd, syntaxNeeds } from '../../lib/build/render/gfm-syntax.js';
import { frontMatterEndsAt, renderMarkdown } from '../../lib/build/render/markdown.js';

/** What micromark with every GFM construct makes of `text`: the reference the pruned parsers must match. */
const reference = (text: string, allowHtml: boolean) =>
  micromark(text, {
    allowDangerousHtml: allowHtml,
    extensions: [gfm(), frontmatter()],
    htmlExtensions: [gfmHtml({ label: 'Notes', backLabel: 'Retour' }), frontmatterHtml()],
  });
const rendered = (text: string, allowHtml: boolean) => renderMarkdown(text, { allowHtml, footnoteLabel: 'Notes', footnoteBackLabel: 'Retour' }).html;

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
];

/** Every Markdown file of the example site and of the golden sites. */
function projectPages(): string[] {
  const roots = ['site-src', '__tests__/build/golden'];
  return roots.flatMap((root) =>
    (readdirSync(root, { recursive: true }) as string[]).filter((file) => file.endsWith('.md')).map((file) => readFileSync(path.join(root, file), 'utf8')),
  );
}

/** Short random texts over the characters the constructs start on, from a fixed seed so a failure can be replayed. */
function randomTexts(count: number): string[] {
  const alphabet = ['|', ':', '-', '~', '[', ']', '^', '@', 'w', 'ww', 'www.', '.', '/', 'http', 's', 'x', 'a', 'A', ' ', ' ', '\n', '\n', '*', '`', '(', ')', '!', '\\', '>', '1'];
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
  });

  it.each(TRICKY)('render %j exactly as the full GFM parser does', (text) => {
    expect(rendered(text, false)).toBe(reference(text, false));
    expect(rendered(text, true)).toBe(reference(text, true));
  });

  it('render every page of the example and golden sites exactly as the full GFM parser does', () => {
    const pages = projectPages();
    expect(pages.length).toBeGreaterThan(10);
    for (const text of pages) expect(rendered(text, false)).toBe(reference(text, false));
  });

  it('render 3,000 random texts exactly as the full GFM parser does', () => {
    const mismatches = randomTexts(3000).filter((text) => rendered(text, false) !== reference(text, false));
    expect(mismatches).toEqual([]);
  });

  it('render 1,000 random texts behind random fences exactly as the full GFM parser does', () => {
    const parts = randomTexts(3000);
    const fences = ['---\n', '---', '--- \n', '\n---\n', '----\n', ' ---\n'];
    const texts = Array.from({ length: 1000 }, (_, index) => `---\n${parts[3 * index]}${fences[index % fences.length]}${parts[3 * index + 1]}\n---\n${parts[3 * index + 2]}`);
    const mismatches = texts.filter((text) => rendered(text, false) !== reference(text, false));
    expect(mismatches).toEqual([]);
  });
});

describe('front matter', () => {
  it('is left out when judging what the body needs, so `title: …` asks for no table or autolink', () => {
    const text = '---\ntitle: a: b | c\n---\n\nplain prose';
    expect(syntaxNeeds(text.slice(frontMatterEnd(text))).table).toBe(false);
    expect(frontMatterEnd('no front matter')).toBe(0);
    expect(frontMatterEnd('---\nnever closed')).toBe(0);
  });

  it.each(['---\ntitle: x\n---\n\nbody', '---\r\ntitle: x\r\n---\r\nbody', '--- \ntitle: x\n---\t\n', '---\n---\nbody'])(
    'is found where micromark ends it in %j, so the body is parsed once',
    (text) => {
      const events = postprocess(parse({ extensions: [frontmatter()] }).document().write(preprocess()(text, undefined, true)));
      expect(frontMatterEnd(text)).toBeGreaterThan(0);
      expect(frontMatterEndsAt(events, text, frontMatterEnd(text))).toBe(true);
    },
  );

  it.each([
    '---\ntitle: x\n---\n\na\n:-:',
    '---\ntitle: x\n---',
    '---  \ntitle: x\n---\t\nsee https://example.org',
    '---\r\ntitle: x\r\n---\r\n\r\n| a |\r\n| - |',
    // Not front matter for micromark (the fence is indented or too long): the whole text must be judged.
    '---\ntitle: x\n ---\n\na | b\n- | -',
    '---\ntitle: x\n----\n| a |\n| - |\n---\n',
    '----\ntitle: x\n---\n| a |\n| - |',
    '---\n| a |\n| - |\n---\n\nx',
    '\n---\ntitle: x\n---\na@b.example',
  ])('renders %j exactly as the full GFM parser does', (text) => {
    expect(rendered(text, false)).toBe(reference(text, false));
  });
});
