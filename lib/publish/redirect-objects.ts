/**
 * Redirects as objects, where the server has no routing rules: each `from` key holds a tiny HTML page
 * (meta refresh + canonical link, for any static host and Garage before 1.1) and carries
 * `x-amz-website-redirect-location`, which Garage 1.1+ answers with a 301.
 */
import { createHash } from 'node:crypto';
import { DEFAULT_INDEX_DOCUMENT } from '../config/publish-settings.js';
import { CACHE_REVALIDATE } from '../headers/header-rules.js';
import { redirectLocation, redirectPage, relativeHref, type SiteRedirect } from '../website/redirects.js';
import type { LocalFile } from './types.js';

export interface RedirectObjects {
  objects: LocalFile[];
  warnings: string[];
}

/**
 * @param files the folder's own objects: a real file at a redirect's `from` wins.
 * @param rootPath URL path of the site root, e.g. `/` or `/blog/` (`/<bucket>/` on a path-style endpoint).
 * @param indexDocument the bucket's index document: `/old/` is served from `old/<indexDocument>`.
 */
export function redirectObjects(redirects: readonly SiteRedirect[], files: readonly LocalFile[], prefix: string, rootPath: string, indexDocument = DEFAULT_INDEX_DOCUMENT): RedirectObjects {
  // No set of 10,000 keys for no redirect (15 ms of the main thread in a profile of every publish's plan).
  if (redirects.length === 0) return { objects: [], warnings: [] };
  const existing = new Set(files.map((file) => file.key));
  const objects: LocalFile[] = [];
  const warnings: string[] = [];
  for (const redirect of redirects) {
    // `/old/` is served from `old/<index document>`: that is where its redirect object must sit.
    const key = `${prefix}${redirect.from.endsWith('/') ? `${redirect.from}${indexDocument}` : redirect.from}`;
    if (existing.has(key)) {
      warnings.push(`redirect from ${redirect.from} ignored: a file of the site has that path`);
      continue;
    }
    if (redirect.status !== 301) warnings.push(`redirect from ${redirect.from} is published as a 301 (objects cannot carry ${redirect.status}; Garage 2.x routing rules can)`);
    const body = Buffer.from(redirectPage(relativeHref(key.slice(prefix.length), redirect.to)));
    objects.push({
      key,
      size: body.length,
      md5: createHash('md5').update(body).digest('hex'),
      headers: { contentType: 'text/html; charset=utf-8', cacheControl: CACHE_REVALIDATE, websiteRedirectLocation: redirectLocation(redirect, rootPath) },
      source: { kind: 'bytes', body },
    });
  }
  return { objects, warnings };
}
