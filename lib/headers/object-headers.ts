/** The stored headers of one object: what Garage keeps and serves back (see shared/GARAGE.md). */
import { createHash } from 'node:crypto';

export interface ObjectHeaders {
  contentType: string;
  cacheControl?: string;
  contentEncoding?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  /** `x-amz-website-redirect-location`: the web endpoint answers 301 to it. */
  websiteRedirectLocation?: string;
  /** `x-amz-meta-*` (public on the web endpoint). Keys lower-case, without the prefix. */
  metadata?: Record<string, string>;
}

/** A short, stable fingerprint of a header set, so the manifest can say "published with these headers". */
export function headersFingerprint(headers: ObjectHeaders): string {
  // The scan shares one headers object among all files with the same headers (never mutated
  // afterwards): one hash and one string per object, not per file.
  let fingerprint = fingerprints.get(headers);
  if (fingerprint === undefined) {
    fingerprint = createHash('sha256').update(JSON.stringify(sortKeys(headers))).digest('hex').slice(0, 16);
    fingerprints.set(headers, fingerprint);
  }
  return fingerprint;
}

const fingerprints = new WeakMap<ObjectHeaders, string>();

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  }
  return value;
}
