/** Lists what the bucket holds under the prefix, and reads fleuron's own records there. */
import type { S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { listPage, type ListedObject, type ListPage } from '../s3/list-page.js';
import { compareKeys, normalizeEtag } from '../s3/object-keys.js';
import { STATE_FOLDER } from './state-keys.js';
import type { RemoteObject } from './types.js';

export interface RemoteScan {
  /** Site objects, keyed by object key (listing order is not to be trusted). */
  objects: Map<string, RemoteObject>;
  /** fleuron's own objects under `.fleuron/`. */
  state: Map<string, RemoteObject>;
}

/** Keys per listing page (the S3 maximum). */
export const PAGE_KEYS = 1000;
/**
 * Most expected keys in one listing range: under a page, so that a page that falls short still reaches the range's
 * end. Ceph RGW ends a page early when one of its bucket index shards runs out of the entries it read for the page:
 * asked for 1,000 keys, it returned 904 to 1,000 (Ceph 16, 11 shards; a third of the pages short, measured at 3,000
 * and 10,000 objects). With ranges of 1,000 keys each short page cost a second request for a few keys (10,000 files:
 * 14 LISTs where 11 ranges were planned); with 900 at most, 12 ranges and 12 LISTs. A server that fills its pages
 * (s3rver, Garage, AWS) pays the same 12: the tenth of each page past a range's end is bytes, not requests.
 */
export const RANGE_KEYS = 900;
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
export async function scanRemote(client: S3Client, bucket: string, prefix: string, options: RemoteScanOptions = {}): Promise<RemoteScan> {
  const objects = new Map<string, RemoteObject>();
  const state = new Map<string, RemoteObject>();
  const stateFolder = prefix + STATE_FOLDER;
  const keep = (item: ListedObject) => {
    const object: RemoteObject = { key: item.key, size: item.size, etag: normalizeEtag(item.etag) };
    (item.key.startsWith(stateFolder) ? state : objects).set(item.key, object);
  };
  const listRange = async (after: string | undefined, upTo: () => string | undefined, onPage?: (page: ListPage) => void) => {
    let token: string | undefined;
    do {
      const page = await listPage(client, { Bucket: bucket, Prefix: prefix || undefined, StartAfter: token ? undefined : after, ContinuationToken: token, MaxKeys: PAGE_KEYS });
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

/**
 * The ends of listing ranges of at most `most` of `keys` (in any order) each, as even as can be, in UTF-8 byte order,
 * without repeats. Even ranges leave no range of a few keys at the end. The last range runs to the end of the bucket,
 * so the last key is never a bound.
 */
export function rangeBounds(keys: readonly string[], most: number = RANGE_KEYS): string[] {
  if (keys.length <= most) return [];
  const sorted = [...keys].sort();
  const ranges = Math.ceil(sorted.length / most);
  const picked: string[] = [];
  for (let range = 1; range < ranges; range++) picked.push(sorted[Math.floor((range * sorted.length) / ranges) - 1]!);
  return inKeyOrder(picked);
}

/**
 * Range ends picked in JavaScript's order (UTF-16 code units) put in S3's (UTF-8 bytes), without repeats. The two
 * differ only around astral characters, so a few picked keys may move; ranges only need their ends in S3's order.
 */
export function inKeyOrder(keys: readonly string[]): string[] {
  return [...new Set(keys)].sort(compareKeys);
}
