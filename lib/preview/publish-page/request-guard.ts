/**
 * Pure: whether a request may change something (write keys, publish, roll back). Only a POST from the
 * page itself: the per-process token of its forms, and a same-origin `Origin` (or, without one,
 * `Sec-Fetch-Site: same-origin`). A cross-site form cannot read the token; a rebinding page is already
 * refused by the Host check, and its Origin would not match either.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';

export interface StateChangeRequest {
  method: string;
  /** The Host header (already checked to be the preview's own address). */
  host: string | undefined;
  origin: string | undefined;
  secFetchSite: string | undefined;
  /** The `token` field of the form, if any. */
  token: string | undefined;
}

export type GuardVerdict = { ok: true } | { ok: false; why: string };

/** A fresh token for this process: 128 random bits. */
export function makePageToken(): string {
  return randomBytes(16).toString('hex');
}

export function judgeStateChange(request: StateChangeRequest, expectedToken: string): GuardVerdict {
  if (request.method !== 'POST') return { ok: false, why: 'only a POST from the publish page may change something' };
  if (request.origin !== undefined) {
    if (request.host === undefined || request.origin.toLowerCase() !== `http://${request.host.toLowerCase()}`) return { ok: false, why: 'the request came from another site' };
  } else if (request.secFetchSite !== 'same-origin') {
    return { ok: false, why: 'the request does not say it came from this page (no Origin)' };
  }
  if (request.secFetchSite !== undefined && request.secFetchSite !== 'same-origin') return { ok: false, why: 'the request came from another site' };
  if (request.token === undefined || request.token === '') return { ok: false, why: 'the form token is missing: reload the publish page' };
  if (!sameText(request.token, expectedToken)) return { ok: false, why: 'the form token is wrong (the preview was restarted?): reload the publish page' };
  return { ok: true };
}

function sameText(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
