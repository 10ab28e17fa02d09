/** Lists the files of a site folder: Markdown pages and files copied as-is; never the config, dotfiles (but `.well-known/`) or layout overrides. */
import { FleuronError } from '../../errors/fleuron-error.js';
import { PROJECT_FILE_NAMES } from '../../config/project-file.js';
import { stampOf, trustedStamp, type StampKey } from '../../files/file-stamp.js';
import { isMarkdownPath, normalizeSitePath, outputPathFor } from './url-map.js';
import { folderFiles } from './folder-files.js';

/** The folder of a site that holds Liquid templates replacing the theme's, file by file. */
export const LAYOUTS_FOLDER = '_layouts';

/**
 * The one dot-folder a site publishes (`security.txt`, `openpgpkey/`, ACME challenges), copied whole and as it is:
 * programs read its files, so none is rendered. The publisher's default include list says the same (`DEFAULT_INCLUDE`
 * in lib/publish/scan-local.ts); a test checks that both agree.
 */
export const WELL_KNOWN_FOLDER = '.well-known';

export interface SourceFile {
  /** Relative, `/`-separated, NFC (`notes/Réunion 2.md`). */
  sourcePath: string;
  absolutePath: string;
  outputPath: string;
  size: number;
  isPage: boolean;
  /** As scanned: a stamp unchanged since an earlier build means unchanged bytes (see file-stamp.ts). */
  stamp?: StampKey;
  /** The stamp to remember for the next build; absent when the file changed too recently to trust it. */
  trustedStamp?: StampKey;
}

/** Whether a relative path of the site folder is left out of the build (`isFolder`: the path names a folder). */
export function isLeftOut(relativePath: string, isFolder: boolean): boolean {
  if (isWellKnown(relativePath)) return false;
  if (relativePath.split('/').some((part) => part.startsWith('.'))) return true;
  if (isFolder) return relativePath === LAYOUTS_FOLDER;
  return (PROJECT_FILE_NAMES as readonly string[]).includes(relativePath);
}

function isWellKnown(relativePath: string): boolean {
  return relativePath === WELL_KNOWN_FOLDER || relativePath.startsWith(`${WELL_KNOWN_FOLDER}/`);
}

/**
 * Every source file in a stable order (by code point of the NFC path), stamped at `stampedAt` (a `Date.now()`).
 * Dotfiles and dot-folders are skipped, except `.well-known/`.
 */
export async function scanSources(sourceDir: string, stampedAt = Date.now()): Promise<SourceFile[]> {
  const files = folderFiles(sourceDir, { skip: isLeftOut }, (file): SourceFile => {
    const sourcePath = normalizeSitePath(file.relativePath);
    const { stats } = file;
    const trusted = trustedStamp(stats, stampedAt);
    const isPage = isMarkdownPath(sourcePath) && !isWellKnown(sourcePath);
    return {
      sourcePath,
      absolutePath: file.absolutePath,
      outputPath: isPage ? outputPathFor(sourcePath) : sourcePath,
      size: stats.size,
      isPage,
      stamp: trusted ?? stampOf(stats),
      trustedStamp: trusted,
    };
  });
  files.sort((a, b) => (a.sourcePath < b.sourcePath ? -1 : a.sourcePath > b.sourcePath ? 1 : 0));
  assertDistinctOutputs(files);
  return files;
}

/** `a.md` and `a.html`, or two spellings of one accented name, would overwrite each other. */
export function assertDistinctOutputs(files: readonly Pick<SourceFile, 'sourcePath' | 'outputPath'>[]): void {
  const seen = new Map<string, string>();
  for (const file of files) {
    const other = seen.get(file.outputPath);
    if (other !== undefined) {
      throw new FleuronError('output-collision', `${other} and ${file.sourcePath} would both become ${file.outputPath}`, {
        hint: 'rename or remove one of them',
      });
    }
    seen.set(file.outputPath, file.sourcePath);
  }
}
