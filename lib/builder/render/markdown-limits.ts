/**
 * A cheap, linear look at a page's Markdown before micromark parses it, refusing the few constructs whose cost in
 * micromark grows much faster than the text: deep nesting, long emphasis delimiter runs, unclosed link openers,
 * very wide tables. Measured with micromark 4 (`'_'*10000 + 'x' + '_'*10000`, 20 KB: 20 s; `[a](` × 50,000: 16 s;
 * 1,000 nested lists: 38 s; a 30,000-column table: 9.7 s and 1.4 GB). Each limit is far beyond what a page written
 * by a person holds; what slips past them is stopped by the per-page time limit of the render workers.
 */
import { FleuronError } from '../../errors/fleuron-error.js';

export const MARKDOWN_LIMITS = {
  /** Block quotes and list items inside each other (one line's `>` and list markers, plus its indentation / 2). */
  nesting: 32,
  /** One run of `*` or `_` outside code (emphasis needs at most three; a line of them alone is a rule and allowed). */
  delimiterRun: 50,
  /** `](` not closed by a `)` before the next one on its line, in a whole page. */
  unclosedLinkOpeners: 1000,
  /** Cells of a table's delimiter row (`| --- | --- |`). */
  tableColumns: 200,
} as const;

/** What exceeds a limit, where, and what to do. */
export interface MarkdownLimitProblem {
  /** 1-based line of the file. */
  line: number;
  message: string;
  hint: string;
}

const LINE = /\r\n|\r|\n/;
// Container markers at the start of a line: `>`, or a bullet or ordered-list marker followed by a space or the end.
const CONTAINER = /^[ \t]*(?:>|(?:[-+*]|\d{1,9}[.)])(?=[ \t]|$))/;
const FENCE = /^(`{3,}|~{3,})(.*)$/;
// Native regex first: the loop that measures a run only runs on the rare line that has a long one.
const LONG_RUN = new RegExp(`\\*{${MARKDOWN_LIMITS.delimiterRun + 1}}|_{${MARKDOWN_LIMITS.delimiterRun + 1}}`);
const DELIMITER_ROW = /^[ \t|:-]*$/;
// A thematic break (`* * *`, `___`): not list markers, not emphasis.
const RULE = /^[ \t]*([-*_])(?:[ \t]*\1){2,}[ \t]*$/;

/** The first limit a page's text exceeds, or undefined. Linear in the text's length. */
export function findLimitProblem(text: string): MarkdownLimitProblem | undefined {
  const lines = text.split(LINE);
  let fence: { char: string; length: number } | undefined;
  let unclosedOpeners = 0;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    const number = index + 1;
    const { depth, rest } = RULE.test(line) ? { depth: 0, rest: '' } : containerPrefix(line);
    // Checked on every line, code included: only a container prefix far deeper than any real page is refused.
    if (depth > MARKDOWN_LIMITS.nesting) {
      return {
        line: number,
        message: `lists and block quotes nested about ${depth} deep, more than the ${MARKDOWN_LIMITS.nesting} levels fleuron renders`,
        hint: 'flatten the nesting',
      };
    }
    const fenceMatch = FENCE.exec(rest.trimStart());
    if (fence) {
      if (fenceMatch && fenceMatch[1]![0] === fence.char && fenceMatch[1]!.length >= fence.length && fenceMatch[2]!.trim() === '') fence = undefined;
      continue;
    }
    // A backtick fence's info string has no backtick (else the line is text, CommonMark 4.5).
    if (fenceMatch && !(fenceMatch[1]![0] === '`' && fenceMatch[2]!.includes('`'))) {
      fence = { char: fenceMatch[1]![0]!, length: fenceMatch[1]!.length };
      continue;
    }
    const run = LONG_RUN.test(rest) ? longestDelimiterRun(rest) : 0;
    if (run > MARKDOWN_LIMITS.delimiterRun && !RULE.test(rest)) {
      return {
        line: number,
        message: `a run of ${run} "*" or "_", more than the ${MARKDOWN_LIMITS.delimiterRun} fleuron renders outside code`,
        hint: 'shorten it, escape it (\\_), or put it in a fenced code block',
      };
    }
    if (rest.includes('|') && rest.includes('-') && DELIMITER_ROW.test(rest)) {
      const columns = rest.split('|').filter((cell) => cell.includes('-')).length;
      if (columns > MARKDOWN_LIMITS.tableColumns) {
        return {
          line: number,
          message: `a table of ${columns} columns, more than the ${MARKDOWN_LIMITS.tableColumns} fleuron renders`,
          hint: 'split the table, or link to a CSV file instead',
        };
      }
    }
    if (rest.includes('](')) unclosedOpeners += countUnclosedOpeners(rest);
    if (unclosedOpeners > MARKDOWN_LIMITS.unclosedLinkOpeners) {
      return {
        line: number,
        message: `more than ${MARKDOWN_LIMITS.unclosedLinkOpeners} link openers "](" without their ")"`,
        hint: 'close the links, or escape the brackets (\\[)',
      };
    }
  }
  return undefined;
}

/** Refuses a page whose text exceeds a limit, naming the file and line (exit code 1, like a page over the size limit). */
export function assertMarkdownWithinLimits(text: string, pageFile: string): void {
  const problem = findLimitProblem(text);
  if (problem) throw new FleuronError('markdown-too-complex', `${pageFile}:${problem.line}: ${problem.message}`, { hint: problem.hint });
}

/** How many containers a line's prefix opens at most, and the text after it. */
function containerPrefix(line: string): { depth: number; rest: string } {
  let depth = 0;
  let columns = 0;
  let rest = line;
  for (;;) {
    const match = CONTAINER.exec(rest);
    if (!match) break;
    // Each level of list nesting by indentation takes at least two columns (a marker and a space); the one space
    // after a marker is part of that marker.
    columns += Math.max(0, indentation(match[0]) - (depth > 0 ? 1 : 0));
    depth += 1;
    rest = rest.slice(match[0].length);
  }
  return { depth: depth + Math.floor(columns / 2), rest };
}

function indentation(prefix: string): number {
  let columns = 0;
  for (const char of prefix) {
    if (char === ' ') columns += 1;
    else if (char === '\t') columns += 4;
    else break;
  }
  return columns;
}

function longestDelimiterRun(text: string): number {
  let longest = 0;
  let run = 0;
  let previous = '';
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (char === '*' || char === '_') run = char === previous ? run + 1 : 1;
    else run = 0;
    previous = char;
    if (run > longest) longest = run;
  }
  return longest;
}

/** `](` whose line has no `)` before the next `](`. */
function countUnclosedOpeners(text: string): number {
  let count = 0;
  let open = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === ']' && text[index + 1] === '(') {
      if (open) count += 1;
      open = true;
      index += 1;
    } else if (char === ')') open = false;
  }
  return open ? count + 1 : count;
}
