/**
 * What git's index says of the files under a folder: each tracked file's blob id and the stamp git recorded when it
 * last wrote or checked the file. A fresh clone has new stamps everywhere, so fleuron's own hash cache knows nothing
 * there; git's index, written by the checkout itself, still says which bytes each file holds (its blob) without
 * reading them. Read directly (format: git's Documentation/gitformat-index.txt), not through a `git` process: the
 * publish must not depend on git being installed, and parsing 10,000 entries takes a few milliseconds.
 *
 * Only the plain case is trusted; anything that could make a file's bytes differ from its blob's, or the index not
 * be the whole truth, gives no entries (the files are then read, as without git):
 * attributes that can (in `.gitattributes` anywhere, info/attributes, global or system attributes: LFS and other
 * filters, `eol=crlf`, `ident`, encodings, macros; `text=auto`, `binary` and the like are read and pass),
 * `core.autocrlf` or `core.eol=crlf` (in the config files or any file they include, read whatever the include's
 * condition; config in the environment, GIT_CONFIG_COUNT's and the files of GIT_CONFIG_GLOBAL and GIT_CONFIG_SYSTEM,
 * read alike), a SHA-256 repository, a split or sparse index, git's variables that move the index, the work tree or
 * give config otherwise (GIT_DIR, GIT_INDEX_FILE, GIT_CONFIG_PARAMETERS…), Windows. Per entry: a
 * regular file (not a symlink or submodule), stage 0, neither skip-worktree nor intent-to-add, and not "racily clean"
 * (changed in the same instant the index was written, git's own rule).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { hasStamp, type FileStamp } from './file-stamp.js';

/** A tracked file of the folder, as the index recorded it. */
export interface TrackedFile {
  /** Hex SHA-1 of the git blob: `git hash-object` of the file's bytes. */
  blob: string;
  /** The stamp git recorded (inode and size are kept as 32 bits by git: larger ones will simply not match). */
  stamp: FileStamp;
}

/**
 * The tracked files of a folder: each path's entry offset in the index's bytes, its blob and stamp read when asked (a
 * record per entry made at once took 23 ms and 20 ms of garbage collection at 10,000 entries, on the main thread a
 * publish starts on; most are asked for once, some never).
 */
export class GitIndex {
  static readonly EMPTY = new GitIndex(Buffer.alloc(0), new Map());

  constructor(
    private readonly bytes: Buffer,
    private readonly offsets: ReadonlyMap<string, number>,
  ) {}

  get size(): number {
    return this.offsets.size;
  }

  paths(): IterableIterator<string> {
    return this.offsets.keys();
  }

  get(relative: string): TrackedFile | undefined {
    const start = this.offsets.get(relative);
    return start === undefined ? undefined : { blob: this.bytes.toString('hex', start + 40, start + 60), stamp: stampAt(this.bytes, start) };
  }
}

/** Where a work tree keeps its index and config. */
interface Repository {
  workTree: string;
  gitDir: string;
  commonDir: string;
}

/** 64 MiB: some 500,000 entries. */
const MAX_INDEX_BYTES = 64 * 2 ** 20;

/**
 * Variables that move the index or the work tree, or give config this module does not read (GIT_CONFIG_PARAMETERS is
 * shell-quoted, and set by git for the commands it runs, not for fleuron). GIT_CONFIG_COUNT's config and the files
 * GIT_CONFIG_GLOBAL and GIT_CONFIG_SYSTEM name are read as the config files are (environmentConfigChangesBytes,
 * configFiles).
 */
const GIT_ENVIRONMENT = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_COMMON_DIR', 'GIT_CONFIG', 'GIT_CONFIG_PARAMETERS', 'GIT_ATTR_SOURCE'];

/**
 * The tracked files under `realRoot` (a resolved folder), by `/`-separated path relative to it; empty when the folder
 * is in no git work tree or any of the cases above applies. Never throws.
 */
export function trackedFiles(realRoot: string): GitIndex {
  try {
    if (process.platform === 'win32' || GIT_ENVIRONMENT.some((name) => process.env[name] !== undefined)) return GitIndex.EMPTY;
    if (environmentConfigChangesBytes(process.env)) return GitIndex.EMPTY;
    const repository = findRepository(realRoot);
    if (!repository || filtersPossible(repository)) return GitIndex.EMPTY;
    const indexFile = path.join(repository.gitDir, 'index');
    const indexStats = statSync(indexFile, { throwIfNoEntry: false });
    // A monorepo's index of millions of entries costs more to read than this folder's files could save.
    if (!indexStats || indexStats.size > MAX_INDEX_BYTES) return GitIndex.EMPTY;
    const under = path.relative(repository.workTree, realRoot).split(path.sep).join('/');
    if (under.startsWith('..')) return GitIndex.EMPTY;
    const checkedOut = (name: string, stamp: FileStamp) => checkedOutAttributesKeepBytes(path.join(repository.workTree, name), stamp);
    return readIndex(readFileSync(indexFile), under === '' ? '' : `${under}/`, indexStats.mtimeMs, checkedOut) ?? GitIndex.EMPTY;
  } catch {
    return GitIndex.EMPTY;
  }
}

/** The work tree holding `dir`: the nearest `.git` folder, or `.git` file (a linked worktree, a submodule) above it. */
function findRepository(dir: string): Repository | undefined {
  for (let at = dir; ; ) {
    const dotGit = path.join(at, '.git');
    const stats = statSync(dotGit, { throwIfNoEntry: false });
    if (stats?.isDirectory()) return { workTree: at, gitDir: dotGit, commonDir: dotGit };
    if (stats?.isFile()) {
      const pointer = /^gitdir: (.+)$/m.exec(readFileSync(dotGit, 'utf8'));
      if (!pointer) return undefined;
      const gitDir = path.resolve(at, pointer[1]!.trim());
      const common = path.join(gitDir, 'commondir');
      const commonDir = existsSync(common) ? path.resolve(gitDir, readFileSync(common, 'utf8').trim()) : gitDir;
      return { workTree: at, gitDir, commonDir };
    }
    const parent = path.dirname(at);
    if (parent === at) return undefined;
    at = parent;
  }
}

/** Whether anything but the plain case could apply (see the module's comment); attributes in the index are checked by readIndex. */
function filtersPossible({ gitDir, commonDir }: Repository): boolean {
  const xdg = process.env.XDG_CONFIG_HOME || path.join(homedir(), '.config');
  const attributes = [path.join(commonDir, 'info', 'attributes'), path.join(xdg, 'git', 'attributes'), '/etc/gitattributes', '/usr/local/etc/gitattributes'];
  if (attributes.some((file) => existsSync(file) && attributesChangeBytes(readFileSync(file, 'utf8')))) return true;
  return configFiles(gitDir, commonDir, xdg, process.env).some((file) => configFileChangesBytes(file, 0));
}

/** The config files git reads for a repository: its own, then the user's (or GIT_CONFIG_GLOBAL's), then the system's (or GIT_CONFIG_SYSTEM's). */
function configFiles(gitDir: string, commonDir: string, xdg: string, env: NodeJS.ProcessEnv): string[] {
  const global = env.GIT_CONFIG_GLOBAL !== undefined ? [env.GIT_CONFIG_GLOBAL] : [path.join(homedir(), '.gitconfig'), path.join(xdg, 'git', 'config')];
  // GIT_CONFIG_NOSYSTEM is not looked at: the system's files are read anyway (conservative).
  const system = env.GIT_CONFIG_SYSTEM !== undefined ? [env.GIT_CONFIG_SYSTEM] : ['/etc/gitconfig', '/usr/local/etc/gitconfig'];
  return [path.join(commonDir, 'config'), path.join(gitDir, 'config.worktree'), ...global, ...system];
}

/**
 * Whether config given in the environment (GIT_CONFIG_COUNT, with GIT_CONFIG_KEY_<n> and GIT_CONFIG_VALUE_<n>, as
 * some CI runners pass credentials) sets what configChangesBytes looks for. Anything git itself would refuse (a count
 * that is not a number, a missing key or value), and any include, turns git's index off.
 */
export function environmentConfigChangesBytes(env: NodeJS.ProcessEnv): boolean {
  const count = env.GIT_CONFIG_COUNT;
  if (count === undefined || count === '') return false;
  if (!/^\d{1,4}$/.test(count)) return true;
  for (let n = 0; n < Number(count); n++) {
    const key = env[`GIT_CONFIG_KEY_${n}`];
    const value = env[`GIT_CONFIG_VALUE_${n}`];
    if (key === undefined || value === undefined || !key.includes('.')) return true;
    if (/^include(if)?$/i.test(key.slice(0, key.indexOf('.')))) return true;
    if (configChangesBytes(`${key.slice(key.lastIndexOf('.') + 1)} = ${value}`)) return true;
  }
  return false;
}

/** git's own limit on nested includes. */
const MAX_INCLUDE_DEPTH = 10;

/**
 * Whether a config file, or a file it includes, sets what configChangesBytes looks for. Every include is read,
 * whatever its condition (`includeIf`): conservative, and a CI checkout's include is its credentials (actions/checkout
 * writes its token into a file included for the repository since version 6; refusing every include turned git's
 * index off in the most common CI). A missing file changes nothing, as git ignores it.
 */
function configFileChangesBytes(file: string, depth: number): boolean {
  if (!existsSync(file)) return false;
  if (depth > MAX_INCLUDE_DEPTH) return true;
  const includes: string[] = [];
  if (configChangesBytes(readFileSync(file, 'utf8'), includes)) return true;
  return includes.some((included) => configFileChangesBytes(includedFile(included, file), depth + 1));
}

/** Where an include's path (includePath) points, as git resolves it: `~/`, else relative to the including file. */
function includedFile(value: string, from: string): string {
  return value.startsWith('~/') ? path.join(homedir(), value.slice(2)) : path.resolve(path.dirname(from), value);
}

/**
 * Whether a config file's text sets something that can make checked-out bytes differ from blobs, or points elsewhere:
 * `core.autocrlf` (unless false), an attributes file, another object format or work tree; includes too, unless
 * `includes` is given, which gets their paths (as written, unquoted) for the caller to read. Read line by line,
 * conservatively: a key of that name in any section counts; an include's path with escapes or comments is refused.
 */
export function configChangesBytes(text: string, includes?: string[]): boolean {
  let inInclude = false;
  for (const raw of text.split('\n')) {
    let rest = raw.trim();
    if (rest.startsWith('[')) {
      const end = headerEnd(rest);
      if (end < 0) return true;
      inInclude = /^\[\s*include(if)?\b/i.test(rest);
      if (inInclude && includes === undefined) return true;
      rest = rest.slice(end + 1).trim(); // a key may follow on the header's line
    }
    // Comments (`;`, `#`) cut wherever they are, quoted or not: conservative for the values looked at here.
    const setting = /^([a-z0-9-]+)\s*(?:=\s*(.*))?$/i.exec(rest.replace(/[;#].*$/, '').trim());
    if (!setting) continue;
    const name = setting[1]!.toLowerCase();
    if (inInclude && name === 'path') {
      // From the line as written: a path with a comment or an escape in it is refused, not cut.
      const included = includePath(rest.slice(rest.indexOf('=') + 1));
      if (included === undefined) return true;
      includes!.push(included);
      continue;
    }
    const value = (setting[2] ?? 'true').toLowerCase().replace(/"/g, '').trim();
    if (name === 'autocrlf' && !/^(false|no|off|0)$/.test(value)) return true;
    // What `text` files get on checkout (attributes below): LF, as in the blob, unless crlf.
    if (name === 'eol' && value !== 'lf' && value !== 'native') return true;
    if (name === 'attributesfile' || name === 'objectformat' || name === 'worktree') return true;
  }
  return false;
}

/** Where a section header (`[core]`, `[includeIf "gitdir:…"]`) ends: its `]`, not one inside the quotes; -1 if none. */
function headerEnd(line: string): number {
  const quote = line.indexOf('"');
  const bracket = line.indexOf(']');
  if (quote < 0 || bracket < quote) return bracket;
  const closing = line.indexOf('"', quote + 1);
  return closing < 0 ? -1 : line.indexOf(']', closing + 1);
}

/**
 * An include's path as written, or undefined when it holds what git would unescape, cut or expand otherwise than
 * includedFile does: quotes inside, `\\`, `;`, `#`, `~user/`, `%(prefix)/`.
 */
function includePath(value: string): string | undefined {
  const quoted = /^"([^"]*)"$/.exec(value.trim());
  const unquoted = quoted ? quoted[1]! : value.trim();
  if (unquoted === '' || /["\\;#]/.test(unquoted) || unquoted.startsWith('%(') || (unquoted.startsWith('~') && !unquoted.startsWith('~/'))) return undefined;
  return unquoted;
}

/**
 * Whether a checked-out `.gitattributes` (its path in the work tree, the stamp the index recorded) is the one committed,
 * still as git checked it out, and says nothing that changes a checkout's bytes: read only when its stamp is git's.
 */
function checkedOutAttributesKeepBytes(file: string, stamp: FileStamp): boolean {
  return hasStamp(file, stamp) && !attributesChangeBytes(readFileSync(file, 'utf8'));
}

/**
 * Attributes that leave a checkout's bytes as the blob's on Linux, with autocrlf false and core.eol lf or native (the
 * config checks): `text` in any form (line endings converted only on commit, or to LF), `eol=lf`, `binary`, and
 * those that only concern diffs, merges, archives, locks and forges. `crlf` is `text`'s old name.
 */
const HARMLESS_ATTRIBUTE = /^(?:[-!]?(?:text|crlf|binary|diff|merge|delta|export-ignore|export-subst|whitespace|lockable)|[-!]eol|(?:text|crlf)=(?:auto|input)|eol=lf|(?:diff|merge|whitespace|conflict-marker-size)=\S+|[-!]?(?:linguist|gitlab)-[a-z-]+(?:=\S*)?)$/i;

/**
 * Whether a gitattributes file's text gives any path an attribute not known to leave a checkout's bytes as the blob's
 * (HARMLESS_ATTRIBUTE): a filter (LFS), `eol=crlf`, `ident`, `working-tree-encoding`, macros (`[attr]`), anything else.
 */
export function attributesChangeBytes(text: string): boolean {
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('[attr]')) return true;
    // The pattern, quoted (C-style, with escapes) or up to the first blank; the attributes after it.
    const quoted = /^"(?:[^"\\]|\\.)*"/.exec(line);
    const afterPattern = quoted ? quoted[0].length : line.search(/\s|$/);
    const attributes = line.slice(afterPattern).trim().split(/\s+/).filter((token) => token !== '');
    if (attributes.some((token) => !HARMLESS_ATTRIBUTE.test(token))) return true;
  }
  return false;
}

/**
 * The entries of an index file under `prefix` (`''` or `a/b/`), keyed by their path relative to it; undefined when
 * the index is not one this reader trusts (see the module's comment). `indexMtimeMs`: when the index was written, for
 * the racy rule. `attributesTrusted` is asked about each `.gitattributes` the index tracks, anywhere (without it, any
 * makes the index untrusted).
 */
export function readIndex(bytes: Buffer, prefix: string, indexMtimeMs: number, attributesTrusted: (name: string, stamp: FileStamp) => boolean = () => false): GitIndex | undefined {
  if (bytes.length < 12 + 20 || bytes.toString('latin1', 0, 4) !== 'DIRC') return undefined;
  const version = bytes.readUInt32BE(4);
  if (version < 2 || version > 4) return undefined;
  const body = bytes.subarray(0, bytes.length - 20);
  const checksum = bytes.subarray(bytes.length - 20);
  // index.skipHash (git 2.40) writes zeros instead of the checksum.
  if (checksum.some((byte) => byte !== 0) && !createHash('sha1').update(body).digest().equals(checksum)) return undefined;
  const count = bytes.readUInt32BE(8);
  const offsets = new Map<string, number>();
  let at = 12;
  // The paths are cut from one latin1 string of the whole index (a character per byte), decoded as UTF-8 only when not
  // ASCII: a UTF-8 decode per entry took 26 ms of a cold start at 10,000 entries.
  const text = bytes.toString('latin1');
  let previousPath = '';
  for (let entry = 0; entry < count; entry++) {
    const start = at;
    const flags = bytes.readUInt16BE(start + 60);
    const extended = version >= 3 && (flags & 0x4000) !== 0 ? bytes.readUInt16BE(start + 62) : 0;
    at = start + 62 + (version >= 3 && (flags & 0x4000) !== 0 ? 2 : 0);
    const parsed = entryPath(text, start, at, version, previousPath);
    at = parsed.next;
    if (at > body.length) return undefined;
    previousPath = parsed.name;
    const name = NOT_ASCII.test(parsed.name) ? Buffer.from(parsed.name, 'latin1').toString('utf8') : parsed.name;
    const racy = timeAt(bytes, start + 8) >= indexMtimeMs || timeAt(bytes, start) >= indexMtimeMs;
    if ((name === '.gitattributes' || name.endsWith('/.gitattributes')) && (racy || !attributesTrusted(name, stampAt(bytes, start)))) return undefined;
    const mode = bytes.readUInt32BE(start + 24);
    const stage = (flags >> 12) & 3;
    const skipWorktree = (extended & 0x4000) !== 0;
    const intentToAdd = (extended & 0x2000) !== 0;
    if (!name.startsWith(prefix) || stage !== 0 || skipWorktree || intentToAdd || (mode & 0o170000) !== 0o100000) continue;
    // Racily clean (git's rule): changed no earlier than the index was written, a second change could keep the stamp.
    if (racy) continue;
    offsets.set(name.slice(prefix.length), start);
  }
  return hidesEntries(body, at) ? undefined : new GitIndex(bytes, offsets);
}

/**
 * A time the index records (seconds, then nanoseconds) in milliseconds, computed as Node computes a Stats' `mtimeMs`,
 * so that the stamp text of the hash cache is the same double, digit for digit.
 */
function timeAt(bytes: Buffer, at: number): number {
  return bytes.readUInt32BE(at) * 1e3 + bytes.readUInt32BE(at + 4) / 1e6;
}

/** The stamp of the entry at `start` (inode and size: the low 32 bits git keeps). */
function stampAt(bytes: Buffer, start: number): FileStamp {
  return { ctimeMs: timeAt(bytes, start), mtimeMs: timeAt(bytes, start + 8), ino: bytes.readUInt32BE(start + 20), size: bytes.readUInt32BE(start + 36) };
}

const NOT_ASCII = /[^\x00-\x7f]/;

/**
 * An entry's path as latin1 text (bytes as characters, read from `at`, after its flags; `text` is the index's latin1
 * string) and where the next entry starts.
 */
function entryPath(text: string, start: number, at: number, version: number, previousPath: string): { name: string; next: number } {
  if (version !== 4) {
    const end = text.indexOf('\0', at);
    // Entries are padded with 1 to 8 NULs to a multiple of 8 bytes.
    return { name: text.slice(at, end), next: start + ((end - start + 8) & ~7) };
  }
  // Version 4: the previous path less N bytes, then this suffix (N a git varint).
  let byte = text.charCodeAt(at++);
  let strip = byte & 0x7f;
  while (byte & 0x80) {
    byte = text.charCodeAt(at++);
    strip = ((strip + 1) << 7) | (byte & 0x7f);
  }
  const suffixEnd = text.indexOf('\0', at);
  return { name: previousPath.slice(0, previousPath.length - strip) + text.slice(at, suffixEnd), next: suffixEnd + 1 };
}

/** Whether the index's extensions (from `at` to the end of `body`) say its entries are not all there: split, sparse. */
function hidesEntries(body: Buffer, at: number): boolean {
  while (at + 8 <= body.length) {
    const signature = body.toString('latin1', at, at + 4);
    if (signature === 'link' || signature === 'sdir') return true;
    at += 8 + body.readUInt32BE(at + 4);
  }
  return false;
}
