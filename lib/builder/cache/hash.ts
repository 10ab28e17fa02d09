/** The hashes the incremental cache keys on: of texts, and of the builder's own code. */
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stampOf } from '../../files/file-stamp.js';

/**
 * Hashes are the first 128 bits of SHA-256 in base64url (22 characters): plenty to tell versions of a text apart,
 * and short, as the cache keeps several for each of thousands of pages and is read at every build.
 */
function shortDigest(hash: ReturnType<typeof createHash>): string {
  return hash.digest().subarray(0, 16).toString('base64url');
}

/** The hash of a list of texts (each ended by a NUL, so that `ab`,`c` and `a`,`bc` differ). */
export function hashOf(...parts: string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return shortDigest(hash);
}

/** The hash of a file's bytes, or of a text as UTF-8. */
export function contentHash(content: string | Buffer): string {
  return shortDigest(createHash('sha256').update(content));
}

let fingerprint: string | undefined;

/**
 * A hash of the builder's code files (`lib/builder`, `dist/builder`, or all of `dist/` when it runs bundled), so that
 * a new fleuron version never reuses old output. It hashes their stamps (size, times, inode), not their bytes:
 * bundled, that is megabytes read at every build. Any new copy of a file (an upgrade, a build, even npm's
 * fixed-date extraction) has a new change time and inode, so a new stamp.
 */
export function builderFingerprint(): string {
  if (fingerprint !== undefined) return fingerprint;
  const root = fileURLToPath(new URL('../', import.meta.url));
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const file = path.join(dir, name);
      const stats = statSync(file);
      if (stats.isDirectory()) walk(file);
      else if (/\.(js|ts)$/.test(name)) hash.update(path.relative(root, file)).update('\0').update(stampOf(stats)).update('\0');
    }
  };
  walk(root);
  fingerprint = shortDigest(hash);
  return fingerprint;
}
