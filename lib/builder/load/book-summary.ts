/**
 * mdBook's `SUMMARY.md` at the root of the site folder: the book's table of contents. It is not a page; it gives
 * the pages it lists their order (as weights) and their titles, as mdBook does.
 */
import { decodeUrlPath, isMarkdownPath, resolveSitePath } from './url-map.js';

export const BOOK_SUMMARY = 'SUMMARY.md';

export interface BookEntry {
  title: string;
  /** 1 for the first entry, then in the order of the file (nested entries included). */
  order: number;
}

const ENTRY = /^[ \t]*(?:[-*+][ \t]+|\d+[.)][ \t]+)?\[((?:[^\]\\]|\\.)*)\]\(([^)\s]*)\)/;

/** The pages a summary lists, by source path; an entry without a target (mdBook's draft chapter) is left out. */
export function parseBookSummary(text: string): Map<string, BookEntry> {
  const entries = new Map<string, BookEntry>();
  for (const line of text.split('\n')) {
    const match = ENTRY.exec(line);
    if (!match || match[2] === '') continue;
    const target = resolveSitePath(BOOK_SUMMARY, decodeUrlPath(match[2]!.replace(/#.*$/, '')));
    if (target === undefined || !isMarkdownPath(target) || entries.has(target)) continue;
    entries.set(target, { title: match[1]!.replace(/\\(.)/g, '$1').trim(), order: entries.size + 1 });
  }
  return entries;
}
