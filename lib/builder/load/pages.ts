/** Reads the Markdown pages of a site (with a size limit) and parses their front matter, skipping what an earlier build already read. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FleuronError } from '../../errors/fleuron-error.js';
import { contentHash, hashOf } from '../cache/hash.js';
import type { StampKey } from '../../files/file-stamp.js';
import type { FrontMatter, SplitPage } from './front-matter.js';
import { frontMatterBlock } from './front-matter-block.js';
import { expandIncludes, type IncludeProblem } from './includes.js';
import { bodyFacts, type BodyFacts } from './page-body.js';
import type { SourceFile } from './sources.js';

export interface LoadedPage {
  sourcePath: string;
  outputPath: string;
  absolutePath: string;
  /** The whole file, when this build read it; a page unchanged since an earlier build is read only if it is rendered. */
  text?: string;
  /** Hash of the whole file: what the build cache keys a page on. */
  textHash: string;
  frontMatter: FrontMatter;
  bodyLine: number;
  /** Front matter keys fleuron does not know (reported once per key by the loader). */
  unknownKeys?: SplitPage['unknownKeys'];
  body: BodyFacts;
  /** Includes that could not be expanded (never remembered: a page with includes is read at every build). */
  includeProblems?: IncludeProblem[];
}

/** What a build remembers of a page file for the next one (see BuildCache). */
export interface RememberedSource {
  /** The file's stamp when it was read; absent when it was too fresh to trust (see trustedStamp). */
  stamp?: StampKey;
  textHash: string;
  /** Hash of the front matter block `split` was parsed from. */
  blockHash: string;
  split: SplitPage;
  /** What the body says (see page-body.ts), for the text of `textHash`. */
  body: BodyFacts;
}

export interface SourceMemory {
  get(sourcePath: string): RememberedSource | undefined;
  set(sourcePath: string, source: RememberedSource): void;
  /** Marks a remembered page file as still in use, unchanged. */
  keep(sourcePath: string): void;
}

export interface LoadPagesOptions {
  /** How the site folder is named in messages (`site-src`). */
  sourceLabel: string;
  maxFileBytes: number;
  /** What earlier builds read; a page whose stamp is unchanged is not read again. */
  memory?: SourceMemory;
}

/**
 * Reads pages one after the other with synchronous reads: for thousands of small files, `fs.promises.readFile`
 * (open, stat, read, close, each a round trip to the thread pool) is several times slower, and a build has
 * nothing else to do meanwhile. The YAML parser is loaded only when some front matter is new.
 */
export async function loadPages(files: readonly SourceFile[], options: LoadPagesOptions): Promise<LoadedPage[]> {
  const read = files.filter((file) => file.isPage).map((file) => readPage(file, options));
  const unparsed = read.filter((page) => page.split === undefined);
  const parseFrontMatter = unparsed.length > 0 ? (await import('./front-matter.js')).parseFrontMatter : undefined;
  return read.map(({ file, page, split, body, remember }) => {
    split ??= parseFrontMatter!(page.text!, `${options.sourceLabel}/${file.sourcePath}`);
    let includeProblems: IncludeProblem[] | undefined;
    if (body === undefined) {
      // Read now: its body facts are new, and its includes (if any) are expanded into the text to render.
      const original = page.text!;
      const wantsHeading = split.frontMatter.title === undefined;
      body = bodyFacts(original, frontMatterBlock(original)?.bodyStart ?? 0, wantsHeading);
      if (body.includes) {
        const expanded = expandIncludes(original, file.absolutePath, siteFolderOf(file));
        page.text = expanded.text;
        page.textHash = contentHash(expanded.text);
        body = { ...body, ...bodyFacts(expanded.text, frontMatterBlock(expanded.text)?.bodyStart ?? 0, wantsHeading, original) };
        if (expanded.problems.length > 0) includeProblems = expanded.problems;
      }
    }
    remember?.(split, body);
    const { unknownKeys } = split;
    return { ...page, frontMatter: split.frontMatter, bodyLine: split.bodyLine, body, ...(unknownKeys ? { unknownKeys } : {}), ...(includeProblems ? { includeProblems } : {}) };
  });
}

interface ReadPage {
  file: SourceFile;
  page: Omit<LoadedPage, keyof SplitPage | 'body' | 'includeProblems'>;
  /** Known from an earlier build, or still to parse. */
  split?: SplitPage;
  /** Known from an earlier build when the text was not read again. */
  body?: BodyFacts;
  /** Remembers the page for the next build, once its front matter is parsed. */
  remember?: (split: SplitPage, body: BodyFacts) => void;
}

function readPage(file: SourceFile, options: LoadPagesOptions): ReadPage {
  if (file.size > options.maxFileBytes) {
    throw new FleuronError('page-too-large', `${options.sourceLabel}/${file.sourcePath}: ${Math.ceil(file.size / 1024)} KiB is more than the ${Math.floor(options.maxFileBytes / 1024)} KiB limit for a Markdown page`, {
      hint: 'split the page, or raise markdown.maxFileKb in fleuron.yaml',
    });
  }
  const { sourcePath, outputPath, absolutePath } = file;
  const { memory } = options;
  const known = memory?.get(sourcePath);
  // A page that includes other files is read again: an included file may have changed since.
  if (known?.stamp !== undefined && known.stamp === file.stamp && !known.body.includes) {
    memory!.keep(sourcePath);
    return { file, page: { sourcePath, outputPath, absolutePath, textHash: known.textHash }, split: known.split, body: known.body };
  }
  const text = readPageText(file, options.sourceLabel);
  const textHash = contentHash(text);
  const blockHash = hashOf(frontMatterBlock(text)?.text ?? '');
  const stamp = file.trustedStamp;
  const page = { sourcePath, outputPath, absolutePath, text, textHash };
  const remember = memory && ((split: SplitPage, body: BodyFacts) => memory.set(sourcePath, { ...(stamp ? { stamp } : {}), textHash, blockHash, split, body }));
  return { file, page, ...(known?.blockHash === blockHash ? { split: known.split } : {}), ...(remember ? { remember } : {}) };
}

/** The text of a page file; an unreadable file is an error naming it. */
export function readPageText(file: Pick<SourceFile, 'sourcePath' | 'absolutePath'>, sourceLabel: string): string {
  try {
    return readFileSync(file.absolutePath, 'utf8');
  } catch (error) {
    throw new FleuronError('file-unreadable', `${sourceLabel}/${file.sourcePath}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, {
      hint: 'check that the file exists and is readable',
      cause: error,
    });
  }
}

/** The site folder of a page file (what its includes may read): its absolute path without its source path. */
function siteFolderOf(file: Pick<SourceFile, 'sourcePath' | 'absolutePath'>): string {
  const depth = file.sourcePath.split('/').length;
  let folder = file.absolutePath;
  for (let level = 0; level < depth; level++) folder = path.dirname(folder);
  return folder;
}
