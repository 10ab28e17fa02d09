/**
 * Reads a ListObjectsV2 response body with a small scanner (see list-page.ts for why), without the S3 SDK: the early
 * listing request (early-get.ts) is read before the SDK is loaded.
 */
import { scannable, textBetween, textOf } from './xml-text.js';

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
  if (!xml.includes('<ListBucketResult') || !scannable(xml)) return undefined;
  const objects: ListedObject[] = [];
  // Positions in the whole body rather than a slice per entry: the scanner runs a dozen times per publish, mostly
  // before V8 optimises it, and a slice and three searches in it per object cost 60-80 ms at 10,000 objects.
  for (let start = xml.indexOf('<Contents>'); start !== -1; start = xml.indexOf('<Contents>', start + 10)) {
    const end = xml.indexOf('</Contents>', start);
    if (end === -1) return undefined;
    const key = textBetween(xml, '<Key>', '</Key>', start, end);
    const size = textBetween(xml, '<Size>', '</Size>', start, end);
    if (key === undefined || size === undefined || !/^\s*\d+\s*$/.test(size)) return undefined;
    objects.push({ key, size: Number(size), etag: textBetween(xml, '<ETag>', '</ETag>', start, end) ?? '' });
    start = end;
  }
  const keyCount = textOf(xml, 'KeyCount');
  if (keyCount !== undefined && Number(keyCount) !== objects.length) return undefined;
  detachKeys(objects);
  const truncated = textOf(xml, 'IsTruncated')?.trim();
  const token = textOf(xml, 'NextContinuationToken');
  return { objects, isTruncated: truncated === 'true', ...(token ? { nextContinuationToken: token } : {}) };
}

/**
 * Keys cut from the body would keep the whole page alive (~260 KB of XML per 1,000 keys) as long as a key is held,
 * i.e. the whole publish: 26 MB of a 100,000-object no-op's heap. The page's keys are copied into one string of their
 * own and cut from that (55 KB per 1,000 keys): one copy per page, where a copy per key cost 9-10 ms per 10,000 keys
 * on Node 20. A key cannot hold U+0000 (XML cannot carry it); if a server writes one anyway, the count tells, and the
 * keys are left as they are. The ETags are copied anyway (normalizeEtag).
 */
function detachKeys(objects: ListedObject[]): void {
  if (objects.length === 0) return;
  const keys = objects.map((object) => object.key).join('\0').split('\0');
  if (keys.length !== objects.length) return;
  for (let index = 0; index < keys.length; index++) objects[index]!.key = keys[index]!;
}
