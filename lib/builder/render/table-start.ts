/**
 * The GFM table construct, tried only on the lines where a table can start: the line just above a line that could be
 * a delimiter row (`| --- | :-: |`).
 *
 * micromark-extension-gfm-table tries its construct at the start of every line of a page that has a table, and reads
 * the whole line as a possible head row before it looks at the line below: a page of long one-line paragraphs pays
 * for reading each paragraph twice (measured on the benchmark's rich corpus, every page with one table: about a fifth
 * of the Markdown time). A head row is always followed by its delimiter row, so the head-row attempt is skipped where
 * the next line cannot be one; rows after a table's head (the construct's other branch) are left as they are.
 */
import type { Extension } from './gfm-syntax.js';
import { gfmTable } from 'micromark-extension-gfm-table';

type FlowConstructs = NonNullable<Extension['flow']>;
type Construct = Exclude<FlowConstructs[number], unknown[] | undefined>;
type Tokenizer = Construct['tokenize'];
type TokenizeContext = ThisParameterType<Tokenizer>;

/** The lines (1-based) of the document being parsed on which a table may start; set before each document. */
export interface TableStarts {
  lines: ReadonlySet<number>;
}

/**
 * A line that could be a delimiter row: only hyphens, pipes, colons, spaces and tabs, with a hyphen and a pipe or
 * colon, behind any blockquote markers or list indentation (`> | - |`). Multiline: gfm-syntax.ts asks it of a whole
 * page (is there a table at all?), tableStartLines of one line at a time.
 */
export const DELIMITER_ROW = /^(?=[^\n]*-)(?=[^\n]*[|:])[ \t>|:\-]+\r?$/m;

/** micromark's line endings (its preprocess): CR LF, LF, CR alone. */
const LINE_ENDING = /\r\n|\r|\n/;

/** The lines of `text` followed by a line that could be a delimiter row. */
export function tableStartLines(text: string): Set<number> {
  const starts = new Set<number>();
  const lines = text.split(LINE_ENDING);
  for (let index = 1; index < lines.length; index++) {
    // Line index + 1 (1-based) is the possible delimiter row: the line above it, index (1-based), may be a head row.
    if (lines[index]!.includes('-') && DELIMITER_ROW.test(lines[index]!)) starts.add(index);
  }
  return starts;
}

/** The GFM table syntax extension, its head-row attempts limited to `starts.lines` of the document being parsed. */
export function gfmTableAt(starts: TableStarts): Extension {
  const table = (gfmTable().flow as Record<string, Construct>)['null']!;
  const tokenize = table.tokenize;
  function tokenizeAtStarts(this: TokenizeContext, ...args: Parameters<Tokenizer>): ReturnType<Tokenizer> {
    const [, , nok] = args;
    const tableAttempt = tokenize.apply(this, args);
    return (code) => (continuesTable(this) || starts.lines.has(this.now().line) ? tableAttempt(code) : nok(code));
  }
  return { flow: { null: { ...table, tokenize: tokenizeAtStarts } } } as Extension;
}

/**
 * Whether the construct would read a body row here, as its own start does: the last token before any line ending or
 * line prefix is the table's head or one of its rows.
 */
function continuesTable(context: TokenizeContext): boolean {
  const { events } = context;
  let index = events.length - 1;
  while (index > -1 && (events[index]![1].type === 'lineEnding' || events[index]![1].type === 'linePrefix')) index--;
  const tail = index > -1 ? events[index]![1].type : null;
  return tail === 'tableHead' || tail === 'tableRow';
}
