/** Where the ranges of a split listing end (see scan-remote.ts): pure, and apart from the S3 client, so a scan can start before it loads. */
import { compareKeys } from '../s3/object-keys.js';

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
