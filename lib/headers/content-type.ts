/** The Content-Type of every published file: one table, one place (the publisher and the preview server both read it). */
import path from 'node:path';
import { MEDIA_TYPES } from './media-types.js';

/**
 * Where `mime-types` (media-types.ts, its table) is wrong or silent for the web. Garage never guesses a type, so a file without
 * one would be downloaded instead of shown.
 */
const OVERRIDES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.cjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.webmanifest': 'application/manifest+json',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.avif': 'image/avif',
  '.jxl': 'image/jxl',
  '.svg': 'image/svg+xml',
  '.atom': 'application/atom+xml',
  '.rss': 'application/rss+xml',
  '.xml': 'application/xml',
  '.ico': 'image/x-icon',
  '.map': 'application/json',
  '.md': 'text/markdown',
  '.gmi': 'text/gemini',
  '.txt': 'text/plain',
  '.asc': 'text/plain',
  '.pub': 'text/plain',
  '.key': 'text/plain',
  '.opus': 'audio/opus',
};

export const UNKNOWN_CONTENT_TYPE = 'application/octet-stream';

/** Types that are text even though they are not `text/*`. */
function isTextual(type: string): boolean {
  return (
    type.startsWith('text/') ||
    type.endsWith('+xml') ||
    type.endsWith('+json') ||
    type === 'application/json' ||
    type === 'application/xml' ||
    type === 'application/javascript' ||
    type === 'application/toml'
  );
}

/** The bare media type for a path, without parameters. */
export function mediaTypeFor(filePath: string): string {
  const extension = path.extname(filePath).toLowerCase();
  return OVERRIDES[extension] ?? MEDIA_TYPES.get(extension.slice(1)) ?? UNKNOWN_CONTENT_TYPE;
}

/** The Content-Type header for a path: the media type, with `charset=utf-8` on textual types. */
export function contentTypeFor(filePath: string): string {
  const type = mediaTypeFor(filePath);
  return isTextual(type) ? `${type}; charset=utf-8` : type;
}

/** Whether gzip pre-compression is worth it for this type (text compresses; images and fonts do not). */
export function isCompressible(filePath: string): boolean {
  const type = mediaTypeFor(filePath);
  return isTextual(type) || type === 'image/svg+xml' || type === 'application/wasm' || type === 'image/x-icon';
}
