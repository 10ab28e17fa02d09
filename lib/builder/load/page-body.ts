/**
 * What the loader learns from a page's Markdown body besides its front matter: the first `# heading` (the title
 * of a page whose front matter gives none), the template tags fleuron does not run (reported at the end of the
 * build), and whether it includes other files (read again at every build, see includes.ts).
 */
import { findTemplateTags, type TagSyntax } from './template-tags.js';
import { hasIncludes } from './includes.js';

export interface TagUse {
  syntax: TagSyntax;
  name: string;
  line: number;
}

export interface BodyFacts {
  heading?: string;
  tags?: TagUse[];
  includes?: boolean;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const ATX_TITLE = /^ {0,3}#[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
const SETEXT_TITLE = /^ {0,3}=+[ \t]*$/;

/**
 * Facts about `text` (a whole page file) from `bodyStart` on; line numbers are the file's. The heading is looked
 * for only when `wantsHeading` (a page whose front matter has a title needs none).
 */
export function bodyFacts(text: string, bodyStart: number, wantsHeading = true, originalText = text): BodyFacts {
  const facts: BodyFacts = {};
  const heading = wantsHeading ? firstHeading(text.slice(bodyStart)) : undefined;
  if (heading) facts.heading = heading;
  // Tags are reported at the lines the author wrote: the file as read, before includes were expanded.
  const tags = findTemplateTags(originalText).filter((tag) => tag.start >= Math.min(bodyStart, originalText.length));
  if (tags.length > 0) facts.tags = tags.map(({ syntax, name, line }) => ({ syntax, name, line }));
  if (hasIncludes(originalText)) facts.includes = true;
  return facts;
}

/** The text of the first level-1 heading (ATX `# Title` or setext `Title` over `===`), outside fenced code. */
export function firstHeading(body: string): string | undefined {
  const lines = body.split('\n', 2000);
  let fence: string | undefined;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!.replace(/\r$/, '');
    const opening = FENCE.exec(line);
    if (fence) {
      if (opening && opening[1]![0] === fence[0] && opening[1]!.length >= fence.length && line.trim() === opening[1]) fence = undefined;
      continue;
    }
    if (opening) {
      fence = opening[1]!;
      continue;
    }
    const atx = ATX_TITLE.exec(line);
    if (atx) return plainHeading(atx[1]!);
    const next = lines[index + 1]?.replace(/\r$/, '');
    if (next !== undefined && line.trim() !== '' && SETEXT_TITLE.test(next) && !/^ {4}/.test(line)) return plainHeading(line);
  }
  return undefined;
}

/** `Hello *world* [link](x.md) {#id}` → `Hello world link`: the heading as a reader sees it. */
export function plainHeading(markdown: string): string | undefined {
  const text = withoutHeadingAttributes(markdown)
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\\([!-/:-@[-`{-~])/g, '$1')
    .replace(/(\*\*|__|\*|`)/g, '')
    .trim();
  return text === '' ? undefined : text;
}

/** Heading attributes (`{#id}`, `{#id .class}`, Zola, Hugo and Pandoc) at the end of a heading's text. */
export const HEADING_ATTRIBUTES = /[ \t]*\{#([^\s{}]+)(?:[ \t]+[^{}]*)?\}[ \t]*$/;

export function withoutHeadingAttributes(heading: string): string {
  return heading.replace(HEADING_ATTRIBUTES, '');
}
