/** Markdown to HTML with micromark and GFM, plus the line of every link destination (for `file:line` errors). */
import { compile, parse, postprocess, preprocess, type Options } from 'micromark';
import { frontmatter, frontmatterHtml } from 'micromark-extension-frontmatter';
import { gfm, gfmHtml } from 'micromark-extension-gfm';

export interface MarkdownOptions {
  /** Pass raw HTML through; otherwise it is escaped and shows as text. */
  allowHtml: boolean;
  /** Heading of the footnotes section and label of the back-links, in the site language. */
  footnoteLabel: string;
  footnoteBackLabel: string;
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

/**
 * Combining micromark's extensions costs about as much as parsing a short page, so the parser is made once per
 * set of options and reused; its per-document state (known definitions, lazy lines) is reset before each page.
 */
const parsers = new Map<string, { options: Options; parser: ReturnType<typeof parse> }>();

function parserFor(options: MarkdownOptions): { options: Options; parser: ReturnType<typeof parse> } {
  const key = JSON.stringify([options.allowHtml, options.footnoteLabel, options.footnoteBackLabel]);
  let entry = parsers.get(key);
  if (!entry) {
    const micromarkOptions: Options = {
      allowDangerousHtml: options.allowHtml,
      extensions: [gfm(), frontmatter()],
      htmlExtensions: [gfmHtml({ label: options.footnoteLabel, backLabel: options.footnoteBackLabel }), frontmatterHtml()],
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
  const { options: micromarkOptions, parser } = parserFor(options);
  const events = postprocess(parser.document().write(preprocess()(text, undefined, true)));
  const destinations: Destination[] = [];
  for (const [kind, token, context] of events) {
    if (kind === 'enter' && DESTINATION_TOKENS.has(token.type)) {
      destinations.push({ raw: context.sliceSerialize(token), line: token.start.line });
    }
  }
  return { html: compile(micromarkOptions)(events), destinations };
}
