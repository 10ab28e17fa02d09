/**
 * fleuron against commonmark.js, the CommonMark reference implementation, over every Markdown file the repository
 * holds (the example site, the golden sites, the fixtures, the documentation, and whatever fixture comes next): the text of every code block
 * and paragraph must agree (HTML comments too, where the page keeps them). The HTML itself may differ (GFM extensions, heading ids), so the texts are
 * compared, after undoing what GFM does on purpose. The next upstream bug that loses or adds text is caught here.
 */
import { Parser, HtmlRenderer } from 'commonmark';
import fg from 'fast-glob';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseFrontMatter } from '../../lib/builder/load/front-matter.js';
import { decodeEntities } from '../../lib/builder/render/html-text.js';
import { markdownSource } from '../../lib/builder/render/markdown-source.js';
import { buildRenderer, type RenderBody } from './support/build-renderer.js';

/** Every Markdown file of the repository but the spec data (the conformance test's) and build outputs. */
function markdownFiles(): string[] {
  const ignore = ['**/node_modules/**', 'dist/**', 'public/**', '**/.fleuron/**', '__tests__/markdown/spec-data/**'];
  return fg.sync('**/*.{md,markdown}', { ignore }).sort();
}

type Kind = 'code' | 'paragraph' | 'comment';
interface Block {
  kind: Kind;
  text: string;
}

const BLOCKS = /<pre\b[^>]*>([\s\S]*?)<\/pre>|<p\b[^>]*>([\s\S]*?)<\/p>|<!--([\s\S]*?)-->/g;
const textOf = (html: string) => decodeEntities(html.replace(/<[^>]*>/g, ''));

/** The code blocks, paragraphs and comments of an HTML fragment, in order, as text (a paragraph's lines kept). */
function blocksOf(html: string): Block[] {
  return Array.from(html.matchAll(BLOCKS), ([, code, paragraph, comment]): Block => {
    if (code !== undefined) return { kind: 'code', text: textOf(code) };
    if (paragraph !== undefined) return { kind: 'paragraph', text: textOf(paragraph) };
    return { kind: 'comment', text: comment! };
  });
}

/** How a paragraph reads: spaces and line breaks inside it show as one space, and `~~` is GFM's strikethrough. */
const paragraphText = (text: string) => text.replace(/~/g, '').replace(/\s+/g, ' ').trim();

/** fleuron's blocks, without the footnotes GFM adds (section and calls). */
function fleuronBlocks(html: string): Block[] {
  const withoutFootnotes = html.replace(/<section data-footnotes[\s\S]*?<\/section>/g, '').replace(/<sup><a [^>]*data-footnote-ref[^>]*>[\s\S]*?<\/a><\/sup>/g, '');
  return blocksOf(withoutFootnotes).map(({ kind, text }) => ({ kind, text: kind === 'paragraph' ? paragraphText(text) : text }));
}

/** A table's delimiter row (`| --- | :-: |`): commonmark.js leaves a GFM table as a paragraph. */
const DELIMITER_ROW = /^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/m;
const FOOTNOTE_DEFINITION = /^\[\^[^\]\s]+\]:/;
const FOOTNOTE_CALL = /\[\^[^\]\s]+\]/g;
const TASK_MARKER = /^\[[ xX]\][ \t]/;

/**
 * commonmark.js's blocks as a fleuron page reads the same text: no tables or footnote definitions, no footnote calls
 * or task markers (GFM), and no HTML comments: raw HTML passes through the sanitiser (html-sanitizer.ts, on with
 * allowHtml), which drops them. (The line endings of HTML blocks after definitions keep their own tests.)
 */
function referenceBlocks(html: string): Block[] {
  return blocksOf(html)
    .filter(({ kind }) => kind !== 'comment')
    .filter(({ kind, text }) => kind !== 'paragraph' || !(DELIMITER_ROW.test(text) || FOOTNOTE_DEFINITION.test(text)))
    .map(({ kind, text }) => ({ kind, text: kind === 'paragraph' ? paragraphText(text.replace(FOOTNOTE_CALL, '').replace(TASK_MARKER, '')) : text }));
}

/** What commonmark.js makes of a page: its body only, front matter found by fleuron's loader. */
function referenceHtml(text: string): string {
  const { bodyLine } = parseFrontMatter(text, 'page.md');
  // What fleuron's renderer reads too: template tags it does not run taken out (see markdown-source.ts).
  const body = markdownSource(text).split('\n').slice(bodyLine - 1).join('\n');
  return new HtmlRenderer().render(new Parser().parse(body));
}

const files = markdownFiles();
let render: RenderBody;
beforeAll(async () => {
  render = await buildRenderer();
});

it('reads the repository\'s fixture sites and documentation', () => {
  expect(files).toEqual(expect.arrayContaining(['site-src/index.md', '__tests__/markdown/fixtures/reference-links-then-code.md', 'README.md']));
  expect(files.filter((file) => file.startsWith('__tests__/builder/golden/')).length).toBeGreaterThan(3);
  const blocks = files.flatMap((file) => referenceBlocks(referenceHtml(readFileSync(path.resolve(file), 'utf8'))));
  expect(blocks.filter((block) => block.kind === 'code').length).toBeGreaterThan(20);
  expect(blocks.filter((block) => block.kind === 'paragraph').length).toBeGreaterThan(50);
});

it.each(files)('%s: every code block, paragraph and comment has the text commonmark.js gives it', (file) => {
  const text = readFileSync(path.resolve(file), 'utf8');
  expect(fleuronBlocks(render(text))).toEqual(referenceBlocks(referenceHtml(text)));
});
