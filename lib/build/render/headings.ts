/** Gives each heading of rendered Markdown a unique id and a self-link, and lists them for the table of contents. */
import { escapeMarkup } from '../../text/escape.js';
import { htmlToText } from './html-text.js';
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

export function addHeadingIds(html: string, reserved: Iterable<string> = LAYOUT_IDS): { html: string; headings: Heading[] } {
  const slugger = new HeadingSlugger(reserved);
  const headings: Heading[] = [];
  const withIds = html.replace(HEADING, (_whole, level: string, inner: string) => {
    const text = htmlToText(inner);
    const id = slugger.slug(text);
    headings.push({ level: Number(level), id, text });
    const href = escapeMarkup(`#${encodeURIComponent(id)}`);
    return `<h${level} id="${escapeMarkup(id)}">${inner} <a class="self-link" href="${href}" aria-labelledby="${escapeMarkup(id)}">#</a></h${level}>`;
  });
  return { html: withIds, headings };
}
