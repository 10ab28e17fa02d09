/** Small helpers for the HTML micromark produces: turning a fragment back into plain text (escaping is lib/text/escape.ts). */

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Decodes the character references micromark emits (named basics and numeric). */
export function decodeEntities(html: string): string {
  return html.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** The text content of an HTML fragment: tags dropped, references decoded, whitespace collapsed. */
export function htmlToText(html: string): string {
  return decodeEntities(html.replace(/<[^>]*>/g, '')).replace(/\s+/g, ' ').trim();
}

/** Every `id="…"` in an HTML fragment, in order. */
export function collectIds(html: string): string[] {
  return Array.from(html.matchAll(/\sid="([^"]*)"/g), (match) => decodeEntities(match[1]!));
}
