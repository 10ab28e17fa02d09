/**
 * Finds where a page's front matter is and in which format it is written, without parsing it (so without loading a
 * parser): YAML between `---` lines, TOML between `+++` lines (Hugo, Zola), or a JSON object at the top (Hugo).
 */

export type FrontMatterFormat = 'yaml' | 'toml' | 'json';

/** The same for `+++` (TOML): a `key =`, a `[table]`, or the closing line. */
const TOML_START = /^(?:[ \t]*(?:#[^\n]*)?\r?\n)*(?:\+\+\+[ \t]*(?:\r?\n|$)|\[|(?:[A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*')(?:\.(?:[A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*'))*[ \t]*=)/;
/**
 * What follows an opening `---` in front matter: blank and comment lines, then a `key:` or the closing line. A page
 * whose first line is a thematic break (`---`, then text or a blank line and text) has no front matter.
 */
const YAML_START = /^(?:[ \t]*(?:#[^\n]*)?\r?\n)*(?:(?:---|\.\.\.)[ \t]*(?:\r?\n|$)|(?:[^\s#'"-][^\n]*?|"[^"\n]*"|'[^'\n]*'):(?:[ \t]|\r?\n|$))/;

export interface FrontMatterBlock {
  format: FrontMatterFormat;
  /** The start of the page its front matter depends on, fences included: the same block parses the same. */
  text: string;
  /** What is between the fences (the whole object for JSON); undefined when the block is never closed. */
  raw?: string;
  /** Offset where the Markdown body starts (after the closing fence's line ending); the text's length when unclosed. */
  bodyStart: number;
}

const YAML_OPENING = /^\uFEFF?---[ \t]*\r?\n/;
const YAML_CLOSING = /^(?:---|\.\.\.)[ \t]*$/m;
const TOML_OPENING = /^\uFEFF?\+\+\+[ \t]*\r?\n/;
const TOML_CLOSING = /^\+\+\+[ \t]*$/m;
const JSON_OPENING = /^\uFEFF?\{[ \t]*\r?\n/;
/** Hugo ends a JSON front matter at the first line that is only `}`. */
const JSON_CLOSING = /^\}[ \t]*$/m;

/** The front matter block of a whole page file, or undefined when the page has none. */
export function frontMatterBlock(page: string): FrontMatterBlock | undefined {
  const first = page.charCodeAt(page.charCodeAt(0) === 0xfeff ? 1 : 0);
  // One character decides which format can open the page: most pages open with none of them.
  if (first === 0x2d /* - */) return fenced(page, 'yaml', YAML_OPENING, YAML_CLOSING);
  if (first === 0x2b /* + */) return fenced(page, 'toml', TOML_OPENING, TOML_CLOSING);
  if (first === 0x7b /* { */) return jsonBlock(page);
  return undefined;
}

function fenced(page: string, format: FrontMatterFormat, opening: RegExp, closing: RegExp): FrontMatterBlock | undefined {
  const opened = opening.exec(page);
  if (!opened) return undefined;
  const rest = page.slice(opened[0].length);
  // A first line `---` (or `+++`) followed by prose is a thematic break or text, not front matter.
  if (!(format === 'yaml' ? YAML_START : TOML_START).test(rest)) return undefined;
  const closed = closing.exec(rest);
  if (!closed) return { format, text: page, bodyStart: page.length };
  const end = opened[0].length + closed.index + closed[0].length;
  return { format, text: page.slice(0, end), raw: rest.slice(0, closed.index), bodyStart: end + lineEndingAt(page, end) };
}

function jsonBlock(page: string): FrontMatterBlock | undefined {
  const opened = JSON_OPENING.exec(page);
  if (!opened) return undefined;
  const closed = JSON_CLOSING.exec(page.slice(opened[0].length));
  // A lone `{` line with no `}` line after it is no front matter: text that happens to start with a brace.
  if (!closed) return undefined;
  const end = opened[0].length + closed.index + closed[0].length;
  const start = page.charCodeAt(0) === 0xfeff ? 1 : 0;
  return { format: 'json', text: page.slice(0, end), raw: page.slice(start, end), bodyStart: end + lineEndingAt(page, end) };
}

function lineEndingAt(page: string, offset: number): number {
  if (page.startsWith('\r\n', offset)) return 2;
  return page.charCodeAt(offset) === 0x0a ? 1 : 0;
}
