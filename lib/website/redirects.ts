/**
 * The site's redirects, from every source: `redirects:` in fleuron.yaml, pages' `aliases` (written by
 * the builder to `.fleuron/aliases.json` in the built folder) and Deuxfleurs' `deuxfleurs.toml`.
 * Paths are site-relative (no leading slash, no prefix); `to` may also be an absolute URL.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { usageError } from '../errors/fleuron-error.js';
import { escapeMarkup } from '../text/escape.js';
import { checkKeys, isPlainObject } from '../config/check-keys.js';

export interface SiteRedirect {
  from: string;
  to: string;
  /** 301, 302, 303, 307 or 308. Object redirects can only be 301. */
  status: number;
}

export const REDIRECT_STATUSES = [301, 302, 303, 307, 308] as const;
const REDIRECT_KEYS = ['from', 'to', 'status'] as const;

/** `/old/page.html` → `old/page.html`; absolute URLs are kept. */
export function normalizeRedirectPath(value: string): string {
  if (/^https?:\/\//i.test(value)) return value;
  return value.normalize('NFC').replace(/^\/+/, '');
}

/** Validates the `redirects:` list of fleuron.yaml. */
export function parseRedirectList(value: unknown, where: string): SiteRedirect[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw usageError('config-invalid', `${where} must be a list of { from, to, status }`, 'e.g. - { from: /old.html, to: /new.html }');
  return value.map((item, index) => {
    const at = `${where}[${index}]`;
    if (!isPlainObject(item)) throw usageError('config-invalid', `${at} must be a mapping`, 'e.g. { from: /old.html, to: /new.html, status: 301 }');
    checkKeys(item, REDIRECT_KEYS, at);
    if (typeof item.from !== 'string' || item.from.replace(/^\/+/, '') === '' || /^https?:/i.test(item.from)) {
      throw usageError('config-invalid', `${at}.from must be a path of this site, such as /old.html`, 'write the old path, starting with /');
    }
    if (typeof item.to !== 'string' || item.to === '') throw usageError('config-invalid', `${at}.to must be a path or a URL`, 'e.g. to: /new.html or https://example.org/');
    const status = item.status ?? 301;
    if (!REDIRECT_STATUSES.includes(status as (typeof REDIRECT_STATUSES)[number])) {
      throw usageError('config-invalid', `${at}.status must be one of ${REDIRECT_STATUSES.join(', ')}`, 'use 301 for a permanent move');
    }
    return { from: normalizeRedirectPath(item.from), to: normalizeRedirectPath(item.to), status: status as number };
  });
}

/** The aliases the builder wrote into a built folder (none when the folder was built by another tool). */
export function readBuiltAliases(builtDir: string): SiteRedirect[] {
  const file = path.join(builtDir, '.fleuron', 'aliases.json');
  if (!existsSync(file)) return [];
  const list = JSON.parse(readFileSync(file, 'utf8')) as { from: string; to: string; status?: number }[];
  return list.map((alias) => ({ from: normalizeRedirectPath(alias.from), to: normalizeRedirectPath(alias.to), status: alias.status ?? 301 }));
}

export interface DeuxfleursConfig {
  indexPage?: string;
  errorPage?: string;
  redirects: SiteRedirect[];
}

/** Reads Deuxfleurs' `deuxfleurs.toml` (index_page, error_page, [[redirects]] from/to), as their dxfl tool does. */
export function readDeuxfleursToml(dir: string): DeuxfleursConfig | undefined {
  const file = path.join(dir, 'deuxfleurs.toml');
  if (!existsSync(file)) return undefined;
  let data: Record<string, unknown>;
  try {
    data = parseToml(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw usageError('config-invalid', `${file}: invalid TOML: ${(error as Error).message.split('\n')[0]}`, 'fix the syntax (see dxfl documentation)');
  }
  const text = (key: string) => (typeof data[key] === 'string' ? (data[key] as string) : undefined);
  const redirects = Array.isArray(data.redirects)
    ? parseRedirectList(
        (data.redirects as Record<string, unknown>[]).map((entry) => ({ from: entry.from, to: entry.to, ...(entry.status !== undefined ? { status: entry.status } : {}) })),
        `${file}: redirects`,
      )
    : [];
  return { indexPage: text('index_page'), errorPage: text('error_page'), redirects };
}

/** All redirects, later sources overriding earlier ones for the same `from`; sorted for stable plans. */
export function mergeRedirects(...lists: SiteRedirect[][]): SiteRedirect[] {
  const byFrom = new Map<string, SiteRedirect>();
  for (const list of lists) for (const redirect of list) byFrom.set(redirect.from, redirect);
  return [...byFrom.values()].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
}

/**
 * The Location a redirect sends: relative targets become `<rootPath><to>`, where rootPath is the URL
 * path of the site root (`/` + prefix on Garage). Garage requires object redirect locations to start
 * with `/`, `http://` or `https://`.
 */
export function redirectLocation(redirect: SiteRedirect, rootPath: string): string {
  return /^https?:\/\//i.test(redirect.to) ? redirect.to : `${rootPath}/${redirect.to}`.replace(/\/{2,}/g, '/');
}

/** The target relative to the redirect's own path, for the HTML fallback page (works under any prefix and from disk). */
export function relativeHref(from: string, to: string): string {
  if (/^https?:\/\//i.test(to)) return to;
  const fromParts = from.split('/').slice(0, -1);
  const toParts = to.split('/');
  let common = 0;
  while (common < fromParts.length && common < toParts.length - 1 && fromParts[common] === toParts[common]) common++;
  const up = fromParts.length - common;
  const href = [...Array(up).fill('..'), ...toParts.slice(common)].join('/');
  return href.split('/').map((part) => (part === '..' ? part : encodeURIComponent(part))).join('/') || './';
}

/**
 * The body of a redirect object: a page with a meta refresh and a canonical link, for servers that
 * ignore `x-amz-website-redirect-location` (Garage before 1.1) and for any static host.
 */
export function redirectPage(location: string): string {
  const href = escapeMarkup(location);
  return `<!doctype html><html><head><meta charset="utf-8"><title>Redirection</title><link rel="canonical" href="${href}"><meta http-equiv="refresh" content="0; url=${href}"><meta name="robots" content="noindex"></head><body><p><a href="${href}">${href}</a></p></body></html>\n`;
}
