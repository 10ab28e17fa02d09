/** Lists the files of a site folder: Markdown pages and files copied as-is; never the config, dotfiles or layout overrides. */
import fg from 'fast-glob';
import path from 'node:path';
import { FleuronError } from '../../errors/fleuron-error.js';
import { PROJECT_FILE_NAMES } from '../../config/project-file.js';
import { isMarkdownPath, normalizeSitePath, outputPathFor } from '../render/url-map.js';

/** The folder of a site that holds Liquid templates replacing the theme's, file by file. */
export const LAYOUTS_FOLDER = '_layouts';

export interface SourceFile {
  /** Relative, `/`-separated, NFC (`notes/Réunion 2.md`). */
  sourcePath: string;
  absolutePath: string;
  outputPath: string;
  size: number;
  isPage: boolean;
}

/** Every source file in a stable order (by code point of the NFC path). Dotfiles and dot-folders are skipped. */
export async function scanSources(sourceDir: string): Promise<SourceFile[]> {
  const entries = await fg('**/*', {
    cwd: sourceDir,
    dot: false,
    onlyFiles: true,
    followSymbolicLinks: false,
    stats: true,
    ignore: [...PROJECT_FILE_NAMES, `${LAYOUTS_FOLDER}/**`],
  });
  const files = entries.map((entry) => {
    const sourcePath = normalizeSitePath(entry.path);
    return {
      sourcePath,
      absolutePath: path.join(sourceDir, entry.path),
      outputPath: outputPathFor(sourcePath),
      size: entry.stats?.size ?? 0,
      isPage: isMarkdownPath(sourcePath),
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
