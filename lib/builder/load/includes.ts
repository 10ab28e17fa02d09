/**
 * mdBook's `{{#include file}}` (and `{{#rustdoc_include}}`): replaced by the file's text, whole, by line range
 * (`file:2:10`, `file:5:`, `file::8`, `file:3` for one line) or by anchor (`file:name`, the lines between
 * `ANCHOR: name` and `ANCHOR_END: name`; anchor lines are never included). Paths are relative to the page.
 * Expanded everywhere, code blocks included: that is where mdBook books use them most. Hugo sites' own `include`
 * shortcode (`{{% include "snippets/x.md" %}}`) is expanded the same way.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { frontMatterBlock } from './front-matter-block.js';

const INCLUDE = /\{\{#(?:include|rustdoc_include)\s+([^\s}]+)\s*\}\}/g;
/** The include shortcode many Hugo sites define (it is not built in): `{{% include "snippets/x.md" %}}`, or `readfile`. */
const HUGO_INCLUDE = /\{\{[<%]\s*(?:include|readfile)\s+(?:file=)?["']([^"']+)["']\s*[>%]\}\}/g;
const ANCHOR_LINE = /\bANCHOR(?:_END)?:\s*[\w-]+/;

export function hasIncludes(text: string): boolean {
  if (!text.includes('{{')) return false;
  return text.includes('{{#include') || text.includes('{{#rustdoc_include') || /\{\{[<%]\s*(?:include|readfile)\s/.test(text);
}

export interface IncludeProblem {
  line: number;
  target: string;
  reason: string;
}

/**
 * The text with its includes expanded (one level: an included file's own includes are not), and the ones that
 * could not be. `pageFile` is the page's absolute path; `siteDir` bounds what may be included.
 */
export function expandIncludes(text: string, pageFile: string, siteDir: string): { text: string; problems: IncludeProblem[] } {
  const problems: IncludeProblem[] = [];
  const lineAt = (offset: number) => text.slice(0, offset).split('\n').length;
  const read = (file: string, spec: string, line: number): string | undefined => {
    if (file !== siteDir && !file.startsWith(siteDir + path.sep)) {
      problems.push({ line, target: spec, reason: 'is outside the site folder' });
      return undefined;
    }
    try {
      return readFileSync(file, 'utf8');
    } catch (error) {
      problems.push({ line, target: spec, reason: `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` });
      return undefined;
    }
  };
  const mdBook = text.replace(INCLUDE, (_whole, spec: string, offset: number) => {
    const line = lineAt(offset);
    const [target, ...selector] = spec.split(':');
    const content = read(path.resolve(path.dirname(pageFile), target!), spec, line);
    if (content === undefined) return '';
    const selected = selectLines(content, selector);
    if (selected === undefined) {
      problems.push({ line, target: spec, reason: `has no anchor "${selector.join(':')}"` });
      return '';
    }
    return selected;
  });
  // Hugo sites' include shortcodes name a file from the page's folder or from the content folder, front matter and all.
  const expanded = !hasIncludes(mdBook) ? mdBook : mdBook.replace(HUGO_INCLUDE, (_whole, target: string, offset: number) => {
    const beside = path.resolve(path.dirname(pageFile), target);
    const file = existsSync(beside) ? beside : path.resolve(siteDir, target.replace(/^\/+/, ''));
    const content = read(file, target, lineAt(offset));
    if (content === undefined) return '';
    const block = frontMatterBlock(content);
    return (block ? content.slice(block.bodyStart) : content).replace(/\r?\n$/, '');
  });
  return { text: expanded, problems };
}

/** The lines a selector picks: none (all), `start:end` (1-based, inclusive, either may be empty), or an anchor. */
export function selectLines(content: string, selector: readonly string[]): string | undefined {
  const lines = content.replace(/\r?\n$/, '').split(/\r?\n/);
  const withoutAnchors = (kept: string[]) => kept.filter((line) => !ANCHOR_LINE.test(line)).join('\n');
  if (selector.length === 0 || (selector.length === 1 && selector[0] === '')) return withoutAnchors(lines);
  const isNumber = (value: string | undefined) => value === undefined || value === '' || /^\d+$/.test(value);
  if (isNumber(selector[0]) && isNumber(selector[1])) {
    const start = selector[0] ? Number(selector[0]) : 1;
    const end = selector.length === 1 ? start : selector[1] ? Number(selector[1]) : lines.length;
    return withoutAnchors(lines.slice(Math.max(0, start - 1), end));
  }
  const name = selector[0]!;
  const begin = lines.findIndex((line) => new RegExp(`\\bANCHOR:\\s*${name}\\b`).test(line));
  if (begin === -1) return undefined;
  const stop = lines.findIndex((line, index) => index > begin && new RegExp(`\\bANCHOR_END:\\s*${name}\\b`).test(line));
  return withoutAnchors(lines.slice(begin + 1, stop === -1 ? lines.length : stop));
}
