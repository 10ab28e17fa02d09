/** Watches a site's sources and calls back once per burst of changes (editors write several events per save). */
import { lstatSync, readdirSync, watch, type Dirent, type FSWatcher } from 'node:fs';
import path from 'node:path';

export interface SourceWatcherOptions {
  /** Quiet time before a burst of changes is reported. */
  debounceMs?: number;
  onChange: (paths: string[]) => void;
  onError?: (error: Error) => void;
}

export interface SourceWatcher {
  close(): void;
}

/** Changes that never affect a build: version control, fleuron's own folders, dependencies, editor litter. */
export function isIgnoredChange(relative: string): boolean {
  const parts = relative.split(/[\\/]/);
  const name = parts[parts.length - 1] ?? '';
  if (parts.some((part) => part === '.git' || part === '.fleuron' || part === 'node_modules')) return true;
  return name.endsWith('~') || name.startsWith('.#') || /\.(swp|swx|swo|tmp)$/.test(name) || /^#.*#$/.test(name) || name === '4913';
}

/**
 * Node 22+ watches a whole tree itself with `recursive: true`, as do macOS and Windows. Node 20 on Linux emulates it
 * with one watcher per file and, at each event, a listing of the file's whole folder: measured on a 4,000-file
 * folder, 10–45 ms from a write to its event, against 0.5 ms for one watcher per folder (what watchFolders does).
 */
const NATIVE_RECURSIVE = process.platform !== 'linux' || Number(process.versions.node.split('.')[0]) >= 22;

export function watchSources(dir: string, options: SourceWatcherOptions): SourceWatcher {
  // An editor's save is a burst of events a few milliseconds apart (write, rename, backup removal); 25 ms of quiet
  // covers it, and a change arriving during a rebuild queues one more rebuild, so a longer wait buys nothing.
  const debounceMs = options.debounceMs ?? 25;
  let timer: NodeJS.Timeout | undefined;
  let changed = new Set<string>();
  const onEvent = (relative: string) => {
    if (relative !== '' && isIgnoredChange(relative)) return;
    changed.add(relative);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const paths = [...changed];
      changed = new Set();
      options.onChange(paths);
    }, debounceMs);
  };
  const onError = (error: Error) => options.onError?.(error);
  const watcher = NATIVE_RECURSIVE ? watchTree(dir, onEvent, onError) : watchFolders(dir, onEvent, onError);
  return {
    close() {
      clearTimeout(timer);
      watcher.close();
    },
  };
}

/** `relative` is '' when the event names no file: anything may have changed. */
type OnEvent = (relative: string) => void;

function watchTree(dir: string, onEvent: OnEvent, onError: (error: Error) => void): SourceWatcher {
  const watcher: FSWatcher = watch(dir, { recursive: true }, (_event, filename) => onEvent(filename === null ? '' : filename.toString()));
  watcher.on('error', onError);
  return watcher;
}

/**
 * One watcher per folder of the tree (what inotify offers), a new folder watched as soon as it is reported. A new
 * folder is reported as a change of its path, which no page has: the preview builds in full, finding what was
 * written into it before it was watched.
 */
function watchFolders(dir: string, onEvent: OnEvent, onError: (error: Error) => void): SourceWatcher {
  const watchers = new Map<string, FSWatcher>();
  let closed = false;
  const add = (folder: string) => {
    if (closed || watchers.has(folder)) return;
    let watcher: FSWatcher;
    try {
      watcher = watch(folder, (_event, name) => {
        const file = name === null ? undefined : path.join(folder, name.toString());
        if (file !== undefined && isFolder(file)) add(file);
        if (file !== undefined) dropGone(file);
        onEvent(file === undefined ? '' : path.relative(dir, file));
      });
    } catch (error) {
      if (folder === dir) throw error;
      // Gone before it could be watched: its parent's event has been reported already. Else (no inotify watch left,
      // say) it is reported as a failure of Node's own recursive watch is.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') onError(error as Error);
      return;
    }
    watcher.on('error', (error) => (folder === dir ? onError(error) : dropGone(folder)));
    watchers.set(folder, watcher);
    for (const entry of entriesOf(folder)) {
      const child = path.join(folder, entry.name);
      if (entry.isDirectory() && !isIgnoredChange(path.relative(dir, child))) add(child);
    }
  };
  // A folder removed or moved away: its watchers (and those of its subfolders) are closed.
  const dropGone = (file: string) => {
    if (!watchers.has(file) || isFolder(file)) return;
    for (const [folder, watcher] of watchers) {
      if (folder === file || folder.startsWith(file + path.sep)) {
        watcher.close();
        watchers.delete(folder);
      }
    }
  };
  add(dir);
  return {
    close() {
      closed = true;
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}

function isFolder(file: string): boolean {
  try {
    return lstatSync(file).isDirectory();
  } catch {
    return false;
  }
}

function entriesOf(folder: string): Dirent[] {
  try {
    return readdirSync(folder, { withFileTypes: true });
  } catch {
    return [];
  }
}
