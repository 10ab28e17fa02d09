/**
 * PutObject of a small body without the S3 client's middleware stack: signed and sent as the early GETs are
 * (early-get.ts). A publish uploads every changed file below 16 MiB this way.
 *
 * The SDK's own path costs 3-7 ms of the main thread per request (a dozen middlewares, user agent, endpoint
 * resolution, retry bookkeeping, the request's serialisation); 100 small uploads 16 at a time took 0.6-0.9 s on
 * Ceph with 15-25 ms of latency, where the round trips need ~0.2 s (a CPU profile of the upload phase: the main
 * thread busy 70 % of it, mostly in those middlewares). Anything but a 200 with an ETag (an error status, a network
 * error, a timeout) resolves to undefined and the caller sends the same PUT through the SDK, which retries with
 * backoff and describes errors as for any request: a PUT of the same bytes may be sent twice.
 */
import { normalizeEtag } from './object-keys.js';
import { signedRequest, type EarlyTarget } from './early-get.js';
import type { RequestCounter } from './request-counter.js';

export interface SmallPut {
  bucket: string;
  key: string;
  body: Buffer;
  /** The stored headers and Content-MD5, lower-case names (see object-params.ts). */
  headers: Record<string, string>;
}

/** Puts small objects to `target`, each attempt counted as a PutObject in `counter`. */
export type SmallPutter = (put: SmallPut) => Promise<string | undefined>;

/** The ETag (bare, lower case) of the stored object; undefined when the SDK must send it instead (see above). */
export function smallPutter(target: EarlyTarget, counter: RequestCounter, timeoutMs = 30_000): SmallPutter {
  return async ({ bucket, key, body, headers }) => {
    counter.add('PutObject');
    const response = await signedRequest(target, { method: 'PUT', bucket, key, headers, body }, undefined, timeoutMs);
    if (response?.status !== 200 || !response.headers.etag) return undefined;
    return normalizeEtag(response.headers.etag);
  };
}
