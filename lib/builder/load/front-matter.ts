/**
 * Parses a page's front matter — YAML, TOML or JSON, one parser per format — and maps the keys other generators use
 * (Hugo, Zola, Jekyll, Eleventy) onto fleuron's. Wrong types of known keys are errors; unknown keys are not: they are
 * kept for custom layouts and reported once per key for the whole build (see load-site.ts).
 */
import { createRequire } from 'node:module';
import type { Document } from 'yaml';
import { isPlainObject } from '../../config/check-keys.js';
import { FleuronError } from '../../errors/fleuron-error.js';
import { frontMatterBlock, type FrontMatterBlock } from './front-matter-block.js';
import { DATA_KEYS, FRONT_MATTER_KEYS, HEADLESS_KEYS, KEY_SYNONYMS, MERGED_KEYS, type FrontMatterKey } from './front-matter-keys.js';

export { FRONT_MATTER_KEYS };

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
  /** The last part of the page's URL instead of its file name (Hugo, Zola, Jekyll). */
  slug?: string;
  /** A snippet for other pages to include, not a page of its own (see HEADLESS_KEYS). */
  headless?: boolean;
  extra: Record<string, unknown>;
}

/** A front matter key fleuron does not know, where it was written. */
export interface UnknownKey {
  key: string;
  line: number;
}

export interface SplitPage {
  frontMatter: FrontMatter;
  /** 1-based line where the Markdown body starts in the file. */
  bodyLine: number;
  /** Keys kept in `extra` without a meaning for fleuron (absent when none). */
  unknownKeys?: UnknownKey[];
}

const DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;
/** Jekyll writes `2019-03-05 10:00:00 +0100`: a space before an offset without a colon. */
const JEKYLL_DATE = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?) ?([+-]\d{2}):?(\d{2})$/;

type Parsed = { data: unknown; lineOf: (key: string) => number };

/** Parses the front matter of `text` (the whole file); `file` names the page in error messages (`file:line: …`). */
export function parseFrontMatter(text: string, file: string): SplitPage {
  const block = frontMatterBlock(text);
  if (!block) return { frontMatter: { draft: false, aliases: [], extra: {} }, bodyLine: 1 };
  if (block.raw === undefined) {
    const fence = block.format === 'toml' ? '+++' : block.format === 'json' ? '}' : '---';
    throw frontMatterError(file, 1, `front matter opened with ${block.format === 'json' ? '{' : fence} is never closed`, `end it with a line containing only ${fence}`);
  }
  const parsed = PARSERS[block.format](block.raw, file);
  const data: unknown = parsed.data ?? {};
  if (!isPlainObject(data)) throw frontMatterError(file, 2, 'front matter must be a mapping of keys (title: …)', 'write one "key: value" per line');
  const { frontMatter, unknownKeys } = validate(data, parsed.lineOf, file);
  const bodyLine = block.text.split('\n').length + 1;
  return unknownKeys.length > 0 ? { frontMatter, bodyLine, unknownKeys } : { frontMatter, bodyLine };
}

/** First line of the block a key is on (TOML and JSON parsers give no positions: found in the text). */
function textualLineOf(raw: string, firstLine: number): (key: string) => number {
  return (key) => {
    const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const match = new RegExp(`^[ \\t]*["']?${escaped}["']?[ \\t]*[:=]`, 'm').exec(raw);
    return match ? firstLine + raw.slice(0, match.index).split('\n').length - 1 : firstLine;
  };
}

/** `key: Some words` with nothing YAML could read otherwise (no number, boolean, null, quote, colon or comment). */
const PLAIN_LINE = /^([A-Za-z_][A-Za-z0-9_-]*): (\p{L}(?:[\p{L}\p{N} ]*[\p{L}\p{N}])?)$/u;
const YAML_WORDS = /^(?:true|false|null|yes|no|on|off|y|n)$/i;

/**
 * The front matter most pages have (`title: A few words`), read without the YAML parser: on a 4,000-page site the
 * parser took 0.5–0.7 s of a 7 s cold build (profiled). Undefined for anything else, which the parser reads; a test
 * holds both to the same result.
 */
export function plainYaml(raw: string): Parsed | undefined {
  const data: Record<string, string> = {};
  const lines = new Map<string, number>();
  const rows = raw.split('\n');
  for (let index = 0; index < rows.length; index++) {
    const row = rows[index]!;
    if (row === '' && index === rows.length - 1) continue;
    const match = PLAIN_LINE.exec(row);
    if (!match || match[1] === '__proto__' || lines.has(match[1]!) || YAML_WORDS.test(match[2]!)) return undefined;
    data[match[1]!] = match[2]!;
    lines.set(match[1]!, index + 2);
  }
  return lines.size === 0 ? undefined : { data, lineOf: (key) => lines.get(key) ?? 2 };
}

const PARSERS: Record<FrontMatterBlock['format'], (raw: string, file: string) => Parsed> = {
  yaml(raw, file) {
    const plain = plainYaml(raw);
    if (plain) return plain;
    const lineCounter = new LineCounter();
    const document = parseDocument(raw, { lineCounter, prettyErrors: false });
    const lineOf = (offset: number) => lineCounter.linePos(offset).line + 1;
    const first = document.errors[0];
    if (first) throw frontMatterError(file, lineOf(first.pos[0]), `invalid YAML in front matter: ${first.message.split('\n')[0]}`, 'fix the YAML syntax at that line');
    return { data: document.toJS(), lineOf: (key) => lineOf(keyOffset(document, key)) };
  },
  toml(raw, file) {
    // smol-toml is small and already loaded by the publisher's deuxfleurs.toml reader.
    const { parse } = createRequire(import.meta.url)('smol-toml') as typeof import('smol-toml');
    try {
      return { data: parse(raw), lineOf: textualLineOf(raw, 2) };
    } catch (error) {
      const line = (error as { line?: number }).line ?? 0;
      throw frontMatterError(file, line + 1, `invalid TOML in front matter: ${(error as Error).message.split('\n')[0]}`, 'fix the TOML syntax at that line');
    }
  },
  json(raw, file) {
    try {
      return { data: JSON.parse(raw), lineOf: textualLineOf(raw, 1) };
    } catch (error) {
      const position = /position (\d+)/.exec((error as Error).message);
      const line = position ? raw.slice(0, Number(position[1])).split('\n').length : 1;
      throw frontMatterError(file, line, `invalid JSON in front matter: ${(error as Error).message.split('\n')[0]}`, 'fix the JSON syntax at that line');
    }
  },
};

/** The value of a key under its fleuron name, or under the first synonym the page uses, with the key as written. */
function lookup(data: Record<string, unknown>, key: FrontMatterKey): { key: string; value: unknown } {
  if (data[key] !== undefined && data[key] !== null) return { key, value: data[key] };
  for (const [synonym, meaning] of Object.entries(KEY_SYNONYMS)) {
    if (meaning === key && data[synonym] !== undefined && data[synonym] !== null) return { key: synonym, value: data[synonym] };
  }
  return { key, value: undefined };
}

function validate(data: Record<string, unknown>, lineOf: (key: string) => number, file: string): { frontMatter: FrontMatter; unknownKeys: UnknownKey[] } {
  const read = new FieldReader(data, lineOf, file);
  const { extra, unknownKeys } = otherKeys(data, lineOf);
  const frontMatter: FrontMatter = { draft: read.flag('draft') ?? false, aliases: read.aliases(), extra };
  const fields = {
    title: read.text('title'),
    description: read.text('description'),
    date: read.date('date'),
    updated: read.date('updated'),
    layout: read.text('layout'),
    toc: read.flag('toc'),
    weight: read.weight(),
    slug: read.text('slug'),
  };
  if (isHeadless(data)) frontMatter.headless = true;
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) (frontMatter as unknown as Record<string, unknown>)[key] = value;
  return { frontMatter, unknownKeys };
}

/** The keys kept for custom layouts (`extra`, with merged data keys spread in), and those fleuron does not know. */
function otherKeys(data: Record<string, unknown>, lineOf: (key: string) => number): { extra: Record<string, unknown>; unknownKeys: UnknownKey[] } {
  const understood = new Set<string>([...FRONT_MATTER_KEYS, ...Object.keys(KEY_SYNONYMS), ...DATA_KEYS, ...HEADLESS_KEYS]);
  const extra: Record<string, unknown> = {};
  const unknownKeys: UnknownKey[] = [];
  for (const [key, value] of Object.entries(data)) {
    if (MERGED_KEYS.has(key) && isPlainObject(value)) Object.assign(extra, value);
    else if (!(FRONT_MATTER_KEYS as readonly string[]).includes(key) && !Object.hasOwn(KEY_SYNONYMS, key)) extra[key] = value;
    if (!understood.has(key)) unknownKeys.push({ key, line: lineOf(key) });
  }
  return { extra, unknownKeys };
}

/** Reads fleuron's keys (or their synonyms) by type; a value of the wrong type is an error at its line. */
class FieldReader {
  constructor(
    private readonly data: Record<string, unknown>,
    private readonly lineOf: (key: string) => number,
    private readonly file: string,
  ) {}

  private fail(key: string, expected: string): FleuronError {
    return frontMatterError(this.file, this.lineOf(key), `front matter "${key}" must be ${expected}`, `got ${JSON.stringify(this.data[key])}`);
  }

  text(name: FrontMatterKey): string | undefined {
    const { key, value } = lookup(this.data, name);
    if (value === undefined) return undefined;
    if (typeof value === 'string') return value;
    if (typeof value === 'number') return String(value);
    throw this.fail(key, 'text');
  }

  date(name: FrontMatterKey): string | undefined {
    const { key, value } = lookup(this.data, name);
    if (value === undefined) return undefined;
    if (value instanceof Date && !Number.isNaN(value.getTime())) {
      // smol-toml's dates print as written (local dates stay dates); YAML's are UTC instants.
      const iso = value.toISOString().replace('T00:00:00.000Z', '');
      if (DATE.test(iso)) return iso;
    }
    if (typeof value === 'string') {
      const trimmed = value.trim();
      if (DATE.test(trimmed) && !Number.isNaN(Date.parse(trimmed))) return trimmed;
      const jekyll = JEKYLL_DATE.exec(trimmed);
      if (jekyll) return `${jekyll[1]}T${jekyll[2]}${jekyll[3]}:${jekyll[4]}`;
    }
    throw this.fail(key, 'a date such as 2024-03-05 or 2024-03-05T18:30:00+01:00');
  }

  flag(name: FrontMatterKey): boolean | undefined {
    const { key, value } = lookup(this.data, name);
    if (value === undefined) return undefined;
    if (typeof value === 'boolean') return value;
    throw this.fail(key, 'true or false');
  }

  aliases(): string[] {
    const { key, value } = lookup(this.data, 'aliases');
    if (value === undefined) return [];
    const list = Array.isArray(value) ? value : [value];
    if (!list.every((item) => typeof item === 'string' && item.trim() !== '')) throw this.fail(key, 'a list of site paths');
    return list as string[];
  }

  weight(): number | undefined {
    const { key, value } = lookup(this.data, 'weight');
    if (value !== undefined) {
      if (typeof value !== 'number') throw this.fail(key, 'a number');
      return value;
    }
    // Eleventy's navigation plugin orders by `eleventyNavigation.order`.
    const navigation = this.data.eleventyNavigation;
    return isPlainObject(navigation) && typeof navigation.order === 'number' ? navigation.order : undefined;
  }
}

function isHeadless(data: Record<string, unknown>): boolean {
  const never = (options: unknown) => isPlainObject(options) && (options.render === 'never' || options.render === false);
  return data.headless === true || data.render === false || never(data._build) || never(data.build);
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
