/** Watches a site's sources and calls back once per burst of changes (editors write several events per save). */
import { watch, type FSWatcher } from 'node:fs';

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

/** Node 20 watches a whole tree on Linux, macOS and Windows with `recursive: true`. */
export function watchSources(dir: string, options: SourceWatcherOptions): SourceWatcher {
  // An editor's save is a burst of events a few milliseconds apart (write, rename, backup removal); 25 ms of quiet
  // covers it, and a change arriving during a rebuild queues one more rebuild, so a longer wait buys nothing.
  const debounceMs = options.debounceMs ?? 25;
  let timer: NodeJS.Timeout | undefined;
  let changed = new Set<string>();
  const watcher: FSWatcher = watch(dir, { recursive: true }, (_event, filename) => {
    const relative = filename === null ? '' : filename.toString();
    if (relative !== '' && isIgnoredChange(relative)) return;
    changed.add(relative);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const paths = [...changed];
      changed = new Set();
      options.onChange(paths);
    }, debounceMs);
  });
  watcher.on('error', (error) => options.onError?.(error));
  return {
    close() {
      clearTimeout(timer);
      watcher.close();
    },
  };
}
