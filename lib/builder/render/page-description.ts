/** The fallback meta description of a page without one in its front matter: the start of its first paragraph. */
import { htmlToText } from './html-text.js';

/** About what search engines show; longer text is cut at a word and ended with `…`. */
export const DESCRIPTION_MAX_CHARS = 160;

/** The text of the first paragraph that has any (one holding only an image has none), or undefined. */
export function descriptionFromContent(html: string, maxChars = DESCRIPTION_MAX_CHARS): string | undefined {
  for (const match of html.matchAll(/<p>([\s\S]*?)<\/p>/g)) {
    // Footnote marks (`text<sup><a …>1</a></sup>`) are no part of the sentence.
    const text = htmlToText(match[1]!.replace(/<sup><a [^>]*data-footnote-ref[^>]*>[\s\S]*?<\/a><\/sup>/g, ''));
    if (text === '') continue;
    if (text.length <= maxChars) return text;
    const cut = text.slice(0, maxChars - 1);
    const space = cut.lastIndexOf(' ');
    return `${(space > maxChars / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.]+$/, '')}…`;
  }
  return undefined;
}
