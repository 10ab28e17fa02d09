/** Scans the folder to publish: which objects it holds, with their keys, hashes and headers. */
import { readdirSync, statSync, type Dirent } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { FleuronError, usageError } from '../errors/fleuron-error.js';
import type { CompiledHeaderPolicy } from '../headers/header-rules.js';
import { leftoversWarning, makePathClassifier } from '../ignore/ignore-list.js';
import { keyFitsXml } from '../s3/object-keys.js';
import { FileHasher, MIN_JOBS_FOR_WORKERS } from './file-hasher.js';
import { badNameError, nameProblem } from '../files/file-names.js';
import { cachedHash, entryMatches, HashCache, isWholeEntry } from './hash-cache.js';
import { GitIndex, trackedFiles, type TrackedFile } from '../files/git-index.js';
import { CloneHashes, OTHER_BLOB } from './clone-hashes.js';
import { emptyManifest } from './manifest.js';
import { isPage } from './page-keys.js';
import type { BodyHash } from './body-hash.js';
import type { ObjectHeaders } from '../headers/object-headers.js';
import type { LocalFile, Manifest } from './types.js';

// The default ignore list lives in lib/ignore/, read by the builder and the preview too.
export { DEFAULT_EXCLUDE, DEFAULT_INCLUDE, makePathFilter } from '../ignore/ignore-list.js';
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
  /** Reuse hashes of files unchanged since the last scan (see hash-cache.ts); default true. */
  hashCache?: boolean;
  /**
   * Told once the object keys the folder is expected to hold, as soon as they are known (the listing splits on them):
   * the hash cache's, the files of the last scan, when it has any (the walk takes a few hundred milliseconds of a
   * busy main thread, during which the listing would go one page after another); else the walk's, before any file is
   * read. Only the listing's ranges depend on them: keys the cache has wrong make uneven ranges, not a wrong listing.
   */
  onKeys?: (keys: string[]) => void;
  /** Told the folder's object keys once it is walked and its symlinks resolved, before the hashing ends. */
  onWalked?: (keys: readonly string[]) => void;
  /** Told each file as soon as it is hashed; `read` when its bytes were read (not vouched for by the hash cache). */
  onFile?: (file: LocalFile, read: boolean) => void;
  /**
   * Told the key of each file git's index names as another blob than the manifest records for it (a fresh clone: see
   * clone-hashes.ts), as soon as the manifest and the walk meet it, before it is hashed: a change the publish can be
   * sure of before the walk ends (early-lock.ts).
   */
  onOtherBlob?: (key: string) => void;
  /**
   * Told once every file but the pages is hashed (and handed to onFile). Pages to read are hashed after the others
   * (see scanFiles), so that the pages of a fresh clone can be uploaded while they are hashed, their assets up.
   */
  onAssetsHashed?: () => void;
  /**
   * The files the build before this publish copied from sources git vouches for (lib/builder/write/tracked-copies.ts),
   * by path relative to the folder: the blob and the copy's stamp, taken as git's index's own entries are.
   */
  builtCopies?: ReadonlyMap<string, TrackedFile>;
  /**
   * The bucket's manifest, for the hashes of a fresh clone (clone-hashes.ts): awaited before the walk only when git's
   * index tracks files of the folder and the hash cache does not know them (none, or every sampled stamp new).
   */
  manifest?: Promise<Manifest>;
}

export interface LocalScan {
  files: LocalFile[];
  warnings: string[];
  /** Files whose hash came from the hash cache instead of being read. */
  hashesFromCache: number;
  /** Files whose hash came from git's index and the manifest instead of being read (clone-hashes.ts). */
  hashesFromGit: number;
  /**
   * The hash cache being written meanwhile (hash-cache.ts's save; never rejects): whoever ends the process awaits it,
   * the others need not.
   */
  hashCacheSaved: Promise<void>;
}

/** A symlink the walk found, to be resolved. */
interface Candidate {
  relative: string;
  key: string;
  absolute: string;
}

export async function scanLocal(options: LocalScanOptions): Promise<LocalScan> {
  const root = path.resolve(options.dir);
  const realRoot = await resolveRoot(root);
  const warnings: string[] = [];
  const hashCache = options.hashCache === false ? HashCache.disabled() : HashCache.open(realRoot);
  // The keys for the listing's ranges: the last scan's files at once when the cache has any, else the walk's.
  const cached = hashCache.paths();
  // `--no-hash-cache` reads every file: git's index is not asked either. With a cache, it is asked only if the cache
  // turns out stale (scanFiles): a warm publish from a working copy does not pay for it (~40 ms at 10,000 entries,
  // and a blob per file); its changed files get their blobs from the next publish of a clone.
  const tracked = options.hashCache === false ? GitIndex.EMPTY : cached.length === 0 ? trackedFiles(realRoot) : undefined;
  const known = cached.length > 0 ? cached : [...tracked!.paths()];
  if (known.length > 0) options.onKeys?.(known.map((relative) => options.prefix + relative));
  const counts = { fromGit: 0 };
  const copies = options.hashCache === false ? undefined : options.builtCopies;
  const files = await scanFiles(root, realRoot, { hashCache, cached, tracked, copies, counts }, known.length > 0 ? { ...options, onKeys: undefined } : options, warnings);
  files.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  checkDistinctKeys(files);
  warnings.sort();
  const hashCacheSaved = hashCache.save(realRoot);
  return { files, warnings, hashesFromCache: hashCache.hits, hashesFromGit: counts.fromGit, hashCacheSaved };
}

/** What the scan knows of the folder's files before reading any: the hash cache's and git's. */
interface KnownHashes {
  hashCache: HashCache;
  /** The files the cache holds. */
  cached: readonly string[];
  /** The files git's index vouches for (git-index.ts); undefined: to be read if the cache looks stale. */
  tracked: GitIndex | undefined;
  /** The build's copies of tracked files (LocalScanOptions.builtCopies). */
  copies: ReadonlyMap<string, TrackedFile> | undefined;
  counts: { fromGit: number };
}

/** What vouches for a file's bytes without reading them: the build's copy of a tracked source, else git's index. */
type Vouchers = Pick<GitIndex, 'size' | 'get'>;

function vouchers(index: GitIndex, copies: ReadonlyMap<string, TrackedFile> | undefined): Vouchers {
  if (copies === undefined || copies.size === 0) return index;
  // The copy first: in a folder git tracks too, the build has just written over git's checkout.
  return { size: index.size + copies.size, get: (relative) => copies.get(relative) ?? index.get(relative) };
}

/**
 * Walks the folder: every publishable file's object key (names checked), nothing read yet. Each file is handed to
 * `take` (which queues it for hashing at once), each symlink returned, to be resolved. Pauses now and then, so that
 * hashing threads fed meanwhile get their next batches.
 */
async function walkFolder(root: string, options: LocalScanOptions, warnings: string[], take: (relative: string, key: string, absolute: string) => void): Promise<{ keys: string[]; rest: (Candidate | undefined)[] }> {
  const classify = makePathClassifier(options.exclude, options.include);
  const leftovers: string[] = [];
  const keys: string[] = [];
  const rest: Candidate[] = [];
  // `root` is resolved and the names come from readdir: a concatenation is the path.join of each file, for less.
  const base = root.endsWith(path.sep) ? root : root + path.sep;
  let pausedAt = performance.now();
  const offer = (relative: string, entry: Dirent) => {
    const verdict = classify(relative);
    if (verdict !== 'publish') {
      if (verdict === 'leftover') leftovers.push(relative);
      else if (/(^|\/)\.env(\.|$)/.test(relative)) warnings.push(`${relative} is in the folder to publish; it is not uploaded, but keep secrets out of the site folder`);
      return;
    }
    // Reading one would block, never end or fail: refused before anything is uploaded (uploads start during the scan).
    if (entry.isFIFO() || entry.isSocket() || entry.isCharacterDevice() || entry.isBlockDevice()) throw specialFileError(relative);
    const key = keyFor(relative, options.prefix);
    keys.push(key);
    if (entry.isSymbolicLink()) rest.push({ relative, key, absolute: base + relative });
    else take(relative, key, base + relative);
  };
  for (const _ of walkFolders(base, offer)) {
    if (performance.now() - pausedAt > 4) {
      await new Promise((resolve) => setImmediate(resolve));
      pausedAt = performance.now();
    }
  }
  if (leftovers.length > 0) warnings.push(leftoversWarning(leftovers, 'publish'));
  return { keys, rest };
}

/**
 * Every entry under `base` (a resolved folder path ending in a separator) but folders, handed to `onEntry` with its `/`-separated relative path; yields after each
 * folder and every 256 entries, so that the caller can pause. Symlinks are not followed, `.git` and `node_modules` (folder
 * or file, at any depth) are left out, and every name read is checked by the builder's rule (lib/files/file-names.ts:
 * no control characters, UTF-8). Hand-written rather than fast-glob: a synchronous readdir walk of the 10,000-file
 * benchmark folder (4,400 folders) took a third of fast-glob's time (0.22 vs 0.52 s on a loaded machine), and the
 * walk is on the critical path of every publish.
 */
function* walkFolders(base: string, onEntry: (relative: string, entry: Dirent) => void): Generator<void> {
  const folders = [''];
  let sincePause = 0;
  for (let folder = folders.pop(); folder !== undefined; folder = folders.pop()) {
    const absolute = base + folder;
    let entries: Dirent[];
    try {
      entries = readdirSync(absolute, { withFileTypes: true });
    } catch (error) {
      const { code, message } = error as NodeJS.ErrnoException;
      throw new FleuronError('scan-failed', `cannot read the folder ${absolute}: ${code ?? message}`, { hint: 'check its permissions; nothing was published', cause: error });
    }
    for (const entry of entries) {
      const relative = folder === '' ? entry.name : `${folder}/${entry.name}`;
      const problem = nameProblem(entry.name, absolute);
      if (problem) throw badNameError(relative, problem);
      if (entry.name === '.git' || entry.name === 'node_modules') continue;
      if (entry.isDirectory()) folders.push(relative);
      else onEntry(relative, entry);
      if (++sincePause === 256) {
        sincePause = 0;
        yield;
      }
    }
    yield;
  }
}

/** A file to publish, with where its bytes are read and how they are stored. */
interface Target {
  relative: string;
  key: string;
  siteKey: string;
  path: string;
  gzip: boolean;
  /** The hash cache's entry for the file, if it has a whole one (set when it is queued), or one made from git's index. */
  cached: string | undefined;
  /** Whether `cached` was made from git's index and the manifest (clone-hashes.ts), not read from the hash cache. */
  fromClone?: boolean;
  /** What git's index says of the file (uncompressed files only): its blob, if the file keeps the stamp recorded. */
  tracked?: TrackedFile;
}

/** Symlinks looked at between two pauses, so that the hashing threads' replies are taken in and they get more work. */
const SLICE = 512;
/** Cached files whose answer judges whether the cache is wholly stale (StaleCacheProbe). */
const STALE_SAMPLE = 64;
/** Cached files stat'ed before the walk, spread over the cache, to see at once whether it looks stale (StaleCacheProbe.look). */
const EARLY_SAMPLE = 8;

/**
 * Whether the hash cache's entries are wholly stale, judged on the answers for the first STALE_SAMPLE cached files:
 * when none of them had its recorded stamp (a fresh clone has new inodes everywhere, so none can match), the other
 * files are queued without their cached stamps, as uncached ones are, and the hashing threads read them without a
 * stat first. If that is wrong, files the cache could have vouched for are read: slower, the hashes the same.
 */
class StaleCacheProbe {
  #checked = 0;
  #missed = 0;
  #missedEarly = false;

  get allMissed(): boolean {
    return this.#checked >= STALE_SAMPLE && this.#missed === this.#checked;
  }

  /** Whether the cache looked stale before the walk (see look): its pages are then hashed last, as uncached ones. */
  get missedEarly(): boolean {
    return this.#missedEarly;
  }

  /**
   * Before the walk, EARLY_SAMPLE cached files are stat'ed here (a fraction of a millisecond), to know at once whether
   * the cache looks stale: the threads' answers come only once they are up, when the walk has queued thousands of
   * files, pages among them (which a fresh clone wants hashed last: see scanFiles). Only the order of hashing depends
   * on it, not which files the cache vouches for.
   */
  look(paths: readonly string[], matches: (relative: string) => boolean): void {
    if (paths.length < EARLY_SAMPLE) return;
    for (let at = 0; at < EARLY_SAMPLE; at++) if (matches(paths[Math.floor((at * paths.length) / EARLY_SAMPLE)]!)) return;
    this.#missedEarly = true;
  }

  record(hit: boolean): void {
    this.#checked += 1;
    if (!hit) this.#missed += 1;
  }
}

/**
 * Walks the folder, tells onKeys, and hashes each file or takes its hash from the cache, with the headers each
 * object gets. Every file is queued for the hashing threads as the walk finds it; one the cache knows goes with its
 * recorded stamp, and the thread stats it and answers `unchanged` instead of reading it when the stamp still
 * matches (file-hasher.ts). So the main thread, the one the scan waits on, never stats a file: it walks while the
 * threads, started once enough files are queued, boot and then stat and hash. Each result is taken in as it comes.
 * Pages to read (no cached stamp, or a cache that looks stale) are queued once the walk is over, after the other
 * files: they are most of a site's files but a small part of its bytes, and a publish can upload the changed ones
 * while they are hashed only once every changed asset is up (early-uploads.ts). The threads have the assets' bytes to
 * hash meanwhile.
 */
// long because: the hasher's callback, the queueing and the walk share the scan's state; apart they would pass it around.
async function scanFiles(root: string, realRoot: string, known: KnownHashes, options: LocalScanOptions, warnings: string[]): Promise<LocalFile[]> {
  const { hashCache, cached, counts } = known;
  const toFile = localFileMaker(options.policy);
  const files: LocalFile[] = [];
  const probe = new StaleCacheProbe();
  probe.look(cached, (relative) => stillStamped(root, relative, hashCache.entry(relative), options.policy.gzipFor(relative)));
  let tracked = vouchers(known.tracked ?? (probe.missedEarly ? trackedFiles(realRoot) : GitIndex.EMPTY), known.copies);
  let fromClone: CloneHashes | undefined;
  let waiting: Target[] | undefined;
  let ended = false;
  let manifestTaken: Promise<void> = Promise.resolve();
  // Emptied as the scan goes (targets hashed): at 100,000 files they would otherwise all be held until the end,
  // beside the files they become.
  const toRead: (Target | undefined)[] = [];
  const assets = new AssetCount(options.onAssetsHashed);
  const hasher = new FileHasher((index, result) => {
    const target = toRead[index]!;
    toRead[index] = undefined;
    if (target.cached !== undefined && !target.fromClone) probe.record(result.ok === 'unchanged');
    if (result.ok === 'unchanged') {
      if (target.fromClone) {
        counts.fromGit += 1;
        hashCache.rememberEntry(target.relative, target.cached!);
      } else hashCache.reuse(target.relative, target.cached);
      const file = withBlob(toFile(target, cachedHash(target.cached!)), target, target.cached!, true);
      files.push(file);
      options.onFile?.(file, false);
    } else {
      if (!result.ok) throw unreadable(target.relative, result.code ?? result.message);
      hashCache.rememberEntry(target.relative, result.entry);
      const file = withBlob(toFile(target, cachedHash(result.entry)), target, result.entry, false);
      files.push(file);
      options.onFile?.(file, true);
    }
    if (!isPage(target.key)) assets.hashed();
  });
  let seen = 0;
  const queue = (target: Target) => {
    toRead.push(target);
    if (!isPage(target.key)) assets.queued();
    if (target.cached === undefined) hasher.add({ path: target.path, gzip: target.gzip });
    // An entry starts with the size the file had: a large one is hashed first if it changed (parseInt stops at the `:`).
    // A cache that looked stale is likely wrong about this file too: opened first (file-hasher.ts); git's are likely right.
    else hasher.add({ path: target.path, gzip: target.gzip, cachedEntry: target.cached, size: parseInt(target.cached, 10), openFirst: probe.missedEarly && !target.fromClone });
  };
  // Pages to read found by the walk, queued once it is over (see above).
  const pagesLater: Target[] = [];
  // While the manifest is awaited, only the files it may vouch for are held: the others are queued at once.
  const read = (target: Target) => {
    if (!target.gzip) target.tracked = tracked.get(target.relative);
    if (waiting && target.tracked) waiting.push(target);
    else admit(target);
  };
  const admit = (target: Target) => {
    const entry = hashCache.entry(target.relative);
    const fromManifest = target.tracked && fromClone?.entry(target.relative, target.tracked);
    const vouched = typeof fromManifest === 'string' ? fromManifest : undefined;
    target.cached = vouched ?? (entry === undefined || probe.allMissed || !isWholeEntry(entry) ? undefined : entry);
    if (vouched !== undefined) target.fromClone = true;
    if (fromManifest === OTHER_BLOB) options.onOtherBlob?.(target.key);
    // The threads start once enough files are found (they take a while to boot), not at the end.
    if (++seen === MIN_JOBS_FOR_WORKERS) hasher.startThreads();
    // A page git says changed is hashed at once, not last: with the lock taken early it goes up as soon as the assets are.
    const later = target.cached === undefined || (probe.missedEarly && vouched === undefined);
    if (later && isPage(target.key) && fromManifest !== OTHER_BLOB) pagesLater.push(target);
    else queue(target);
  };
  // A fresh clone (no cache, or a stale one) waits for the manifest, whose recorded blobs spare reading the files:
  // the walk goes on meanwhile, the files git or the build vouch for held until it arrives, then let go a slice at a
  // time (the listing's requests and replies go between).
  if (tracked.size > 0 && options.manifest && (cached.length === 0 || probe.missedEarly)) {
    const held: Target[] = (waiting = []);
    manifestTaken = (async () => {
      const manifest = await options.manifest!.catch(() => emptyManifest());
      fromClone = new CloneHashes(manifest, (relative) => options.prefix + nfc(relative), (relative) => options.policy.gzipFor(nfc(relative)));
      for (let at = 0; at < held.length && !ended; ) {
        for (const end = Math.min(at + SLICE, held.length); at < end; at++) admit(held[at]!);
        await new Promise((resolve) => setImmediate(resolve));
      }
      waiting = undefined;
    })();
    manifestTaken.catch(() => {}); // awaited after the walk; not awaited when the walk fails first
  }
  try {
    const { keys, rest } = await walkFolder(root, options, warnings, (relative, key, absolute) => read(targetOf(relative, key, absolute, options)));
    options.onKeys?.(keys);
    for (let index = 0; index < rest.length; index++) {
      if (index % SLICE === SLICE - 1) await new Promise((resolve) => setImmediate(resolve));
      const candidate = rest[index]!;
      rest[index] = undefined;
      const target = await symlinkTargetOf(candidate, realRoot, options, warnings);
      if (target) read(target);
    }
    await manifestTaken;
    checkWalkedKeys(keys);
    options.onWalked?.(keys);
    for (const target of pagesLater.splice(0)) queue(target);
    assets.allQueued();
    hashCache.lookupsDone();
    tracked = GitIndex.EMPTY; // the targets keep what they need
    fromClone = undefined;
    await hasher.finish();
  } finally {
    ended = true;
    // Not awaited: a thread takes 20-30 ms to exit, and nothing after the scan needs it gone.
    void hasher.close();
  }
  return files;
}

/**
 * The file with its git blob, when git's index vouches for the version hashed: the stamp of the hash (`entry`, a hash
 * cache entry) is the one the index recorded. The manifest then records the blob (plan.ts), for the next fresh clone.
 * A file read because its stamp moved since git's (edited after the checkout) is not its blob: no blob.
 */
function withBlob(file: LocalFile, target: Target, entry: string, unchanged: boolean): LocalFile {
  if (target.tracked === undefined) return file;
  // An entry made from git's index that the thread found unchanged has git's stamp: no text to compare.
  if (target.fromClone && unchanged) return Object.assign(file, { gitBlob: target.tracked.blob });
  if (entryMatches(entry, target.tracked.stamp, false)) file.gitBlob = target.tracked.blob;
  return file;
}

/** Counts the files other than pages queued and hashed, to tell once all are hashed (onAssetsHashed). */
class AssetCount {
  #waiting = 0;
  #allQueued = false;

  constructor(private readonly onAllHashed: (() => void) | undefined) {}

  queued(): void {
    this.#waiting += 1;
  }

  hashed(): void {
    this.#waiting -= 1;
    this.#check();
  }

  allQueued(): void {
    this.#allQueued = true;
    this.#check();
  }

  #check(): void {
    if (!this.#allQueued || this.#waiting > 0) return;
    this.#allQueued = false; // told once
    this.onAllHashed?.();
  }
}

/** Whether a file still has the stamp its cache entry records (false when it is gone or cannot be stat'ed). */
function stillStamped(root: string, relative: string, entry: string | undefined, gzip: boolean): boolean {
  try {
    const stats = entry === undefined ? undefined : statSync(path.join(root, relative), { throwIfNoEntry: false });
    return stats !== undefined && entryMatches(entry!, stats, gzip);
  } catch {
    return false;
  }
}

/** Where a symlinked candidate is read (resolved and checked); undefined for a symlinked folder. */
async function symlinkTargetOf(candidate: Candidate, realRoot: string, options: LocalScanOptions, warnings: string[]): Promise<Target | undefined> {
  const target = await resolveFile(candidate.absolute, candidate.relative, realRoot);
  if (target) return targetOf(candidate.relative, candidate.key, target.path, options);
  warnings.push(`${candidate.relative} is a symlink to a folder; it is skipped (symlinked folders are not followed)`);
  return undefined;
}

/** A candidate read at `path`, and whether its body is gzipped. Regular files found by the walk are inside the folder: no realpath. */
function targetOf(relative: string, key: string, path: string, options: LocalScanOptions): Target {
  const siteKey = key.slice(options.prefix.length);
  return { relative, key, siteKey, path, gzip: options.policy.gzipFor(siteKey), cached: undefined };
}

function specialFileError(relative: string): FleuronError {
  return usageError('special-file', `${relative} is a named pipe, a socket or a device, not a file`, 'remove it from the folder or exclude it; nothing was published');
}

function unreadable(relative: string, reason: string): FleuronError {
  return new FleuronError('unreadable-file', `cannot read ${relative}: ${reason}`, { hint: 'fix its permissions or exclude it; nothing was published' });
}

/** Builds the LocalFile of a hashed target; one header object per distinct header set (100,000 pages share a handful). */
function localFileMaker(policy: CompiledHeaderPolicy): (target: Target, hash: BodyHash) => LocalFile {
  const sharedHeaders = new Map<string, ObjectHeaders>();
  // Without user rules the policy returns one frozen object per file-name class (header-rules.ts): each such object
  // is looked up by its content once, not per file.
  const canonical = new WeakMap<ObjectHeaders, ObjectHeaders>();
  const headersFor = (key: string) => {
    const headers = policy.headersFor(key);
    const seen = canonical.get(headers);
    if (seen) return seen;
    const id = JSON.stringify(headers);
    const known = sharedHeaders.get(id) ?? headers;
    sharedHeaders.set(id, known);
    if (Object.isFrozen(headers)) canonical.set(headers, known);
    return known;
  };
  return ({ key, siteKey, path, gzip }, hash) => ({
    key,
    size: hash.size,
    md5: hash.md5,
    ...(hash.multipartEtag === undefined ? {} : { multipartEtag: hash.multipartEtag }),
    // Bodies above the multipart threshold are never compressed: no Content-Encoding for them.
    headers: gzip && hash.multipartEtag !== undefined ? withoutEncoding(headersFor(siteKey)) : headersFor(siteKey),
    source: { kind: 'file', path, gzip: gzip && hash.multipartEtag === undefined },
  });
}

/**
 * Two names that differ only in Unicode normalisation map to one key: refused, not overwritten. Takes the files sorted
 * by key: equal keys are neighbours (no set of every key).
 */
function checkDistinctKeys(sorted: readonly LocalFile[]): void {
  for (let index = 1; index < sorted.length; index++) {
    const key = sorted[index]!.key;
    if (key === sorted[index - 1]!.key) throw duplicateKeyError(key);
  }
}

/**
 * The same check on the walk's keys, before onWalked: no upload starts during the scan (early-uploads.ts) in a folder
 * the scan will refuse. Names that differ give keys that differ unless NFC made two of them one: the keys are only
 * compared when one is not ASCII.
 */
function checkWalkedKeys(keys: readonly string[]): void {
  if (keys.every((key) => ASCII.test(key))) return;
  const seen = new Set<string>();
  for (const key of keys) {
    if (seen.has(key)) throw duplicateKeyError(key);
    seen.add(key);
  }
}

function duplicateKeyError(key: string): FleuronError {
  return usageError('duplicate-key', `two files map to the object key "${key}" (their names differ only in Unicode normalisation)`, 'rename one of them; nothing was published');
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
/** Only ASCII: NFC leaves it as it is. */
const ASCII = /^[\x00-\x7f]*$/;

/** A path in NFC; an ASCII one as it is (normalize() costs even when it changes nothing). */
function nfc(relative: string): string {
  return ASCII.test(relative) ? relative : relative.normalize('NFC');
}

function keyFor(relative: string, prefix: string): string {
  // The walk joins with `/`; the checks below are skipped when they cannot change anything (most names: ASCII, short).
  const key = prefix + nfc(relative);
  if (key.length * 3 > MAX_KEY_BYTES && Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) {
    throw usageError('key-too-long', `the object key for "${relative.slice(0, 60)}…" is longer than ${MAX_KEY_BYTES} bytes`, 'shorten the file path or the prefix');
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
  if (!info.isFile()) throw specialFileError(relative);
  return { path: real };
}
