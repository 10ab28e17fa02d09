/** Markdown to HTML with micromark and GFM, plus the line of every link destination (for `file:line` errors). */
import { compile, parse, postprocess, preprocess, type Options } from 'micromark';
import { frontmatter, frontmatterHtml } from 'micromark-extension-frontmatter';
import { defList, defListHtml } from 'micromark-extension-definition-list';
import { gfmHtml } from 'micromark-extension-gfm';
import { frontMatterEnd, gfmSyntaxFor, syntaxNeeds, type Extension, type SyntaxNeeds } from './gfm-syntax.js';

export interface MarkdownOptions {
  /** Pass raw HTML through; otherwise it is escaped and shows as text. */
  allowHtml: boolean;
  /** Heading of the footnotes section and label of the back-links, in the site language. */
  footnoteLabel: string;
  footnoteBackLabel: string;
  /** PHP Markdown Extra's definition lists (micromark-extension-definition-list). */
  definitionLists?: boolean;
}

/** A link or image destination as written in the source, with its 1-based line. */
export interface Destination {
  raw: string;
  line: number;
}

export interface RenderedMarkdown {
  html: string;
  destinations: Destination[];
}

const DESTINATION_TOKENS = new Set(['resourceDestinationString', 'definitionDestinationString']);

interface PreparedParser {
  options: Options;
  parser: ReturnType<typeof parse>;
}

/**
 * Combining micromark's extensions costs about as much as parsing a short page, so a parser is made once per set of
 * options and GFM constructs, and reused; its per-document state (known definitions, lazy lines) is reset before each page.
 */
const parsers = new Map<string, PreparedParser>();

/** A definition (`: text`) starts a line: a page without one has no definition list, and is spared the construct. */
const DEFINITION_LINE = /^ {0,3}:[ \t]/m;

function parserFor(options: MarkdownOptions, needs: SyntaxNeeds, definitionLists = false): PreparedParser {
  const key = JSON.stringify([options.allowHtml, options.footnoteLabel, options.footnoteBackLabel, needs, definitionLists]);
  let entry = parsers.get(key);
  if (!entry) {
    const extensions: Extension[] = [...gfmSyntaxFor(needs), frontmatter(), ...(definitionLists ? [defList] : [])];
    const micromarkOptions: Options = {
      allowDangerousHtml: options.allowHtml,
      extensions,
      htmlExtensions: [gfmHtml({ label: options.footnoteLabel, backLabel: options.footnoteBackLabel }), frontmatterHtml(), ...(definitionLists ? [defListHtml] : [])],
    };
    entry = { options: micromarkOptions, parser: parse(micromarkOptions) };
    parsers.set(key, entry);
  }
  entry.parser.defined = [];
  entry.parser.lazy = {};
  return entry;
}

/** Renders a whole page file (front matter is recognised and skipped, so lines are the file's lines). */
export function renderMarkdown(text: string, options: MarkdownOptions): RenderedMarkdown {
  const bodyStart = frontMatterEnd(text);
  const definitionLists = options.definitionLists === true && DEFINITION_LINE.test(text);
  let parsed = parseWith(parserFor(options, syntaxNeeds(text.slice(bodyStart)), definitionLists), text);
  // The body's constructs were judged from where front matter seemed to end; if micromark saw it end elsewhere
  // (or saw none), judge again from the whole text, which never leaves out a construct.
  if (bodyStart > 0 && !frontMatterEndsAt(parsed.events, text, bodyStart)) parsed = parseWith(parserFor(options, syntaxNeeds(text), definitionLists), text);
  const { events, options: micromarkOptions } = parsed;
  const destinations: Destination[] = [];
  for (const [kind, token, context] of events) {
    if (kind === 'enter' && DESTINATION_TOKENS.has(token.type)) {
      destinations.push({ raw: context.sliceSerialize(token), line: token.start.line });
    }
  }
  return { html: compile(micromarkOptions)(events), destinations };
}

export type Events = ReturnType<typeof postprocess>;

function parseWith({ options, parser }: PreparedParser, text: string): { events: Events; options: Options } {
  return { events: postprocess(parser.document().write(preprocess()(text, undefined, true))), options };
}

/** Whether micromark's front matter token ends where `bodyStart` says, give or take the line ending. Exported for tests. */
export function frontMatterEndsAt(events: Events, text: string, bodyStart: number): boolean {
  const first = events[0];
  // micromark-extension-frontmatter names the token after the matter: `yaml`, the only kind configured here.
  if (!first || first[0] !== 'enter' || (first[1].type as string) !== 'yaml') return false;
  const end = first[1].end.offset;
  return end <= bodyStart && /^\r?\n?$/.test(text.slice(end, bodyStart));
}
