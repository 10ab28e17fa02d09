/**
 * Where a folder's hash cache (hash-cache.ts) is kept. Apart, with nothing but Node's modules, so that bin/ can look
 * at it before the CLI loads (bin/young-generation.js: a small site's publish is not restarted).
 */
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';

/** `$XDG_CACHE_HOME/fleuron/hashes-<digest of the folder path>`, else under `~/.cache`. */
export function defaultCacheFile(realRoot: string): string | undefined {
  const base = process.env.XDG_CACHE_HOME || (os.homedir() ? path.join(os.homedir(), '.cache') : undefined);
  if (!base) return undefined;
  const digest = createHash('sha256').update(realRoot).digest('hex').slice(0, 24);
  return path.join(base, 'fleuron', `hashes-${digest}`);
}
