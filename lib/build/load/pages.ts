/** Reads the Markdown pages of a site (with a size limit) and parses their front matter. */
import { readFileSync } from 'node:fs';
import { FleuronError } from '../../errors/fleuron-error.js';
import { parseFrontMatter, type FrontMatter, type SplitPage } from './front-matter.js';
import type { SourceFile } from './sources.js';

export interface LoadedPage {
  sourcePath: string;
  outputPath: string;
  text: string;
  frontMatter: FrontMatter;
  bodyLine: number;
}

export interface LoadPagesOptions {
  /** How the site folder is named in messages (`site-src`). */
  sourceLabel: string;
  maxFileBytes: number;
  /** Front matter already parsed for a page text, e.g. by a previous build (see RenderCache). */
  parsed?: { get(text: string): SplitPage | undefined; set(text: string, value: SplitPage): void };
}

/**
 * Reads pages one after the other with synchronous reads: for thousands of small files, `fs.promises.readFile`
 * (open, stat, read, close, each a round trip to the thread pool) is several times slower, and a build has
 * nothing else to do meanwhile.
 */
export async function loadPages(files: readonly SourceFile[], options: LoadPagesOptions): Promise<LoadedPage[]> {
  return files.filter((file) => file.isPage).map((file) => loadPage(file, options));
}

function loadPage(file: SourceFile, options: LoadPagesOptions): LoadedPage {
  const label = `${options.sourceLabel}/${file.sourcePath}`;
  if (file.size > options.maxFileBytes) {
    throw new FleuronError('page-too-large', `${label}: ${Math.ceil(file.size / 1024)} KB is more than the ${Math.floor(options.maxFileBytes / 1024)} KB limit for a Markdown page`, {
      hint: 'split the page, or raise markdown.maxFileKb in fleuron.yaml',
    });
  }
  let text: string;
  try {
    text = readFileSync(file.absolutePath, 'utf8');
  } catch (error) {
    throw new FleuronError('file-unreadable', `${label}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, {
      hint: 'check that the file exists and is readable',
      cause: error,
    });
  }
  let split = options.parsed?.get(text);
  if (!split) {
    split = parseFrontMatter(text, label);
    options.parsed?.set(text, split);
  }
  const { frontMatter, bodyLine } = split;
  return { sourcePath: file.sourcePath, outputPath: file.outputPath, text, frontMatter, bodyLine };
}
