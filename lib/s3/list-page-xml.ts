/**
 * Reads a ListObjectsV2 response body with a small scanner (see list-page.ts for why), without the S3 SDK: the early
 * listing request (early-get.ts) is read before the SDK is loaded.
 */

/** Keys per listing page: the S3 maximum. */
export const PAGE_KEYS = 1000;

export interface ListedObject {
  key: string;
  size: number;
  /** As the server wrote it, quotes included. */
  etag: string;
}

export interface ListPage {
  objects: ListedObject[];
  isTruncated: boolean;
  nextContinuationToken?: string;
}

/** What one ListObjectsV2 request asks (the SDK's names). */
export interface ListPageInput {
  Bucket: string;
  Prefix?: string;
  StartAfter?: string;
  ContinuationToken?: string;
  MaxKeys?: number;
}

/** Lists one page: through the S3 client (list-page.ts) or, before it is loaded, with a signed early GET. */
export type PageLister = (input: ListPageInput) => Promise<ListPage>;

/**
 * The objects, truncation and continuation token of a ListObjectsV2 response body, or undefined when the body holds
 * something the scanner does not handle (the caller then uses a full XML parser).
 */
export function scanListPage(xml: string): ListPage | undefined {
  if (!xml.includes('<ListBucketResult') || xml.includes('<![CDATA[') || xml.includes('\r')) return undefined;
  const objects: ListedObject[] = [];
  for (let start = xml.indexOf('<Contents>'); start !== -1; start = xml.indexOf('<Contents>', start + 10)) {
    const end = xml.indexOf('</Contents>', start);
    if (end === -1) return undefined;
    const item = xml.slice(start + 10, end);
    const key = textOf(item, 'Key');
    const size = textOf(item, 'Size');
    if (key === undefined || size === undefined || !/^\s*\d+\s*$/.test(size)) return undefined;
    objects.push({ key, size: Number(size), etag: textOf(item, 'ETag') ?? '' });
  }
  const keyCount = textOf(xml, 'KeyCount');
  // A server that counts the objects (no delimiter is asked, so no common prefixes) confirms the scan found them all.
  if (keyCount !== undefined && Number(keyCount) !== objects.length) return undefined;
  const truncated = textOf(xml, 'IsTruncated')?.trim();
  const token = textOf(xml, 'NextContinuationToken');
  return { objects, isTruncated: truncated === 'true', ...(token ? { nextContinuationToken: token } : {}) };
}

/** The text of the first `<name>` element of `xml`, entities decoded; undefined when absent (or empty as `<name/>`). */
function textOf(xml: string, name: string): string | undefined {
  const open = xml.indexOf(`<${name}>`);
  if (open === -1) return undefined;
  const from = open + name.length + 2;
  const close = xml.indexOf(`</${name}>`, from);
  if (close === -1) return undefined;
  return decodeEntities(xml.slice(from, close));
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(?:#x([0-9a-fA-F]+)|#(\d+)|(amp|lt|gt|quot|apos));/g, (whole, hex: string | undefined, decimal: string | undefined, name: string | undefined) => {
    if (name) return NAMED[name]!;
    const code = hex ? parseInt(hex, 16) : Number(decimal);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

