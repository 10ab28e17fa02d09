/** Markdown to HTML with micromark and GFM, plus the line of every link destination (for `file:line` errors). */
import { compile, parse, postprocess, preprocess, type Options } from 'micromark';
import { defList, defListHtml } from 'micromark-extension-definition-list';
import { gfmHtml } from 'micromark-extension-gfm';
import { gfmSyntaxFor, syntaxNeeds, type SyntaxNeeds } from './gfm-syntax.js';
import { lineEndingFix } from './line-ending-fix.js';
import { tableStartLines, type TableStarts } from './table-start.js';

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

type Parser = ReturnType<typeof parse>;

interface PreparedParser {
  options: Options;
  parser: Parser;
  /** The parser's own fields when it was made; extensions add their per-document state next to them. */
  ownKeys: ReadonlySet<string>;
  /** Where a table may start in the document being parsed (its table construct reads it). */
  tableStarts: TableStarts;
}

/**
 * Combining micromark's extensions costs about as much as parsing a short page, so a parser is made once per set of
 * options and GFM constructs, and reused; its per-document state is reset before each page (see freshDocument).
 */
const parsers = new Map<string, PreparedParser>();

/** A definition (`: text`) starts a line: a page without one has no definition list, and is spared the construct. */
const DEFINITION_LINE = /^ {0,3}:[ \t]/m;

function parserFor(options: MarkdownOptions, needs: SyntaxNeeds, definitionLists = false): PreparedParser {
  const key = JSON.stringify([options.allowHtml, options.footnoteLabel, options.footnoteBackLabel, needs, definitionLists]);
  let entry = parsers.get(key);
  if (!entry) {
    const tableStarts: TableStarts = { lines: new Set() };
    const micromarkOptions: Options = {
      allowDangerousHtml: options.allowHtml,
      // micromark empties every link but http(s), mailto, irc(s) and xmpp, and every image but http(s): `tel:`,
      // `matrix:`, relative `a:b` paths, `data:` images. rewriteLinks decides instead (refusedScheme).
      allowDangerousProtocol: true,
      extensions: [...gfmSyntaxFor(needs, tableStarts), ...(definitionLists ? [defList] : [])],
      htmlExtensions: [gfmHtml({ label: options.footnoteLabel, backLabel: options.footnoteBackLabel }), lineEndingFix, ...(definitionLists ? [defListHtml] : [])],
    };
    const parser = parse(micromarkOptions);
    entry = { options: micromarkOptions, parser, ownKeys: new Set(Object.keys(parser)), tableStarts };
    parsers.set(key, entry);
  }
  freshDocument(entry);
  return entry;
}

/**
 * Forgets what the last page left in the parser: micromark's known definitions and lazy lines, and whatever an
 * extension keeps there (gfm-footnote's `gfmFootnotes`, the footnote labels seen: a label defined on one page made
 * `[^1]` on the next a call to a missing note, and the compiler crashed).
 */
function freshDocument({ parser, ownKeys }: PreparedParser): void {
  parser.defined = [];
  parser.lazy = {};
  for (const key of Object.keys(parser)) if (!ownKeys.has(key)) delete (parser as unknown as Record<string, unknown>)[key];
}

/**
 * Renders a whole page file whose Markdown body starts at line `bodyLine` (the loader found the front matter: the
 * lines above are left out, as blank lines, so that destinations keep the file's line numbers). Front matter is the
 * loader's decision alone, so a page is never split one way for its title and another way for its body.
 */
export function renderMarkdown(text: string, options: MarkdownOptions, bodyLine = 1): RenderedMarkdown {
  // The front matter's own line endings are kept: micromark writes the first one it meets between blocks (CRLF files).
  const bodyStart = bodyLine > 1 ? offsetOfLine(text, bodyLine) : 0;
  const body = bodyStart > 0 ? text.slice(0, bodyStart).replace(/[^\r\n]+/g, '') + text.slice(bodyStart) : text;
  const definitionLists = options.definitionLists === true && DEFINITION_LINE.test(body);
  const needs = syntaxNeeds(body);
  const { options: micromarkOptions, parser, tableStarts } = parserFor(options, needs, definitionLists);
  tableStarts.lines = needs.table ? tableStartLines(body) : new Set();
  const events = postprocess(parser.document().write(preprocess()(body, undefined, true)));
  const destinations: Destination[] = [];
  for (const [kind, token, context] of events) {
    if (kind === 'enter' && DESTINATION_TOKENS.has(token.type)) {
      destinations.push({ raw: context.sliceSerialize(token), line: token.start.line });
    }
  }
  return { html: compile(micromarkOptions)(events), destinations };
}

/** Where the 1-based line `line` of `text` starts (the end of the text when it has fewer lines). */
function offsetOfLine(text: string, line: number): number {
  let offset = 0;
  for (let current = 1; current < line; current++) {
    const next = text.indexOf('\n', offset);
    if (next === -1) return text.length;
    offset = next + 1;
  }
  return offset;
}
