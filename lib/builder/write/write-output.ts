/** Writes a build into its output folder: only files whose bytes changed, then removes files the build no longer makes. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rm, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import pLimit from 'p-limit';
import { FleuronError } from '../../errors/fleuron-error.js';
import { folderFilePaths } from '../load/folder-files.js';
import { normalizeSitePath } from '../load/url-map.js';
import type { TrackedCopies } from './tracked-copies.js';

/** The file that marks a folder as built by fleuron (and lists the redirects for the publisher). */
export const ALIASES_FILE = '.fleuron/aliases.json';

export interface OutputPlan {
  /** Generated files by output path (pages as their bytes). */
  files: ReadonlyMap<string, string | Buffer>;
  /** Copied files: output path → absolute source path. */
  copies: Map<string, string>;
  /** Files already in the output folder with the right content (checked by the caller): left alone. */
  kept?: ReadonlySet<string>;
  /** The files in the output folder, when the caller knows them (the preview, which wrote them last): not listed again. */
  existing?: readonly string[];
  /** Generated files as the caller last wrote them into this folder (with `existing`): one unchanged is not read back. */
  written?: ReadonlyMap<string, string>;
  /** Notes the copies of files git vouches for, for the publish that follows (see tracked-copies.ts). */
  tracked?: TrackedCopies;
}

export interface WriteSummary {
  written: number;
  unchanged: number;
  removed: number;
}

export async function writeOutput(outDir: string, plan: OutputPlan): Promise<WriteSummary> {
  const existing = plan.existing ? [...plan.existing] : await listExisting(outDir);
  if (existing.length > 0 && !existing.includes(ALIASES_FILE)) {
    throw new FleuronError('output-not-ours', `${outDir} is not empty and was not built by fleuron`, {
      hint: 'choose an empty or new folder with --out, or empty this one yourself',
    });
  }
  const existingSet = new Set(existing.map(normalizeSitePath));
  const limit = pLimit(32);
  const summary: WriteSummary = { written: 0, unchanged: 0, removed: 0 };
  const madeDirs = new Map<string, Promise<unknown>>();
  const ensureDir = (file: string) => {
    const dir = path.dirname(file);
    let made = madeDirs.get(dir);
    if (!made) {
      made = mkdir(dir, { recursive: true });
      madeDirs.set(dir, made);
    }
    return made;
  };
  const tasks: Promise<void>[] = [];
  writeGenerated(outDir, plan.files, existingSet, summary, plan.existing ? plan.written : undefined);
  for (const [outputPath, source] of plan.copies) {
    tasks.push(limit(async () => {
      const target = path.join(outDir, outputPath);
      if (existingSet.has(outputPath) && (await sameFile(source, target))) {
        summary.unchanged++;
        return;
      }
      await ensureDir(target);
      const entry = plan.tracked?.before(source);
      try {
        await copyFile(source, target);
      } catch (error) {
        throw new FleuronError('file-unreadable', `cannot copy ${source}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
          hint: 'check that the file is readable',
          cause: error,
        });
      }
      plan.tracked?.after(outputPath, source, target, entry);
      summary.written++;
    }));
  }
  await Promise.all(tasks);
  summary.unchanged += plan.kept?.size ?? 0;
  const wanted = (file: string) => plan.files.has(file) || plan.copies.has(file) || (plan.kept?.has(file) ?? false);
  const stale = existing.filter((file) => !wanted(normalizeSitePath(file)));
  await Promise.all(stale.map((file) => limit(() => rm(path.join(outDir, file), { force: true }))));
  summary.removed = stale.length;
  // Only removing files leaves folders empty: a build that removed none need not walk the folder again.
  if (stale.length > 0) await removeEmptyFolders(outDir);
  return summary;
}

/**
 * Generated files are written synchronously, like the loader's reads: thousands of small files go several times
 * faster than through fs.promises' open/write/close round trips. Their folders are made first.
 */
function writeGenerated(outDir: string, files: ReadonlyMap<string, string | Buffer>, existing: ReadonlySet<string>, summary: WriteSummary, written?: ReadonlyMap<string, string>): void {
  const generatedDirs = new Set([...files.keys()].map((outputPath) => path.dirname(path.join(outDir, outputPath))));
  for (const dir of generatedDirs) mkdirSync(dir, { recursive: true });
  for (const [outputPath, content] of files) {
    if (existing.has(outputPath) && written?.get(outputPath) === content) {
      summary.unchanged++;
      continue;
    }
    const target = path.join(outDir, outputPath);
    const bytes = typeof content === 'string' ? Buffer.from(content) : content;
    if (existing.has(outputPath) && sameBytes(target, bytes)) {
      summary.unchanged++;
      continue;
    }
    writeFileSync(target, bytes);
    summary.written++;
  }
}

async function listExisting(outDir: string): Promise<string[]> {
  try {
    return folderFilePaths(outDir);
  } catch {
    return [];
  }
}

function sameBytes(file: string, bytes: Buffer): boolean {
  try {
    // Synchronous: for many small files much faster than fs.promises.readFile (see load/pages.ts).
    return readFileSync(file).equals(bytes);
  } catch {
    return false;
  }
}

async function sameFile(a: string, b: string): Promise<boolean> {
  try {
    const [statA, statB] = await Promise.all([stat(a), stat(b)]);
    if (statA.size !== statB.size) return false;
    const [bytesA, bytesB] = await Promise.all([readFile(a), readFile(b)]);
    return bytesA.equals(bytesB);
  } catch {
    return false;
  }
}

/** Removes folders left empty by stale files (deepest first); the output folder itself stays. */
async function removeEmptyFolders(dir: string, isRoot = true): Promise<boolean> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  let empty = true;
  for (const entry of entries) {
    if (entry.isDirectory() && (await removeEmptyFolders(path.join(dir, entry.name), false))) continue;
    empty = false;
  }
  if (empty && !isRoot) await rmdir(dir);
  return empty;
}
