/** Lists the files of a site folder: Markdown pages and files copied as-is; never what the ignore list leaves out, the config or layout overrides. */
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { FleuronError } from '../../errors/fleuron-error.js';
import { PROJECT_FILE_NAMES } from '../../config/project-file.js';
import { makePathClassifier } from '../../ignore/ignore-list.js';
import { stampOf, trustedStamp, type StampKey } from '../../files/file-stamp.js';
import { isMarkdownPath, normalizeSitePath, outputPathFor, type UrlStyle } from './url-map.js';
import { folderFiles } from './folder-files.js';
import { linkedFolderWarning, resolveLinkedEntry } from './linked-file.js';

/** The folder of a site that holds Liquid templates replacing the theme's, file by file. */
export const LAYOUTS_FOLDER = '_layouts';

/** Jekyll's and Eleventy's template partials and data files: what their templates read, never pages to publish. */
export const GENERATOR_FOLDERS = ['_includes', '_data'] as const;

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

/** The publisher's default ignore list (lib/ignore/), which the build follows too: what is not published is not built. */
const classifyByDefault = makePathClassifier();

/** Whether a relative path of the site folder is left out of the build (`isFolder`: the path names a folder). */
export function isLeftOut(relativePath: string, isFolder: boolean): boolean {
  return isLeftOutByName(relativePath, isFolder) || (!isFolder && classifyByDefault(relativePath) === 'leftover');
}

/** What the ignore list leaves out (dotfiles and dot-folders but `.well-known/`, dependencies, OS litter), the config, the layouts folder. */
function isLeftOutByName(relativePath: string, isFolder: boolean): boolean {
  // A folder is left out when everything in it would be.
  if (isFolder) return relativePath === LAYOUTS_FOLDER || (GENERATOR_FOLDERS as readonly string[]).includes(relativePath) || classifyByDefault(`${relativePath}/-`) === 'ignore';
  return classifyByDefault(relativePath) === 'ignore' || (PROJECT_FILE_NAMES as readonly string[]).includes(relativePath);
}

function realRootOf(sourceDir: string): string {
  try {
    return realpathSync(sourceDir);
  } catch {
    return path.resolve(sourceDir);
  }
}

function isWellKnown(relativePath: string): boolean {
  return relativePath === WELL_KNOWN_FOLDER || relativePath.startsWith(`${WELL_KNOWN_FOLDER}/`);
}

export interface ScanSourcesOptions {
  /** When the scan runs (a `Date.now()`): files changed just before are not trusted by their stamp. */
  stampedAt?: number;
  /** Told each editor leftover (`plan.md~`) left out, for one warning. */
  onLeftover?: (sourcePath: string) => void;
  warn?: (line: string) => void;
  /** `.html` output paths (the default) or pretty ones (`docs/x/index.html`). */
  urls?: UrlStyle;
}

/**
 * Every source file in a stable order (by code point of the NFC path). Left out: what the default ignore list leaves
 * out (lib/ignore/: dotfiles but `.well-known/`, editor leftovers, …), the config and `_layouts/`. Symlinks to files
 * inside the folder are followed, as the publisher follows them.
 */
export async function scanSources(sourceDir: string, options: ScanSourcesOptions = {}): Promise<SourceFile[]> {
  const stampedAt = options.stampedAt ?? Date.now();
  const urls = options.urls ?? 'html';
  const warn = options.warn ?? (() => {});
  const realRoot = realRootOf(sourceDir);
  const resolveLink = (relativePath: string, absolutePath: string) => {
    const linked = resolveLinkedEntry(absolutePath, relativePath, realRoot);
    if (linked.kind === 'file') return linked.realPath;
    warn(linkedFolderWarning(relativePath));
    return undefined;
  };
  const skip = (relativePath: string, isFolder: boolean) => {
    // Leftovers are reported only when nothing else leaves them out: an Emacs lock file `.#a.md` is just a dotfile.
    if (isLeftOutByName(relativePath, isFolder)) return true;
    if (isFolder || classifyByDefault(relativePath) !== 'leftover') return false;
    options.onLeftover?.(normalizeSitePath(relativePath));
    return true;
  };
  const files = folderFiles(sourceDir, { skip, resolveLink }, (file): SourceFile => {
    const sourcePath = normalizeSitePath(file.relativePath);
    const { stats } = file;
    const trusted = trustedStamp(stats, stampedAt);
    const isPage = isMarkdownPath(sourcePath) && !isWellKnown(sourcePath);
    return {
      sourcePath,
      absolutePath: file.absolutePath,
      outputPath: isPage ? outputPathFor(sourcePath, urls) : sourcePath,
      size: stats.size,
      isPage,
      stamp: trusted ?? stampOf(stats),
      trustedStamp: trusted,
    };
  });
  files.sort((a, b) => (a.sourcePath < b.sourcePath ? -1 : a.sourcePath > b.sourcePath ? 1 : 0));
  keepReadmesBesideIndexes(files, urls);
  assertDistinctOutputs(files);
  return files;
}

/**
 * A folder's `README.md` is its section page, unless the folder has an `index.md` or `_index.md`: then it stays a
 * page of its own (`README.html`), as a forge shows it beside the site's own index.
 */
function keepReadmesBesideIndexes(files: SourceFile[], urls: UrlStyle): void {
  const indexes = new Set(files.filter((file) => file.isPage && /(^|\/)_?index\.(md|markdown)$/i.test(file.sourcePath)).map((file) => file.outputPath));
  for (const file of files) {
    if (file.isPage && /(^|\/)readme\.(md|markdown)$/i.test(file.sourcePath) && indexes.has(file.outputPath)) {
      const name = file.sourcePath.replace(/\.(md|markdown)$/i, '');
      file.outputPath = urls === 'pretty' ? `${name}/index.html` : `${name}.html`;
    }
  }
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
