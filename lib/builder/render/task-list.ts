/**
 * Gives each task-list checkbox (`- [x] done`) an accessible name: the text of its item. micromark writes a bare
 * `<input type="checkbox" disabled="">`, which screen readers announce as an unnamed checkbox (axe `label`).
 */
import { escapeMarkup } from '../../text/escape.js';
import { htmlToText } from './html-text.js';

/** The checkbox, then its item's own text: up to the end of the paragraph, a nested list, or the item. */
const TASK = /<input type="checkbox" disabled=""( checked="")? \/>([\s\S]*?)(?=<\/p>|<ul>|<ol[ >]|<\/li>)/g;

export function labelTaskCheckboxes(html: string, fallbackLabel: (checked: boolean) => string): string {
  return html.replace(TASK, (_whole, checked: string | undefined, text: string) => {
    const label = htmlToText(text) || fallbackLabel(checked !== undefined);
    return `<input type="checkbox" disabled=""${checked ?? ''} aria-label="${escapeMarkup(label)}" />${text}`;
  });
}
