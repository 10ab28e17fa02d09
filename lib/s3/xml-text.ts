/**
 * The few XML reading and writing steps of the S3 answers fleuron reads with small scanners instead of the SDK's
 * parser (list-page-xml.ts, s3-requests.ts's DeleteObjects) and of the requests it writes itself.
 */

/** The text of the first `<name>` element of `xml`, entities decoded; undefined when absent (or empty as `<name/>`). */
export function textOf(xml: string, name: string): string | undefined {
  return textBetween(xml, `<${name}>`, `</${name}>`, 0, xml.length);
}

/** The text between `open` and `close` found in xml[from, to), entities decoded; undefined when not both there. */
export function textBetween(xml: string, open: string, close: string, from: number, to: number): string | undefined {
  const at = xml.indexOf(open, from);
  if (at === -1 || at >= to) return undefined;
  const textStart = at + open.length;
  const end = xml.indexOf(close, textStart);
  if (end === -1 || end > to) return undefined;
  return decodeEntities(xml.slice(textStart, end));
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const QUOT = '&quot;';

export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  // An ETag as most servers write it (`&quot;<hex>&quot;`): a replace with a callback per ETag was most of the scan.
  if (text.length >= 12 && text.startsWith(QUOT) && text.endsWith(QUOT) && text.indexOf('&', 6) === text.length - 6) {
    return `"${text.slice(6, -6)}"`;
  }
  return text.replace(/&(?:#x([0-9a-fA-F]+)|#(\d+)|(amp|lt|gt|quot|apos));/g, (whole, hex: string | undefined, decimal: string | undefined, name: string | undefined) => {
    if (name) return NAMED[name]!;
    const code = hex ? parseInt(hex, 16) : Number(decimal);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/**
 * Whether a scanner may read `xml`: no CDATA section, and no raw carriage return (an XML parser turns it into a line
 * feed, a scanner would keep it). Anything else goes to a full XML parser.
 */
export function scannable(xml: string): boolean {
  return !xml.includes('<![CDATA[') && !xml.includes('\r');
}
