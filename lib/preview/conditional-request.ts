/**
 * Conditional and range requests on a stored object, as pure decisions: `If-None-Match` /
 * `If-Modified-Since` → 304, `If-Match` / `If-Unmodified-Since` → 412 (RFC 9110 order), one
 * `Range` → 206 or 416. Garage honours these on its web endpoint (../shared/GARAGE.md).
 */

export interface Preconditions {
  ifMatch?: string;
  ifNoneMatch?: string;
  ifModifiedSince?: string;
  ifUnmodifiedSince?: string;
}

/** `ok` serves the object; `not-modified` is a 304; `precondition-failed` a 412. */
export type PreconditionResult = 'ok' | 'not-modified' | 'precondition-failed';

/**
 * `etag` is quoted (`"d41d8…"`), as sent in the ETag header. Dates compare at one-second precision,
 * the precision of HTTP dates. A date that does not parse is ignored, as RFC 9110 says.
 */
export function evaluatePreconditions(conditions: Preconditions, etag: string, lastModified: Date): PreconditionResult {
  const modifiedSeconds = Math.floor(lastModified.getTime() / 1000);
  if (conditions.ifMatch !== undefined) {
    if (!matchesAny(conditions.ifMatch, etag, false)) return 'precondition-failed';
  } else if (conditions.ifUnmodifiedSince !== undefined) {
    const since = httpDateSeconds(conditions.ifUnmodifiedSince);
    if (since !== undefined && modifiedSeconds > since) return 'precondition-failed';
  }
  if (conditions.ifNoneMatch !== undefined) {
    if (matchesAny(conditions.ifNoneMatch, etag, true)) return 'not-modified';
  } else if (conditions.ifModifiedSince !== undefined) {
    const since = httpDateSeconds(conditions.ifModifiedSince);
    if (since !== undefined && modifiedSeconds <= since) return 'not-modified';
  }
  return 'ok';
}

/** Whether a list of entity tags (`"a", W/"b"` or `*`) names `etag`; weak comparison ignores `W/`. */
export function matchesAny(list: string, etag: string, weak: boolean): boolean {
  const tags = list.split(',').map((tag) => tag.trim()).filter((tag) => tag !== '');
  if (tags.includes('*')) return true;
  const strip = (tag: string) => (weak ? tag.replace(/^W\//, '') : tag);
  return tags.some((tag) => !(!weak && tag.startsWith('W/')) && strip(tag) === strip(etag));
}

function httpDateSeconds(text: string): number | undefined {
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : Math.floor(time / 1000);
}

export type RangeResult =
  | { kind: 'whole' }
  /** Inclusive byte positions. */
  | { kind: 'partial'; start: number; end: number }
  | { kind: 'unsatisfiable' }
  /** Garage refuses several ranges in one request (400). */
  | { kind: 'multiple' };

/** Parses a `Range` header for a body of `size` bytes. A header that is not `bytes=` is ignored. */
export function parseRange(header: string | undefined, size: number): RangeResult {
  if (header === undefined) return { kind: 'whole' };
  const match = /^\s*bytes\s*=\s*(.+)$/i.exec(header);
  if (!match) return { kind: 'whole' };
  const specs = match[1]!.split(',').map((spec) => spec.trim()).filter((spec) => spec !== '');
  if (specs.length > 1) return { kind: 'multiple' };
  const spec = /^(\d*)\s*-\s*(\d*)$/.exec(specs[0] ?? '');
  if (!spec || (spec[1] === '' && spec[2] === '')) return { kind: 'whole' };
  if (spec[1] === '') {
    // Suffix range: the last N bytes.
    const length = Number(spec[2]);
    if (length === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(spec[1]);
  // `bytes=5-3` is not a valid range: the header is ignored.
  if (spec[2] !== '' && Number(spec[2]) < start) return { kind: 'whole' };
  const end = spec[2] === '' ? size - 1 : Math.min(Number(spec[2]), size - 1);
  if (start >= size || end < start) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start, end };
}
