/**
 * The GFM syntax constructs a text can use, judged from characters each construct cannot do without.
 *
 * micromark tries every enabled construct at every character it is registered on: the email autolink is tried at
 * every letter and digit, the table at every line. A page without `@` has no email autolink, a page without `|` or
 * `:` has no table, and so on, so a parser without those constructs gives the same HTML, two to three times faster
 * on ordinary prose. The checks only ever keep a construct that is not needed, never drop one that is: a page that
 * mentions `|` in passing simply gets the table construct.
 */
import type { Options } from 'micromark';
import { gfmAutolinkLiteral } from 'micromark-extension-gfm-autolink-literal';
import { gfmFootnote } from 'micromark-extension-gfm-footnote';
import { gfmStrikethrough } from 'micromark-extension-gfm-strikethrough';
import { gfmTable } from 'micromark-extension-gfm-table';
import { gfmTaskListItem } from 'micromark-extension-gfm-task-list-item';
import { DELIMITER_ROW, gfmTableAt, type TableStarts } from './table-start.js';

/** A micromark syntax extension (micromark exports the type only through `Options`). */
export type Extension = NonNullable<Options['extensions']>[number];

export interface SyntaxNeeds {
  /** `a@b.example`: needs an `@`. */
  emailAutolink: boolean;
  /** `www.example.org`, `https://example.org`: need `www.` or `http(s):` outside the destination of an inline link. */
  linkAutolink: boolean;
  /** `[^1]`: needs `^`. */
  footnote: boolean;
  /** `~~old~~`: needs `~`. */
  strikethrough: boolean;
  /** A table needs a delimiter row: a line of `-`, with `|` or `:` (`a\n:-:` is a one-column table). */
  table: boolean;
  /** `- [x] done`: needs `[`. */
  taskListItem: boolean;
}


/** The two ways a literal autolink starts (micromark-extension-gfm-autolink-literal: `www.`, `http:`, `https:`, any case). */
const LITERAL_AUTOLINK = /www\.|https?:/i;

/**
 * An inline link or image `[label](url)` that can be nothing else: its destination is no text, so its `https:` starts
 * no literal autolink. Left in place (so the autolink construct is kept) when the `[` is escaped or follows a `]` (a
 * reference link may take the label), or when the label or destination holds a bracket, backslash, backtick (code
 * span), `<` (HTML, autolink), newline or, for the label, a leading `^` (footnote call), or the destination a space,
 * quote or parenthesis: those may parse otherwise.
 */
const PLAIN_INLINE_LINK = /(?<![\\\]])(\[[^[\]\\`<^\n][^[\]\\`<\n]*\])\([^\s()<>\\`"']*\)/g;

/** Whether a literal autolink may occur: `www.` or `http(s):` in the text, other than as a plain inline link's destination. */
function mayHaveLinkAutolink(text: string): boolean {
  return LITERAL_AUTOLINK.test(text) && LITERAL_AUTOLINK.test(text.replace(PLAIN_INLINE_LINK, '$1 '));
}

export function syntaxNeeds(text: string): SyntaxNeeds {
  const has = (character: string) => text.includes(character);
  return {
    emailAutolink: has('@'),
    linkAutolink: mayHaveLinkAutolink(text),
    footnote: has('^'),
    strikethrough: has('~'),
    // The table construct is tried at every line: a page whose `:` are all in prose and links is spared it.
    table: DELIMITER_ROW.test(text),
    taskListItem: has('['),
  };
}

/**
 * The syntax extensions for `needs`, in the order micromark-extension-gfm combines them; with `tableStarts`, the table
 * is tried only on the lines it names (see table-start.ts).
 */
export function gfmSyntaxFor(needs: SyntaxNeeds, tableStarts?: TableStarts): Extension[] {
  const extensions: Extension[] = [];
  if (needs.emailAutolink) extensions.push(gfmAutolinkLiteral());
  else if (needs.linkAutolink) extensions.push(withoutConstruct(gfmAutolinkLiteral(), 'emailAutolink'));
  if (needs.footnote) extensions.push(gfmFootnote());
  if (needs.strikethrough) extensions.push(gfmStrikethrough());
  if (needs.table) extensions.push(tableStarts ? gfmTableAt(tableStarts) : gfmTable());
  if (needs.taskListItem) extensions.push(gfmTaskListItem());
  return extensions;
}

/**
 * The extension with its text constructs named `name` removed. Keyed by name, so a renamed construct in a later
 * version is simply kept: slower, never wrong.
 */
function withoutConstruct(extension: Extension, name: string): Extension {
  type Constructs = NonNullable<Extension['text']>;
  type Construct = Exclude<Constructs[number], unknown[] | undefined>;
  // Keys stay strings: a map may hold a `null` key (constructs tried at any character) besides character codes.
  const text: Record<string, Construct[]> = {};
  for (const [code, value] of Object.entries(extension.text ?? {}) as [string, Construct | Construct[] | undefined][]) {
    const kept = (Array.isArray(value) ? value : [value]).filter((construct): construct is Construct => construct !== undefined && construct.name !== name);
    if (kept.length > 0) text[code] = kept;
  }
  return { ...extension, text: text as Constructs };
}
