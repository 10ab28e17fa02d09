/** Finds where a page's front matter (`---` lines around YAML) is, without parsing it, so without loading a YAML parser. */

const OPENING = /^\uFEFF?---[ \t]*\r?\n/;
const CLOSING = /^(?:---|\.\.\.)[ \t]*$/m;
/**
 * What follows an opening `---` in front matter: blank and comment lines, then a `key:` or the closing line. A page
 * whose first line is a thematic break (`---`, then text or a blank line and text) has no front matter.
 */
const YAML_START = /^(?:[ \t]*(?:#[^\n]*)?\r?\n)*(?:(?:---|\.\.\.)[ \t]*(?:\r?\n|$)|(?:[^\s#'"-][^\n]*?|"[^"\n]*"|'[^'\n]*'):(?:[ \t]|\r?\n|$))/;

export interface FrontMatterBlock {
  /** The start of the page its front matter depends on, `---` lines included: the same block parses the same. */
  text: string;
  /** The YAML between the `---` lines; undefined when the block is never closed. */
  yaml?: string;
}

/** The front matter block of a whole page file, or undefined when the page has none. */
export function frontMatterBlock(page: string): FrontMatterBlock | undefined {
  const opening = OPENING.exec(page);
  if (!opening) return undefined;
  const rest = page.slice(opening[0].length);
  if (!YAML_START.test(rest)) return undefined;
  const closing = CLOSING.exec(rest);
  if (!closing) return { text: page };
  return { text: page.slice(0, opening[0].length + closing.index + closing[0].length), yaml: rest.slice(0, closing.index) };
}
