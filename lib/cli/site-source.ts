/** Tells a site source folder from a built one, and builds the former before publishing. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { hasProjectFile } from '../config/project-file.js';
import type { BuildResult } from '../builder/index.js';

export interface BuiltFolder {
  /** The folder to publish. */
  publishDir: string;
  warnings: string[];
  /** The build's copies of files git vouches for (see builder/write/tracked-copies.ts), for the publish's scan. */
  trackedCopies?: BuildResult['trackedCopies'];
}

/** A source folder has a fleuron.yaml, or Markdown pages and no index.html. */
export async function isSourceFolder(dir: string): Promise<boolean> {
  if (hasProjectFile(dir)) return true;
  if (!existsSync(dir) || existsSync(path.join(dir, 'index.html'))) return false;
  // Loaded here, not with the module: a built folder (index.html) never needs it, and a publish reads this first.
  const { default: fg } = await import('fast-glob');
  const markdown = await fg('**/*.md', { cwd: dir, deep: 3, ignore: ['**/node_modules/**'] });
  return markdown.length > 0;
}

export async function buildIfSource(dir: string, options: { out?: string; drafts?: boolean; offline?: boolean; gzip?: boolean; log: (line: string) => void }): Promise<BuiltFolder> {
  if (!(await isSourceFolder(dir))) return { publishDir: dir, warnings: [] };
  const { buildSite } = await import('../builder/index.js');
  const outDir = path.resolve(options.out ?? 'public');
  const result = await buildSite({ sourceDir: dir, outDir, drafts: options.drafts, offline: options.offline ?? false, ...(options.gzip === undefined ? {} : { gzip: options.gzip }), noteTrackedCopies: true, log: options.log });
  options.log(`built ${result.pages} pages into ${path.relative(process.cwd(), outDir) || '.'}`);
  return { publishDir: outDir, warnings: result.warnings, ...(result.trackedCopies ? { trackedCopies: result.trackedCopies } : {}) };
}
