/** Writes small sites into temporary folders and reads built folders back, for whole-build tests. */
import fg from 'fast-glob';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export async function tempDir(prefix = 'fleuron-build-'): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

/** Creates a site folder from `{ 'relative/path.md': 'content' }`. */
export async function writeSite(files: Record<string, string | Buffer>, dir?: string): Promise<string> {
  const root = dir ?? path.join(await tempDir(), 'src');
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(root, name);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
  }
  return root;
}

/** Every file of a folder (dotfiles included) → its bytes, by sorted relative path. */
export async function readTree(dir: string): Promise<Map<string, Buffer>> {
  const names = (await fg('**/*', { cwd: dir, dot: true, onlyFiles: true })).sort();
  const tree = new Map<string, Buffer>();
  for (const name of names) tree.set(name.normalize('NFC'), await readFile(path.join(dir, name)));
  return tree;
}
