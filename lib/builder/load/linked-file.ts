/**
 * What a symbolic link in the site folder stands for, judged as the publisher judges it (lib/publish/scan-local.ts,
 * same messages and codes): a file inside the folder is followed; a folder is skipped with a warning; a link leading
 * out of the folder, a loop or a dangling link stops the build.
 */
import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { FleuronError, usageError } from '../../errors/fleuron-error.js';

export type LinkedEntry = { kind: 'file'; realPath: string } | { kind: 'folder' };

export function resolveLinkedEntry(absolutePath: string, relativePath: string, realRoot: string): LinkedEntry {
  let real: string;
  try {
    real = realpathSync(absolutePath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw usageError('symlink-loop', `${relativePath} is a symlink loop`, 'remove or fix the symlink');
    if (code === 'ENOENT') throw usageError('broken-symlink', `${relativePath} is a symlink to a missing file`, 'remove or fix the symlink');
    throw new FleuronError('file-unreadable', `cannot read ${relativePath} (${code})`, { hint: 'check its permissions', cause: error });
  }
  if (real !== realRoot && !real.startsWith(realRoot + path.sep)) {
    throw usageError('symlink-outside', `${relativePath} is a symlink to ${real}, outside the folder`, 'copy the file into the folder instead; symlinks are not followed out of it');
  }
  return statSync(real).isDirectory() ? { kind: 'folder' } : { kind: 'file', realPath: real };
}

export function linkedFolderWarning(relativePath: string): string {
  return `${relativePath} is a symlink to a folder; it is skipped (symlinked folders are not followed)`;
}
