/** Scans the folder to publish: which objects it holds, with their keys, hashes and headers. */
import fg from 'fast-glob';
import { readdir, type Dirent } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { FleuronError, usageError } from '../errors/fleuron-error.js';
import type { CompiledHeaderPolicy } from '../headers/header-rules.js';
import { leftoversWarning, makePathClassifier } from '../ignore/ignore-list.js';
import { keyFitsXml } from '../s3/object-keys.js';
import { FileHasher } from './file-hasher.js';
import { badNameError, nameProblem } from '../files/file-names.js';
import { HashCache } from './hash-cache.js';
import type { ObjectHeaders } from '../headers/object-headers.js';
import type { LocalFile } from './types.js';

// The default ignore list lives in lib/ignore/, read by the builder and the preview too.
export { DEFAULT_EXCLUDE, DEFAULT_INCLUDE, makePathFilter } from '../ignore/ignore-list.js';
/** S3's limit on a key, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 1024;
/** Files hashed per round trip to the hashing threads. */
const SLICE = 4096;

export interface LocalScanOptions {
  dir: string;
  /** Normalised prefix (`''` or `site/`). */
  prefix: string;
  policy: CompiledHeaderPolicy;
  /** Extra patterns to leave out (relative to the folder). */
  exclude?: readonly string[];
  /** Patterns to publish even if excluded (e.g. `.htaccess`). */
  include?: readonly string[];
  /** Reuse hashes of files unchanged since the last scan (see hash-cache.ts); default true. */
  hashCache?: boolean;
  /** Told the object keys as soon as the folder is walked, before any file is read (the listing splits on them). */
  onKeys?: (keys: string[]) => void;
}

export interface LocalScan {
  files: LocalFile[];
  warnings: string[];
  /** Files whose hash came from the hash cache instead of being read. */
  hashesFromCache: number;
}

/** One file the walk found, to be hashed. */
interface Candidate {
  relative: string;
  key: string;
  absolute: string;
  symlink: boolean;
}

export async function scanLocal(options: LocalScanOptions): Promise<LocalScan> {
  const root = path.resolve(options.dir);
  const realRoot = await resolveRoot(root);
  const warnings: string[] = [];
  const candidates = await walkFolder(root, options, warnings);
  options.onKeys?.(candidates.map(({ key }) => key));
  const hashCache = options.hashCache === false ? HashCache.disabled() : HashCache.open(realRoot);
  const files = await hashFiles(candidates, realRoot, hashCache, options, warnings);
  checkDistinctKeys(files);
  files.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  warnings.sort();
  hashCache.save(realRoot);
  return { files, warnings, hashesFromCache: hashCache.hits };
}

/** Every publishable file of the folder, with its object key (names checked); nothing is read yet. */
async function walkFolder(root: string, options: LocalScanOptions, warnings: string[]): Promise<Candidate[]> {
  const classify = makePathClassifier(options.exclude, options.include);
  const leftovers: string[] = [];
  // `**/*`, not `**`: `**` alone skips names holding a newline, which must be seen (and refused).
  const entries = await fg('**/*', {
    cwd: root,
    dot: true,
    onlyFiles: false,
    followSymbolicLinks: false,
    objectMode: true,
    // No `stats: true`: fast-glob then returns nothing at all when one lstat fails (e.g. a name that is not UTF-8).
    ignore: ['**/.git/**', '**/node_modules/**'],
    suppressErrors: false,
    // Every name the walk reads is checked by the builder's rule: its matcher would silently pass over a name with a
    // newline, and it cannot enter a folder whose name is not UTF-8.
    fs: { readdir: readdirCheckingNames(root) },
  }).catch((error: NodeJS.ErrnoException) => {
    if (error instanceof FleuronError) throw error;
    throw new FleuronError('scan-failed', `cannot read the folder ${error.path ?? root}: ${error.code ?? error.message}`, {
      hint: 'check its permissions; nothing was published',
      cause: error,
    });
  });
  const candidates: Candidate[] = [];
  for (const entry of entries) {
    const relative = entry.path;
    if (entry.dirent.isDirectory()) continue;
    const verdict = classify(relative);
    if (verdict !== 'publish') {
      if (verdict === 'leftover') leftovers.push(relative);
      else if (/(^|\/)\.env(\.|$)/.test(relative)) warnings.push(`${relative} is in the folder to publish; it is not uploaded, but keep secrets out of the site folder`);
      continue;
    }
    if (entry.dirent.isFIFO() || entry.dirent.isCharacterDevice() || entry.dirent.isBlockDevice()) {
      // Reading one would block or never end.
      throw usageError('special-file', `${relative} is a named pipe or a device, not a file`, 'remove it from the folder or exclude it; nothing was published');
    }
    candidates.push({ relative, key: keyFor(relative, options.prefix), absolute: path.join(root, relative), symlink: entry.dirent.isSymbolicLink() });
  }
  if (leftovers.length > 0) warnings.push(leftoversWarning(leftovers, 'publish'));
  return candidates;
}

/** Hashes the candidates in worker threads (or takes their hash from the cache), with the headers each object gets. */
async function hashFiles(candidates: readonly Candidate[], realRoot: string, hashCache: HashCache, options: LocalScanOptions, warnings: string[]): Promise<LocalFile[]> {
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
  const hasher = FileHasher.start(candidates.length);
  const files: LocalFile[] = [];
  try {
    // In slices, so that the jobs and results of a 100,000-file folder never all exist at once.
    for (let start = 0; start < candidates.length; start += SLICE) {
      const slice: { relative: string; key: string; siteKey: string; path: string; gzip: boolean }[] = [];
      for (const { relative, key, absolute, symlink } of candidates.slice(start, start + SLICE)) {
        // realpath only for symlinks: a regular file found by the walk is inside the folder.
        const target = symlink ? await resolveFile(absolute, relative, realRoot) : { path: absolute };
        if (!target) {
          warnings.push(`${relative} is a symlink to a folder; it is skipped (symlinked folders are not followed)`);
          continue;
        }
        const siteKey = key.slice(options.prefix.length);
        slice.push({ relative, key, siteKey, path: target.path, gzip: options.policy.gzipFor(siteKey) });
      }
      const results = await hasher.hashAll(slice.map(({ relative, path, gzip }) => ({ path, gzip, cacheEntry: hashCache.entry(relative) })));
      slice.forEach(({ relative, key, siteKey, path, gzip }, index) => {
        const result = results[index]!;
        if (!result.ok) {
          throw new FleuronError('unreadable-file', `cannot read ${relative}: ${result.code ?? result.message}`, {
            hint: 'fix its permissions or exclude it; nothing was published',
          });
        }
        const { hash } = result;
        hashCache.remember(relative, result.stamp, gzip, hash, result.fromCache);
        files.push({
          key,
          size: hash.size,
          md5: hash.md5,
          ...(hash.multipartEtag === undefined ? {} : { multipartEtag: hash.multipartEtag }),
          // Bodies above the multipart threshold are never compressed: no Content-Encoding for them.
          headers: gzip && hash.multipartEtag !== undefined ? withoutEncoding(headersFor(siteKey)) : headersFor(siteKey),
          source: { kind: 'file', path, gzip: gzip && hash.multipartEtag === undefined },
        });
      });
    }
  } finally {
    await hasher.close();
  }
  return files;
}

/** Two names that differ only in Unicode normalisation map to one key: refused, not overwritten. */
function checkDistinctKeys(files: readonly LocalFile[]): void {
  const seen = new Set<string>();
  for (const file of files) {
    if (seen.has(file.key)) {
      throw usageError('duplicate-key', `two files map to the object key "${file.key}" (their names differ only in Unicode normalisation)`, 'rename one of them');
    }
    seen.add(file.key);
  }
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

/** fs.readdir for fast-glob, failing on the first name lib/files/file-names.ts refuses. */
function readdirCheckingNames(root: string): typeof readdir {
  return ((dir: string, options: unknown, callback?: (error: Error | null, entries?: (string | Dirent)[]) => void) => {
    const done = (typeof options === 'function' ? options : callback) as (error: Error | null, entries?: (string | Dirent)[]) => void;
    const settle = (error: Error | null, entries?: (string | Dirent)[]) => {
      if (error) return done(error);
      for (const entry of entries!) {
        const name = typeof entry === 'string' ? entry : entry.name;
        const problem = nameProblem(name, dir);
        if (problem) return done(badNameError(path.relative(root, path.join(dir, name)).split(path.sep).join('/'), problem));
      }
      done(null, entries);
    };
    if (typeof options === 'function') readdir(dir, settle as never);
    else readdir(dir, options as never, settle as never);
  }) as typeof readdir;
}

/** The key of a relative path: `/` separators, NFC (macOS hands out NFD names), prefix, length and encoding checked. */
function keyFor(relative: string, prefix: string): string {
  const posix = relative.split(path.sep).join('/');
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
