/**
 * Which headers a file gets: ordered glob rules, first match wins for each header, the user's rules
 * before the defaults. The publisher and the preview server both call `headersFor`.
 */
import picomatch from 'picomatch';
import { contentTypeFor, isCompressible } from './content-type.js';
import type { ObjectHeaders } from './object-headers.js';
import type { HeaderRule } from './rule-shape.js';

// The rule's shape lives apart, so that reading the settings does not load the Content-Type table (media-types.ts).
export { HEADER_RULE_KEYS, type HeaderRule } from './rule-shape.js';

export const CACHE_REVALIDATE = 'public, max-age=0, must-revalidate';
export const CACHE_IMMUTABLE = 'public, max-age=31536000, immutable';
export const CACHE_MODERATE = 'public, max-age=3600';

/** A file name carrying a content hash (`app.3f9a1c2e.css`, `logo-8d3b0f1a9c.svg`): its bytes never change. */
const FINGERPRINTED = /[.-](?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{8,64}\.[^./]+$/;

/**
 * The defaults: pages and feeds are revalidated on every visit (a new post shows at once),
 * fingerprinted assets are cached for a year, everything else for an hour.
 */
export const DEFAULT_HEADER_RULES: readonly HeaderRule[] = [
  { match: ['**/*.{html,htm}', '**/*.{xml,atom,rss,json,webmanifest,txt}'], cacheControl: CACHE_REVALIDATE },
  { match: '**/*', cacheControl: CACHE_MODERATE },
];

export interface HeaderPolicy {
  rules?: readonly HeaderRule[];
  /** Gzip textual files and store them with `Content-Encoding: gzip` (Garage serves them as stored). */
  gzip?: boolean;
}

export interface CompiledHeaderPolicy {
  headersFor(key: string): ObjectHeaders;
  /** Whether the body of `key` is stored gzip-compressed. */
  gzipFor(key: string): boolean;
}

interface CompiledRule {
  rule: HeaderRule;
  test: (key: string) => boolean;
}

function compile(rule: HeaderRule): CompiledRule {
  const globs = Array.isArray(rule.match) ? rule.match : [rule.match];
  const test = picomatch(globs, { dot: true });
  return { rule, test };
}

/** Compiles the rules once; `headersFor` is then a pure, fast lookup. */
export function compileHeaderPolicy(policy: HeaderPolicy = {}): CompiledHeaderPolicy {
  const user = (policy.rules ?? []).map(compile);
  const defaults = DEFAULT_HEADER_RULES.map(compile);
  const compressionOn = policy.gzip === true;

  const first = <K extends keyof HeaderRule>(key: string, field: K): HeaderRule[K] | undefined => {
    for (const { rule, test } of user) if (rule[field] !== undefined && test(key)) return rule[field];
    if (field === 'cacheControl' && FINGERPRINTED.test(key) && !/\.html?$/.test(key)) return CACHE_IMMUTABLE as HeaderRule[K];
    for (const { rule, test } of defaults) if (rule[field] !== undefined && test(key)) return rule[field];
    return undefined;
  };

  const gzipFor = (key: string): boolean => compressionOn && (first(key, 'gzip') ?? isCompressible(key));
  const computeHeaders = (key: string): ObjectHeaders => {
    const headers: ObjectHeaders = { contentType: first(key, 'contentType') ?? contentTypeFor(key) };
    const cacheControl = first(key, 'cacheControl');
    if (cacheControl) headers.cacheControl = cacheControl;
    const disposition = first(key, 'contentDisposition');
    if (disposition) headers.contentDisposition = disposition;
    const language = first(key, 'contentLanguage');
    if (language) headers.contentLanguage = language;
    if (gzipFor(key)) headers.contentEncoding = 'gzip';
    return headers;
  };

  return { gzipFor, headersFor: user.length === 0 ? byNameClass(computeHeaders) : computeHeaders };
}

/**
 * Without user rules, the headers of a key depend only on its file name's extension and on whether the name is
 * fingerprinted (the default rules' globs end in `*.<ext>` or are `**\/*`, the content type and gzip go by the
 * extension): one frozen object per such class, computed once, instead of five glob tests, a MIME lookup and an
 * object per file (a publish scans 10,000 files for a handful of classes). Names that start with a dot or have no
 * extension (`.html` matches `*.html`) are computed each time.
 */
function byNameClass(computeHeaders: (key: string) => ObjectHeaders): (key: string) => ObjectHeaders {
  const byClass = new Map<string, ObjectHeaders>();
  return (key) => {
    const slash = key.lastIndexOf('/');
    const dot = key.lastIndexOf('.');
    if (dot <= slash + 1) return computeHeaders(key);
    const nameClass = FINGERPRINTED.test(key) ? `${key.slice(dot)}#` : key.slice(dot);
    let headers = byClass.get(nameClass);
    if (headers === undefined) {
      headers = Object.freeze(computeHeaders(key));
      byClass.set(nameClass, headers);
    }
    return headers;
  };
}
