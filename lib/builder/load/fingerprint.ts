/**
 * Content-hashed names for the theme's assets (`theme.css` → `theme.3f9a1c2e.css`): a name that changes with the
 * bytes lets the header rules serve the file `immutable` for a year (see headers/header-rules.ts), so a returning
 * reader never asks for it again, while pages (revalidated at every visit) link the new name as soon as it changes.
 */
import { createHash } from 'node:crypto';

/**
 * The hex digits of the name: the first 8 of the SHA-256, more when those lack a letter or a digit, which the
 * header rules require to tell a fingerprint from an ordinary number (`report-20240115.css`).
 */
export function fingerprintOf(bytes: Buffer | string): string {
  const hex = createHash('sha256').update(bytes).digest('hex');
  let length = 8;
  while (length < hex.length && !(/[a-f]/.test(hex.slice(0, length)) && /\d/.test(hex.slice(0, length)))) length++;
  return hex.slice(0, length);
}

/** `theme.css` with these bytes → `theme.<fingerprint>.css`; a name without an extension gets the fingerprint at its end. */
export function fingerprintedName(name: string, bytes: Buffer | string): string {
  const dot = name.lastIndexOf('.');
  const slash = name.lastIndexOf('/');
  const fingerprint = fingerprintOf(bytes);
  return dot > slash + 1 ? `${name.slice(0, dot)}.${fingerprint}${name.slice(dot)}` : `${name}.${fingerprint}`;
}
