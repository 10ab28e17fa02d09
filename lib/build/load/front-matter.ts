/** Splits a Markdown page into its YAML front matter and body, and validates the front matter keys and types. */
import { createRequire } from 'node:module';
import type { Document } from 'yaml';
import { closestMatch } from '../../config/closest-match.js';
import { isPlainObject } from '../../config/check-keys.js';
import { FleuronError } from '../../errors/fleuron-error.js';
import { frontMatterBlock } from './front-matter-block.js';

// The same copy of yaml as lib/config/project-file.ts loads (bundled or not): CommonJS, taken with require().
const { isMap, isScalar, LineCounter, parseDocument } = createRequire(import.meta.url)('yaml') as typeof import('yaml');

/** What a page may say about itself. Other keys are kept in `extra` for custom layouts. */
export interface FrontMatter {
  title?: string;
  description?: string;
  /** `YYYY-MM-DD` or an ISO date-time; a dated page is a blog post. */
  date?: string;
  updated?: string;
  draft: boolean;
  layout?: string;
  /** Old site paths that should redirect to this page (`ancien/page.html`). */
  aliases: string[];
  /** Show a table of contents (overrides the site's `markdown.toc`). */
  toc?: boolean;
  /** Menu order when the navigation comes from the folder tree: lower first. */
  weight?: number;
  extra: Record<string, unknown>;
}

export const FRONT_MATTER_KEYS = ['title', 'description', 'date', 'updated', 'draft', 'layout', 'aliases', 'toc', 'weight'] as const;

export interface SplitPage {
  frontMatter: FrontMatter;
  /** 1-based line where the Markdown body starts in the file. */
  bodyLine: number;
}

const DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;

/** Parses the front matter of `text` (the whole file); `file` names the page in error messages (`file:line: …`). */
export function parseFrontMatter(text: string, file: string): SplitPage {
  const block = frontMatterBlock(text);
  if (!block) return { frontMatter: { draft: false, aliases: [], extra: {} }, bodyLine: 1 };
  if (block.yaml === undefined) throw frontMatterError(file, 1, 'front matter opened with --- is never closed', 'end it with a line containing only ---');
  const yamlText = block.yaml;
  const yamlLines = yamlText.split('\n').length - 1;
  const lineCounter = new LineCounter();
  const document = parseDocument(yamlText, { lineCounter, prettyErrors: false });
  const lineOf = (offset: number) => lineCounter.linePos(offset).line + 1;
  const first = document.errors[0];
  if (first) throw frontMatterError(file, lineOf(first.pos[0]), `invalid YAML in front matter: ${first.message.split('\n')[0]}`, 'fix the YAML syntax at that line');
  const data: unknown = document.toJS() ?? {};
  if (!isPlainObject(data)) throw frontMatterError(file, 2, 'front matter must be a mapping of keys (title: …)', 'write one "key: value" per line');
  const frontMatter = validate(data, (key) => lineOf(keyOffset(document, key)), file);
  return { frontMatter, bodyLine: 2 + yamlLines + 1 };
}

function validate(data: Record<string, unknown>, lineOf: (key: string) => number, file: string): FrontMatter {
  const fail = (key: string, expected: string) =>
    frontMatterError(file, lineOf(key), `front matter "${key}" must be ${expected}`, `got ${JSON.stringify(data[key])}`);
  const text = (key: string): string | undefined => {
    const value = data[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    if (typeof value === 'number') return String(value);
    throw fail(key, 'text');
  };
  const date = (key: string): string | undefined => {
    const value = data[key];
    if (value === undefined || value === null) return undefined;
    if (value instanceof Date) return value.toISOString().replace('T00:00:00.000Z', '');
    if (typeof value === 'string' && DATE.test(value.trim()) && !Number.isNaN(Date.parse(value.trim()))) return value.trim();
    throw fail(key, 'a date such as 2024-03-05 or 2024-03-05T18:30:00+01:00');
  };
  const flag = (key: string): boolean | undefined => {
    const value = data[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'boolean') return value;
    throw fail(key, 'true or false');
  };
  const aliases = (): string[] => {
    const value = data.aliases;
    if (value === undefined || value === null) return [];
    const list = Array.isArray(value) ? value : [value];
    if (!list.every((item) => typeof item === 'string' && item.trim() !== '')) throw fail('aliases', 'a list of site paths');
    return list as string[];
  };
  const weight = data.weight;
  if (weight !== undefined && weight !== null && typeof weight !== 'number') throw fail('weight', 'a number');

  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    if ((FRONT_MATTER_KEYS as readonly string[]).includes(key)) continue;
    const suggestion = closestMatch(key, FRONT_MATTER_KEYS);
    if (suggestion) throw frontMatterError(file, lineOf(key), `unknown front matter key "${key}"`, `did you mean "${suggestion}"?`);
    extra[key] = value;
  }
  const frontMatter: FrontMatter = { draft: flag('draft') ?? false, aliases: aliases(), extra };
  const fields = {
    title: text('title'),
    description: text('description'),
    date: date('date'),
    updated: date('updated'),
    layout: text('layout'),
    toc: flag('toc'),
    weight: typeof weight === 'number' ? weight : undefined,
  };
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) (frontMatter as unknown as Record<string, unknown>)[key] = value;
  return frontMatter;
}

function keyOffset(document: Document, key: string): number {
  if (!isMap(document.contents)) return 0;
  for (const pair of document.contents.items) {
    if (isScalar(pair.key) && pair.key.value === key) return pair.key.range?.[0] ?? 0;
  }
  return 0;
}

function frontMatterError(file: string, line: number, message: string, hint: string): FleuronError {
  return new FleuronError('front-matter-invalid', `${file}:${line}: ${message}`, { hint });
}
