/** Gives each heading of rendered Markdown a unique id and a self-link (its `#` drawn by CSS), and lists them for the table of contents. */
import { escapeMarkup } from '../../text/escape.js';
import { decodeEntities, htmlToText } from './html-text.js';
import { HeadingSlugger } from './slugger.js';

export interface Heading {
  level: number;
  id: string;
  text: string;
}

/** Ids the layouts use themselves; a heading never takes them. */
export const LAYOUT_IDS = ['main', 'toc', 'toc-title', 'latest-posts', 'footnote-label'] as const;

/** Only micromark's own bare `<hN>` tags are touched: raw HTML headings with attributes keep theirs. */
const HEADING = /<h([1-6])>([\s\S]*?)<\/h\1>/g;

/** `{#id}` or `{#id .class key=value}` ending a heading, as micromark leaves it in the HTML. */
const HEADING_ATTRIBUTES = /[ \t]*\{#([^\s{}<>]+)(?:[ \t]+[^{}<>]*)?\}[ \t]*$/;

export function addHeadingIds(html: string, reserved: Iterable<string> = LAYOUT_IDS): { html: string; headings: Heading[] } {
  const slugger = new HeadingSlugger(reserved);
  const headings: Heading[] = [];
  const withIds = html.replace(HEADING, (_whole, level: string, written: string) => {
    // `## Title {#id}` (Zola, Hugo, Pandoc): the id is the author's, and the braces are no text of the heading.
    const attributes = HEADING_ATTRIBUTES.exec(written);
    const inner = attributes ? written.slice(0, attributes.index) : written;
    const text = htmlToText(inner);
    const id = attributes ? slugger.claim(decodeEntities(attributes[1]!)) : slugger.slug(text);
    headings.push({ level: Number(level), id, text });
    const href = escapeMarkup(`#${encodeURIComponent(id)}`);
    // The link's `#` is drawn by the theme's CSS: in a text browser, or without CSS, a heading does not end in a bare `#`.
    return `<h${level} id="${escapeMarkup(id)}">${inner} <a class="self-link" href="${href}" aria-labelledby="${escapeMarkup(id)}"></a></h${level}>`;
  });
  return { html: withIds, headings };
}
