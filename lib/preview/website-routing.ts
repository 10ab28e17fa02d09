/**
 * How Garage's web endpoint turns a request into an answer, as a pure function of the request and the
 * set of stored keys: index documents, the implicit `302` to `dir/`, redirects, the error document.
 * Follows Garage's `path_to_keys` and `serve_file` (src/web/web_server.rs, 1.x and 2.x) and ../shared/GARAGE.md.
 */
import { redirectLocation, type SiteRedirect } from '../website/redirects.js';

export interface WebsiteRules {
  /** The index document suffix, `index.html` unless configured. */
  indexDocument: string;
  /** The error document key, `404.html` unless configured; undefined for none. */
  errorDocument?: string;
  /** Redirects by `from` key (site-relative, NFC, no leading slash). */
  redirects: ReadonlyMap<string, SiteRedirect>;
}

/** What to answer. `object` serves a stored key; the rest need no body lookup except the error document. */
export type WebsiteRoute =
  | { kind: 'object'; key: string }
  | { kind: 'redirect'; status: number; location: string; reason: 'folder' | 'redirect' }
  /** The key is missing: GET answers the error document (when it exists) with status 404; HEAD gets no body. */
  | { kind: 'not-found'; key: string; errorDocument?: string }
  | { kind: 'bad-request'; message: string }
  /** OPTIONS is a CORS preflight on Garage; fleuron configures no CORS rule, so it never matches. */
  | { kind: 'preflight' }
  | { kind: 'method-not-allowed' };

export const ALLOWED_METHODS = ['GET', 'HEAD', 'OPTIONS'] as const;

/** Garage's `ImplicitRedirect`: for `/dir`, the key `dir/index.html` and the URL `/dir/`. */
export interface KeyLookup {
  key: string;
  implicitRedirect?: { key: string; location: string };
}

/**
 * The key a request path names. `rawPath` is the path as sent (percent-encoded, no query string).
 * `/` and `.../` get the index document; `/dir` may redirect to `/dir/` (the Location keeps the raw path).
 * Like Garage, the decoded path is used as is: no Unicode normalisation, no `..` resolution.
 */
export function pathToKey(rawPath: string, indexDocument: string): KeyLookup | { error: string } {
  const decoded = percentDecodeUtf8(rawPath);
  if (decoded === undefined) return { error: 'Invalid UTF-8 in the path' };
  if (!decoded.startsWith('/')) return { error: 'Path must start with a / (slash)' };
  const base = decoded.slice(1);
  if (base === '') return { key: indexDocument };
  if (decoded.endsWith('/')) return { key: `${base}${indexDocument}` };
  return { key: base, implicitRedirect: { key: `${base}/${indexDocument}`, location: `${rawPath}/` } };
}

/** `%XX` → byte, everything else as is (a lone `%` stays), then strict UTF-8; undefined when not UTF-8. */
export function percentDecodeUtf8(text: string): string | undefined {
  if (!text.includes('%')) return text;
  const bytes: number[] = [];
  const raw = Buffer.from(text, 'utf8');
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i]!;
    if (byte === 0x25 && i + 2 < raw.length && isHex(raw[i + 1]) && isHex(raw[i + 2])) {
      bytes.push(parseInt(String.fromCharCode(raw[i + 1]!, raw[i + 2]!), 16));
      i += 2;
    } else bytes.push(byte);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
  } catch {
    return undefined;
  }
}

function isHex(byte: number | undefined): boolean {
  return byte !== undefined && ((byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66));
}

/** Strips the query string (Garage ignores it) and the fragment a client should never send. */
export function pathOfUrl(url: string): string {
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}

/**
 * The answer for one request. `hasFile(key)` says whether a real file is stored at a key.
 * A redirect applies only where no file exists (Garage 2.x routing rules conditioned on 404, or a
 * redirect object in place of the missing page on 1.1+); a redirect's `from` also counts as stored
 * when deciding the implicit `302` from `/dir` to `/dir/`, as a redirect object would.
 */
export function routeRequest(method: string, url: string, hasFile: (key: string) => boolean, rules: WebsiteRules): WebsiteRoute {
  if (!(ALLOWED_METHODS as readonly string[]).includes(method)) return { kind: 'method-not-allowed' };
  if (method === 'OPTIONS') return { kind: 'preflight' };
  const lookup = pathToKey(pathOfUrl(url), rules.indexDocument);
  if ('error' in lookup) return { kind: 'bad-request', message: lookup.error };

  if (hasFile(lookup.key)) return { kind: 'object', key: lookup.key };
  const redirect = rules.redirects.get(lookup.key);
  if (redirect) return { kind: 'redirect', status: redirect.status, location: redirectLocation(redirect, ''), reason: 'redirect' };
  const implicit = lookup.implicitRedirect;
  if (implicit && (hasFile(implicit.key) || rules.redirects.has(implicit.key))) {
    return { kind: 'redirect', status: 302, location: implicit.location, reason: 'folder' };
  }
  const errorDocument = rules.errorDocument !== undefined && hasFile(rules.errorDocument) ? rules.errorDocument : undefined;
  return { kind: 'not-found', key: lookup.key, ...(errorDocument !== undefined ? { errorDocument } : {}) };
}
