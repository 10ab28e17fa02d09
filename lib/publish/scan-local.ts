/** Scans the folder to publish: which objects it holds, with their keys, hashes and headers. */
import fg from 'fast-glob';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import pMap from 'p-map';
import picomatch from 'picomatch';
import { FleuronError, usageError } from '../errors/fleuron-error.js';
import type { CompiledHeaderPolicy } from '../headers/header-rules.js';
import { hashFileBody, type BodyHash, type FileStamp } from './body-hash.js';
import { HashCache } from './hash-cache.js';
import type { ObjectHeaders } from '../headers/object-headers.js';
import type { LocalFile } from './types.js';

/** Never published unless a pattern in `include` names them: dotfiles and dot-folders, dependencies, OS litter. */
export const DEFAULT_EXCLUDE = ['**/.*', '**/.*/**', '**/node_modules/**', '**/Thumbs.db', '**/desktop.ini'] as const;
/** Published although excluded above. */
export const DEFAULT_INCLUDE = ['.well-known/**'] as const;
/** S3's limit on a key, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 1024;

export interface LocalScanOptions {
  dir: string;
  /** Normalised prefix (`''` or `site/`). */
  prefix: string;
  policy: CompiledHeaderPolicy;
  /** Extra patterns to leave out (relative to the folder). */
  exclude?: readonly string[];
  /** Patterns to publish even if excluded (e.g. `.htaccess`). */
  include?: readonly string[];
  /** Parallel file reads while hashing. */
  concurrency?: number;
  /** Reuse hashes of files unchanged since the last scan (see hash-cache.ts); default true. */
  hashCache?: boolean;
}

export interface LocalScan {
  files: LocalFile[];
  warnings: string[];
  /** Files whose hash came from the hash cache instead of being read. */
  hashesFromCache: number;
}

/** `''` or `a/b/`: no leading slash, one trailing slash, NFC. */
export function normalizePrefix(prefix: string | undefined): string {
  const trimmed = (prefix ?? '').normalize('NFC').replace(/\\/g, '/').replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '' : `${trimmed}/`;
}

/** Whether a relative path is published under the given patterns. */
export function makePathFilter(exclude: readonly string[] = [], include: readonly string[] = []): (relative: string) => boolean {
  const excluded = picomatch([...DEFAULT_EXCLUDE, ...exclude], { dot: true });
  const included = picomatch([...DEFAULT_INCLUDE, ...include], { dot: true });
  return (relative) => !excluded(relative) || included(relative);
}

export async function scanLocal(options: LocalScanOptions): Promise<LocalScan> {
  const root = path.resolve(options.dir);
  const realRoot = await resolveRoot(root);
  const publishable = makePathFilter(options.exclude, options.include);
  const warnings: string[] = [];

  const entries = await fg('**', {
    cwd: root,
    dot: true,
    onlyFiles: false,
    followSymbolicLinks: false,
    objectMode: true,
    // No `stats: true`: fast-glob then returns nothing at all when one lstat fails (e.g. a name that is not UTF-8).
    ignore: ['**/.git/**', '**/node_modules/**'],
    suppressErrors: false,
  }).catch((error: NodeJS.ErrnoException) => {
    throw new FleuronError('scan-failed', `cannot read the folder ${error.path ?? root}: ${error.code ?? error.message}`, {
      hint: 'check its permissions; nothing was published',
      cause: error,
    });
  });

  const candidates: { relative: string; absolute: string; symlink: boolean }[] = [];
  for (const entry of entries) {
    const relative = entry.path;
    if (entry.dirent.isDirectory()) continue;
    if (!publishable(relative)) {
      if (/(^|\/)\.env(\.|$)/.test(relative)) warnings.push(`${relative} is in the folder to publish; it is not uploaded, but keep secrets out of the site folder`);
      continue;
    }
    if (entry.dirent.isFIFO() || entry.dirent.isCharacterDevice() || entry.dirent.isBlockDevice()) {
      // Reading one would block or never end.
      throw usageError('special-file', `${relative} is a named pipe or a device, not a file`, 'remove it from the folder or exclude it; nothing was published');
    }
    candidates.push({ relative, absolute: path.join(root, relative), symlink: entry.dirent.isSymbolicLink() });
  }
  entries.length = 0;

  const seen = new Map<string, string>();
  // One header object per distinct header set: 100,000 pages share a handful of them.
  const sharedHeaders = new Map<string, ObjectHeaders>();
  const headersFor = (key: string) => {
    const headers = options.policy.headersFor(key);
    const id = JSON.stringify(headers);
    const shared = sharedHeaders.get(id);
    if (shared) return shared;
    sharedHeaders.set(id, headers);
    return headers;
  };
  const hashCache = options.hashCache === false ? HashCache.disabled() : HashCache.open(realRoot);
  const breather = eventLoopBreather();
  // p-map pulls candidates lazily: memory stays flat however many files there are.
  const scanned = await pMap(
    candidates,
    async ({ relative, absolute, symlink }): Promise<LocalFile | undefined> => {
      await breather();
      const key = keyFor(relative, options.prefix);
      // realpath only for symlinks: a regular file found by the walk is inside the folder.
      const target = symlink ? await resolveFile(absolute, relative, realRoot) : { path: absolute };
      if (!target) {
        warnings.push(`${relative} is a symlink to a folder; it is skipped (symlinked folders are not followed)`);
        return undefined;
      }
      const siteKey = key.slice(options.prefix.length);
      const gzip = options.policy.gzipFor(siteKey);
      const known = {
        lookup: (stamp: FileStamp) => hashCache.lookup(relative, stamp, gzip),
        record: (stamp: FileStamp, hash: BodyHash) => hashCache.record(relative, stamp, gzip, hash),
      };
      const hash = await hashFileBody(target.path, gzip, known).catch((error: NodeJS.ErrnoException) => {
        throw new FleuronError('unreadable-file', `cannot read ${relative}: ${error.code ?? error.message}`, {
          hint: 'fix its permissions or exclude it; nothing was published',
          cause: error,
        });
      });
      return {
        key,
        size: hash.size,
        md5: hash.md5,
        ...(hash.multipartEtag === undefined ? {} : { multipartEtag: hash.multipartEtag }),
        // Bodies above the multipart threshold are never compressed: no Content-Encoding for them.
        headers: gzip && hash.multipartEtag !== undefined ? withoutEncoding(headersFor(siteKey)) : headersFor(siteKey),
        source: { kind: 'file', path: target.path, gzip: gzip && hash.multipartEtag === undefined },
      };
    },
    { concurrency: options.concurrency ?? 16 },
  );
  const files = scanned.filter((file): file is LocalFile => file !== undefined);

  for (const file of files) {
    const other = seen.get(file.key);
    if (other !== undefined) {
      throw usageError('duplicate-key', `two files map to the object key "${file.key}" (their names differ only in Unicode normalisation)`, 'rename one of them');
    }
    seen.set(file.key, file.key);
  }
  files.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  warnings.sort();
  hashCache.save(realRoot);
  return { files, warnings, hashesFromCache: hashCache.hits };
}

/**
 * The reads and hashes are synchronous, so without a pause the event loop would not run until the
 * whole folder is hashed — and the bucket listing, running at the same time, would not send its next
 * page. Pausing every few milliseconds lets both proceed together.
 */
function eventLoopBreather(everyMs = 8): () => Promise<void> | undefined {
  let last = performance.now();
  return () => {
    const now = performance.now();
    if (now - last < everyMs) return undefined;
    last = now;
    return new Promise((resolve) => setImmediate(resolve));
  };
}

async function resolveRoot(root: string): Promise<string> {
  try {
    const info = await stat(root);
    if (!info.isDirectory()) throw usageError('not-a-folder', `${root} is not a folder`, 'give the folder of the built site to publish');
    return await realpath(root);
  } catch (error) {
    if (error instanceof FleuronError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw usageError('folder-missing', `the folder ${root} does not exist`, 'build the site first (fleuron build) or give the right folder');
    throw usageError('folder-unreadable', `cannot read the folder ${root} (${code})`, 'check its permissions');
  }
}

/** The key of a relative path: `/` separators, NFC (macOS hands out NFD names), prefix, length and encoding checked. */
function keyFor(relative: string, prefix: string): string {
  const posix = relative.split(path.sep).join('/');
  if (posix.includes('\uFFFD')) {
    throw usageError('bad-file-name', `the file name "${posix}" is not valid UTF-8`, 'rename the file; object keys must be UTF-8');
  }
  const key = prefix + posix.normalize('NFC');
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) {
    throw usageError('key-too-long', `the object key for "${posix.slice(0, 60)}…" is longer than ${MAX_KEY_BYTES} bytes`, 'shorten the file path or the prefix');
  }
  return key;
}

function withoutEncoding(headers: ObjectHeaders): ObjectHeaders {
  const { contentEncoding: _dropped, ...rest } = headers;
  return rest;
}

/** The real file behind a path, refusing symlinks that loop or leave the folder; undefined for a symlinked folder. */
async function resolveFile(absolute: string, relative: string, realRoot: string): Promise<{ path: string } | undefined> {
  let real: string;
  try {
    real = await realpath(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw usageError('symlink-loop', `${relative} is a symlink loop`, 'remove or fix the symlink; nothing was published');
    if (code === 'ENOENT') throw usageError('broken-symlink', `${relative} is a symlink to a missing file`, 'remove or fix the symlink; nothing was published');
    throw new FleuronError('unreadable-file', `cannot read ${relative} (${code})`, { hint: 'fix its permissions or exclude it; nothing was published' });
  }
  if (real !== absolute && real !== realRoot && !real.startsWith(realRoot + path.sep)) {
    throw usageError('symlink-outside', `${relative} is a symlink to ${real}, outside the folder`, 'copy the file into the folder instead; symlinks are not followed out of it');
  }
  const info = await stat(real);
  if (info.isDirectory()) return undefined;
  return { path: real };
}
