/** Reads the project config file, `fleuron.yaml`, and says where a site's project files are looked for. */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { usageError } from '../errors/fleuron-error.js';
import { isPlainObject } from './check-keys.js';

export const PROJECT_FILE_NAMES = ['fleuron.yaml', 'fleuron.yml'] as const;

/**
 * The folder whose project file a site uses: the site folder when it has one, else the working directory (a
 * built folder such as public/ is published with the fleuron.yaml next to it). Build, preview and publish all
 * ask here, so they read the same file.
 */
export function projectFileDir(siteDir: string, cwd = process.cwd()): string {
  return hasProjectFile(siteDir) ? siteDir : cwd;
}

/** Whether `dir` holds a fleuron.yaml (or fleuron.yml). */
export function hasProjectFile(dir: string): boolean {
  return PROJECT_FILE_NAMES.some((name) => existsSync(path.join(dir, name)));
}

export interface ProjectFile {
  /** Absolute path of the file that was read. */
  path: string;
  /** The parsed top-level mapping. */
  data: Record<string, unknown>;
}

/** The project file of `dir`, or undefined when there is none. Malformed YAML is a usage error with file:line. */
export async function readProjectFile(dir: string): Promise<ProjectFile | undefined> {
  for (const name of PROJECT_FILE_NAMES) {
    const file = path.resolve(dir, name);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw usageError('config-unreadable', `cannot read ${file}: ${(error as Error).message}`, 'check the file permissions');
    }
    // Loaded on demand: the YAML parser is a noticeable part of a small rebuild's start-up, and most folders have no
    // fleuron.yaml. With require(), as yaml is CommonJS: a bundler's import() of it (esbuild's) has only a default export.
    const { parseDocument } = createRequire(import.meta.url)('yaml') as typeof import('yaml');
    const document = parseDocument(text, { prettyErrors: true });
    const first = document.errors[0];
    if (first) {
      const line = first.linePos?.[0].line ?? 1;
      throw usageError('config-invalid', `${file}:${line}: invalid YAML: ${first.message.split('\n')[0]}`, 'fix the YAML syntax at that line');
    }
    const data = toData(document, file);
    if (!isPlainObject(data)) {
      throw usageError('config-invalid', `${file}: the top level must be a mapping of keys`, 'see the README for an example fleuron.yaml');
    }
    return { path: file, data };
  }
  return undefined;
}

/** Aliases a file may expand: a config needs a handful; a file made to expand into millions is refused. */
const MAX_ALIASES = 100;

function toData(document: import('yaml').Document, file: string): unknown {
  try {
    return document.toJS({ maxAliasCount: MAX_ALIASES }) ?? {};
  } catch (error) {
    // yaml throws a ReferenceError for an alias expanding past maxAliasCount (a "billion laughs" file).
    if (error instanceof ReferenceError && /alias/i.test(error.message)) {
      throw usageError('config-invalid', `${file}: too many aliases expanded (more than ${MAX_ALIASES})`, 'write the values out, or use fewer YAML aliases (*name)');
    }
    throw usageError('config-invalid', `${file}: invalid YAML: ${(error as Error).message.split('\n')[0]}`, 'fix the YAML at that place');
  }
}
