/**
 * Template tags of other generators that fleuron does not run — Hugo shortcodes (`{{< … >}}`, `{{% … %}}`), Zola's
 * (`{{ name(…) }}`, `{% name(…) %}` … `{% end %}`), Liquid / Nunjucks tags (`{% … %}`), mdBook's `{{#…}}` — found
 * outside code, so that they are reported, and taken out of the text before rendering (the text of a paired tag,
 * between its two tags, stays).
 *
 * A few have a meaning fleuron can keep without running anything: Hugo's `ref` / `relref` become links
 * (`@ref/path`, resolved in links.ts), a path through a URL filter (`{{ '/x/' | url }}`) is the path,
 * `highlight` (Hugo and Liquid) becomes a fenced code block, Hugo's `figure` an image, and Hugo's
 * escaped shortcodes (a comment inside the delimiters) show as the shortcode's text, as Hugo prints them.
 */

export type TagSyntax = 'hugo' | 'zola' | 'liquid' | 'mdbook';

export interface TemplateTag {
  syntax: TagSyntax;
  /** The tag's name, without a closing `/` or `end` (`{{< /note >}}` and `{% endraw %}` are `note` and `raw`). */
  name: string;
  /** 1-based line in the text. */
  line: number;
  start: number;
  end: number;
  /** What the tag becomes in the text to render. */
  replacement: string;
}

/** Cheap first check: a text without any of these has no tag, and is not scanned at all. */
export function mayHaveTemplateTags(text: string): boolean {
  return text.includes('{{') || text.includes('{%');
}

const TAG = /\{\{<\/\*([\s\S]*?)\*\/>\}\}|\{\{%\/\*([\s\S]*?)\*\/%\}\}|\{\{([<%])\s*(\/?)\s*([\w./-]+)([\s\S]*?)[>%]\}\}|\{%-?\s*([\w-]+)([\s\S]*?)-?%\}|\{\{#([\w-]+)([\s\S]*?)\}\}|\{\{-?\s*(["'])([^"'\n]*)\11\s*\|\s*(?:url|relative_url|absolute_url|relURL|absURL)\s*-?\}\}|\{\{-?\s*(?:site\.baseurl|config\.base_url)\s*-?\}\}|\{\{\s*([\w-]+)\(([^)]*)\)\s*\}\}/g;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const CLOSING_FENCE = /^ {0,3}(`{3,}|~{3,})[ \t]*\r?\n?$/;

/** mdBook's includes are expanded by the loader (see includes.ts), never reported here. */
export const MDBOOK_INCLUDES = new Set(['include', 'rustdoc_include']);

/** Every tag of `text` outside fenced code blocks and inline code, in order. */
export function findTemplateTags(text: string): TemplateTag[] {
  if (!mayHaveTemplateTags(text)) return [];
  const code = codeRanges(text);
  const tags: TemplateTag[] = [];
  let line = 1;
  let counted = 0;
  let rangeIndex = 0;
  TAG.lastIndex = 0;
  for (let match = TAG.exec(text); match; match = TAG.exec(text)) {
    const start = match.index;
    while (rangeIndex < code.length && code[rangeIndex]![1] <= start) rangeIndex++;
    const range = code[rangeIndex];
    if (range && range[0] <= start) {
      TAG.lastIndex = range[1];
      continue;
    }
    for (let at = text.indexOf('\n', counted); at !== -1 && at < start; at = text.indexOf('\n', at + 1)) line++, (counted = at + 1);
    const tag = describe(match, line);
    if (tag) tags.push(tag);
  }
  return tags;
}

function describe(match: RegExpExecArray, line: number): TemplateTag | undefined {
  const whole = match[0];
  const start = match.index;
  const end = start + whole.length;
  // Multi-line tags keep their line endings, so that later lines keep their numbers.
  const blank = '\n'.repeat(whole.split('\n').length - 1);
  const [, escapedAngle, escapedPercent, delimiter, closing, hugoName, hugoArgs, liquidName, liquidArgs, mdbookName, , , urlPath, zolaName] = match;
  // A site path through a URL filter (`{{ '/about/' | url }}`) is that path; the base URL is the site root.
  if (urlPath !== undefined) return { syntax: 'liquid', name: '(url)', line, start, end, replacement: urlPath };
  if (/^\{\{-?\s*(?:site\.baseurl|config\.base_url)/.test(whole)) return { syntax: 'liquid', name: '(url)', line, start, end, replacement: '' };
  if (zolaName !== undefined) return { syntax: 'zola', name: zolaName, line, start, end, replacement: blank };
  if (escapedAngle !== undefined) return { syntax: 'hugo', name: '(escaped)', line, start, end, replacement: `{{<${escapedAngle}>}}` };
  if (escapedPercent !== undefined) return { syntax: 'hugo', name: '(escaped)', line, start, end, replacement: `{{%${escapedPercent}%}}` };
  if (hugoName !== undefined) {
    const args = (hugoArgs ?? '').trim();
    if (!closing && (hugoName === 'ref' || hugoName === 'relref')) return { syntax: 'hugo', name: hugoName, line, start, end, replacement: `@ref/${firstArgument(args).replace(/ /g, '%20')}` };
    if (hugoName === 'highlight') return { syntax: 'hugo', name: hugoName, line, start, end, replacement: closing ? '```' : `\`\`\`${firstArgument(args)}` };
    if (hugoName === 'figure' && !closing) return { syntax: 'hugo', name: hugoName, line, start, end, replacement: (figureImage(args) ?? '') + blank };
    void delimiter;
    return { syntax: 'hugo', name: hugoName, line, start, end, replacement: blank };
  }
  if (liquidName !== undefined) {
    // Zola's shortcodes with a body: `{% name(args) %}` … `{% end %}` (Liquid has no bare `end`).
    if (liquidName === 'end' || (liquidArgs ?? '').trimStart().startsWith('(')) return { syntax: 'zola', name: liquidName, line, start, end, replacement: blank };
    const name = liquidName.replace(/^end(?=\w)/, '');
    if (name === 'highlight') return { syntax: 'liquid', name, line, start, end, replacement: liquidName.startsWith('end') ? '```' : `\`\`\`${firstArgument((liquidArgs ?? '').trim())}` };
    return { syntax: 'liquid', name, line, start, end, replacement: blank };
  }
  if (mdbookName !== undefined && !MDBOOK_INCLUDES.has(mdbookName)) return { syntax: 'mdbook', name: mdbookName, line, start, end, replacement: blank };
  return undefined;
}

/** Hugo's built-in `figure` as a Markdown image: its `src`, and its `alt`, else its `caption` or `title`, as the text. */
function figureImage(args: string): string | undefined {
  const attributes = new Map([...args.matchAll(/(\w+)=(?:"([^"]*)"|'([^']*)'|(\S+))/g)].map((match) => [match[1]!, match[2] ?? match[3] ?? match[4] ?? '']));
  const src = attributes.get('src');
  if (!src) return undefined;
  const text = (attributes.get('alt') || attributes.get('caption') || attributes.get('title') || '').replace(/[[\]]/g, '\\$&').replace(/\s+/g, ' ');
  return `![${text}](<${src.replace(/[<>]/g, '')}>)`;
}

/** `"docs/x.md"`, `docs/x.md`, `js linenos=table` → the first word, unquoted. */
function firstArgument(args: string): string {
  const quoted = /^["'`]([^"'`]*)["'`]/.exec(args);
  if (quoted) return quoted[1]!;
  return args.split(/\s+/)[0] ?? '';
}

/** The text with every tag replaced (see the module comment); the same text when it has none. */
export function replaceTemplateTags(text: string, tags: readonly TemplateTag[] = findTemplateTags(text)): string {
  if (tags.length === 0) return text;
  let result = '';
  let from = 0;
  for (const tag of tags) {
    result += text.slice(from, tag.start) + tag.replacement;
    from = tag.end;
  }
  return result + text.slice(from);
}

/** `[start, end)` offsets of fenced code blocks and inline code spans, in order, not overlapping. */
export function codeRanges(text: string): [number, number][] {
  const ranges: [number, number][] = [];
  let fence: { marker: string; start: number } | undefined;
  let offset = 0;
  while (offset < text.length) {
    const newline = text.indexOf('\n', offset);
    const lineEnd = newline === -1 ? text.length : newline + 1;
    const line = text.slice(offset, lineEnd);
    const opening = FENCE.exec(line);
    if (fence) {
      const closing = CLOSING_FENCE.exec(line);
      if (closing && closing[1]![0] === fence.marker[0] && closing[1]!.length >= fence.marker.length) {
        ranges.push([fence.start, lineEnd]);
        fence = undefined;
      }
    } else if (opening) fence = { marker: opening[1]!, start: offset };
    else inlineCode(line, offset, ranges);
    offset = lineEnd;
  }
  if (fence) ranges.push([fence.start, text.length]);
  return ranges;
}

/** Inline code spans of one line: a run of backticks up to the next run of the same length. */
function inlineCode(line: string, lineStart: number, ranges: [number, number][]): void {
  if (!line.includes('`')) return;
  const runs = /`+/g;
  for (let open = runs.exec(line); open; open = runs.exec(line)) {
    const size = open[0].length;
    let closed = false;
    for (let close = runs.exec(line); close && !closed; close = closed ? null : runs.exec(line)) {
      if (close[0].length === size) {
        ranges.push([lineStart + open.index, lineStart + close.index + size]);
        closed = true;
      }
    }
    // An unmatched run is literal backticks: look for spans again right after it.
    if (!closed) runs.lastIndex = open.index + size;
  }
}
