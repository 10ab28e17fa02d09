/**
 * Code blocks and tables that may scroll sideways on a narrow screen become focusable, labelled regions: keyboard
 * users of every browser can scroll them (axe `scrollable-region-focusable`), and screen readers name them.
 */
import { escapeMarkup } from '../../text/escape.js';

export interface ScrollRegionWords {
  /** `Code block`: followed by a number when a page has several, and by the code's language when it says one. */
  codeBlock: string;
  table: string;
}

/** micromark's bare `<pre>` and `<table>` only: raw HTML keeps whatever attributes its writer gave it. */
const CODE_BLOCK = /<pre><code(?: class="language-([^"]*)")?>/g;
const TABLE = /<table>([\s\S]*?)<\/table>/g;

export function addScrollRegions(html: string, words: ScrollRegionWords): string {
  const codeBlocks = html.match(CODE_BLOCK)?.length ?? 0;
  const tables = html.match(TABLE)?.length ?? 0;
  let code = 0;
  let table = 0;
  const numbered = (word: string, index: number, count: number) => (count > 1 ? `${word} ${index}` : word);
  return html
    .replace(CODE_BLOCK, (whole, language: string | undefined) => {
      const label = numbered(words.codeBlock, ++code, codeBlocks) + (language ? ` (${language})` : '');
      return `<pre tabindex="0" role="region" aria-label="${escapeMarkup(label)}">${whole.slice('<pre>'.length)}`;
    })
    // The table keeps its own semantics: a wrapper scrolls it (a table made `display: block` loses them in some browsers).
    .replace(TABLE, (whole) => `<div class="table" tabindex="0" role="region" aria-label="${escapeMarkup(numbered(words.table, ++table, tables))}">${whole}</div>`);
}
