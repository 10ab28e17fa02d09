/**
 * Lists what the bucket holds under the prefix, and reads fleuron's own records there. Free of the S3 SDK (pages come
 * from a PageLister), so that a publish can list before the SDK is loaded (early-start.ts).
 */
import pLimit from 'p-limit';
import { PAGE_KEYS, type ListedObject, type ListPage, type PageLister } from '../s3/list-page-xml.js';
import { compareKeys, normalizeEtag } from '../s3/object-keys.js';
import { STATE_FOLDER } from './state-keys.js';
import type { RemoteObject } from './types.js';

export interface RemoteScan {
  /** Site objects, keyed by object key (listing order is not to be trusted). */
  objects: Map<string, RemoteObject>;
  /** fleuron's own objects under `.fleuron/`. */
  state: Map<string, RemoteObject>;
}

export { PAGE_KEYS } from '../s3/list-page-xml.js';
export { inKeyOrder, rangeBounds, RANGE_KEYS } from './listing-ranges.js';
/**
 * Ranges listed at once by default. A few already hide most round trips (Ceph RGW, 10,000 objects: 0.6 s in a row,
 * 0.2 s in ranges); many at once swamp a small server: the embedded s3rver listed 100,000 objects in 17 s one page
 * after the other or 4 at a time, and in 26-33 s 16 at a time.
 */
export const LIST_CONCURRENCY = 4;

export interface RemoteScanOptions {
  /**
   * Where ranges of at most RANGE_KEYS expected keys end, in S3's key order (see rangeBounds), when known soon: the
   * listing is then split into those ranges, listed side by side, instead of one page after the other.
   */
  rangeEnds?: Promise<readonly string[]>;
  /** Ranges listed at once. */
  concurrency?: number;
  /** The listing's first page, already requested (undefined when it must be requested again). */
  firstPage?: Promise<ListPage | undefined>;
}

/**
 * The whole listing under `prefix`. S3 lists keys in UTF-8 byte order and a page can only continue the one before
 * it, so a plain listing of 100,000 objects is 100 round trips in a row. With the expected keys, ranges of at most
 * RANGE_KEYS of them are bounded, `(after, upTo]`; each range is listed from `after` (StartAfter) until it passes
 * `upTo`. When the bucket holds what the folder holds, that is one page per range, all at once (LIST_CONCURRENCY).
 * The first range starts at once and, until the expected keys are known, goes on page after page rather than wait
 * (the folder's walk can take longer than several pages); once they are known it stops at the first range end past
 * what it has listed, and the ranges after that one are listed side by side. Nothing but the first range is listed
 * unless its first page shows more (a new or small bucket costs one request). An object listed twice counts once.
 */
export async function scanRemote(listPage: PageLister, bucket: string, prefix: string, options: RemoteScanOptions = {}): Promise<RemoteScan> {
  const objects = new Map<string, RemoteObject>();
  const state = new Map<string, RemoteObject>();
  const stateFolder = prefix + STATE_FOLDER;
  const keep = (item: ListedObject) => {
    const object: RemoteObject = { key: item.key, size: item.size, etag: normalizeEtag(item.etag) };
    (item.key.startsWith(stateFolder) ? state : objects).set(item.key, object);
  };
  const listRange = async (after: string | undefined, upTo: () => string | undefined, onPage?: (page: ListPage) => void) => {
    let token: string | undefined;
    let known = after === undefined ? options.firstPage : undefined;
    do {
      const page = (await known) ?? (await listPage({ Bucket: bucket, Prefix: prefix || undefined, StartAfter: token ? undefined : after, ContinuationToken: token, MaxKeys: PAGE_KEYS }));
      known = undefined;
      page.objects.forEach(keep);
      onPage?.(page);
      const last = page.objects.at(-1)?.key;
      const end = upTo();
      token = page.isTruncated && !(end !== undefined && last !== undefined && compareKeys(last, end) >= 0) ? page.nextContinuationToken : undefined;
    } while (token);
  };
  const split = new RangeSplit();
  (options.rangeEnds ?? Promise.resolve([])).then(
    (ends) => split.endsKnown(ends),
    () => split.endsKnown([]),
  );
  const first = listRange(undefined, () => split.firstEnd(), (page) => split.firstRangePage(page)).finally(() => split.firstRangeDone());
  const others = split.otherRanges.then((ranges) => {
    const limit = pLimit(Math.max(1, (options.concurrency ?? LIST_CONCURRENCY) - 1));
    return Promise.all(ranges.map((after, index) => limit(() => listRange(after, () => ranges[index + 1]))));
  });
  // Both awaited together: a failing first range is never an unhandled rejection while the others run.
  await Promise.all([first, others]);
  return { objects, state };
}

/**
 * Where the first range stops and which ranges follow it, decided once: when the range ends are known and the first
 * range has shown a truncated page, at whichever of the two events comes last. Decided from the last key the first
 * range has listed so far, so that it never lists a range another one lists too (but for the page in flight).
 */
class RangeSplit {
  private ends: readonly string[] | undefined;
  private listed: string | undefined;
  private truncated = false;
  private done = false;
  /** undefined until decided; then the first range's end (undefined: the end of the bucket). */
  private decided: { end: string | undefined } | undefined;
  private startOthers: (afters: readonly string[]) => void = () => {};
  /** The `after` keys of the ranges listed besides the first one, in order (each runs to the next). */
  readonly otherRanges = new Promise<readonly string[]>((resolve) => (this.startOthers = resolve));

  endsKnown(ends: readonly string[]): void {
    this.ends = ends;
    this.decide();
  }

  firstRangePage(page: ListPage): void {
    this.truncated = page.isTruncated;
    this.listed = page.objects.at(-1)?.key ?? this.listed;
    this.decide();
  }

  firstRangeDone(): void {
    this.done = true;
    this.startOthers([]);
  }

  /** The end of the first range: none (page after page) until decided. */
  firstEnd(): string | undefined {
    return this.decided?.end;
  }

  private decide(): void {
    if (this.decided || this.done || this.ends === undefined || !this.truncated) return;
    const listed = this.listed;
    const next = listed === undefined ? 0 : this.ends.findIndex((end) => compareKeys(end, listed) > 0);
    this.decided = { end: next < 0 ? undefined : this.ends[next] };
    this.startOthers(next < 0 ? [] : this.ends.slice(next));
  }
}
