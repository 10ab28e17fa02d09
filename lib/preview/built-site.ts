/** The keys a built folder would have once published: every publishable file, keyed by its NFC path. */
import fg from 'fast-glob';
import path from 'node:path';

/** Key (no prefix, `/` separators, NFC) → absolute path of the file. */
export type BuiltFiles = ReadonlyMap<string, string>;

export async function scanBuiltFiles(builtDir: string, isPublished: (relative: string) => boolean): Promise<BuiltFiles> {
  const root = path.resolve(builtDir);
  const entries = await fg('**', { cwd: root, dot: true, onlyFiles: true, followSymbolicLinks: true, ignore: ['**/.git/**', '**/node_modules/**'] });
  const files = new Map<string, string>();
  for (const relative of entries.sort()) {
    if (!isPublished(relative)) continue;
    // The publisher normalises keys to NFC (macOS writes NFD names).
    files.set(relative.normalize('NFC'), path.join(root, relative));
  }
  return files;
}
