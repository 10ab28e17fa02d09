/** Loads the theme's Liquid templates and overlays the site's `_layouts/` on them, file by file; lists the theme's static files. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { FleuronError } from '../../errors/fleuron-error.js';
import { folderFiles } from './folder-files.js';
import { LAYOUTS_FOLDER } from './sources.js';

/** Template sources by name (`page.liquid`) and the file each came from, for error messages. */
export interface TemplateSet {
  sources: Record<string, string>;
  files: Record<string, string>;
}

/** @param themeDir the theme's folder (`THEME_DIR` in lib/builder/theme-location.ts for the default theme). */
export async function loadTemplates(sourceDir: string, themeDir: string): Promise<TemplateSet> {
  const templates: TemplateSet = { sources: {}, files: {} };
  for (const dir of [path.join(themeDir, 'layouts'), path.join(sourceDir, LAYOUTS_FOLDER)]) {
    const skip = (name: string, isFolder: boolean) => isFolder || name.startsWith('.') || !name.endsWith('.liquid');
    const names = folderFiles(dir, { skip, linkedFiles: true }, (file) => file.relativePath).sort();
    for (const name of names) {
      const file = path.join(dir, name);
      templates.sources[name] = await readText(file);
      templates.files[name] = file;
    }
  }
  return templates;
}

/** The theme's static files (`theme.css`) by output path → absolute path. */
export async function themeAssets(themeDir: string): Promise<Map<string, string>> {
  const dir = path.join(themeDir, 'assets');
  const names = folderFiles(dir, { skip: (name) => name.split('/').some((part) => part.startsWith('.')) }, (file) => file.relativePath).sort();
  return new Map(names.map((name) => [name, path.join(dir, name)]));
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new FleuronError('file-unreadable', `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
      hint: 'check that the file exists and is readable',
      cause: error,
    });
  }
}
