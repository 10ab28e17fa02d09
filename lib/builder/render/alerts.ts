/**
 * GitHub's alerts (`> [!NOTE]`, `[!TIP]`, `[!IMPORTANT]`, `[!WARNING]`, `[!CAUTION]`) in the HTML micromark made
 * of them: a blockquote whose first paragraph starts with the marker gets the alert's class and a title in the site
 * language. No micromark extension for them exists; the marker is plain text to micromark, so this is a small
 * rewrite of its output, only for pages that contain `[!` at all.
 */
export const ALERT_KINDS = ['note', 'tip', 'important', 'warning', 'caution'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

const ALERT_START = /<blockquote>\n<p>\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\][ \t]*(?:\n|(?=<\/p>))/gi;

export function renderAlerts(html: string, titles: Readonly<Record<AlertKind, string>>): string {
  if (!html.includes('[!')) return html;
  return html.replace(ALERT_START, (_whole, marker: string) => {
    const kind = marker.toLowerCase() as AlertKind;
    return `<blockquote class="alert alert-${kind}">\n<p class="alert-title">${titles[kind]}</p>\n<p>`;
  }).replace(/<p>\n?<\/p>\n?/g, '');
}
