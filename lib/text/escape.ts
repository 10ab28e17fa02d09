/** Text made safe for where it is written: HTML and XML markup (pages, feed, sitemap, error pages). */

/** Escapes text for HTML or XML, as element content or a double-quoted attribute value. */
export function escapeMarkup(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
