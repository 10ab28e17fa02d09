/**
 * What a build did not take from the sources as they are — front matter keys fleuron does not know, layouts the
 * theme lacks, other generators' template tags, includes it could not read — gathered over the whole build and
 * worded as one warning per kind, each listing every `file:line`, for the end of the build.
 */
import { closestMatch } from '../../config/closest-match.js';
import { KNOWN_FRONT_MATTER_KEYS } from './front-matter-keys.js';
import type { LoadedPage } from './pages.js';
import type { TagSyntax } from './template-tags.js';

/** Places listed in one warning; more are counted. */
const MAX_PLACES = 10;

const SYNTAX_NAMES: Record<TagSyntax, (name: string) => string> = {
  hugo: (name) => `Hugo shortcode "${name}" ({{< ${name} >}} or {{% ${name} %}})`,
  zola: (name) => `Zola shortcode "${name}" ({{ ${name}(…) }} or {% ${name}(…) %})`,
  liquid: (name) => `Liquid/Nunjucks tag "{% ${name} %}"`,
  mdbook: (name) => `mdBook "{{#${name}}}"`,
};

/** Tags whose meaning is kept (links, code blocks, URLs) or that only close another: nothing lost, nothing to report. */
const KEPT_TAGS = new Set(['hugo ref', 'hugo relref', 'hugo highlight', 'hugo (escaped)', 'hugo include', 'hugo readfile', 'hugo figure', 'liquid highlight', 'liquid raw', 'liquid (url)', 'zola end']);

export class Notices {
  private readonly keys = new Map<string, string[]>();
  private readonly layouts = new Map<string, string[]>();
  private readonly tags = new Map<string, string[]>();
  private readonly includes: string[] = [];

  constructor(private readonly sourceLabel: string) {}

  addPage(page: Pick<LoadedPage, 'sourcePath' | 'unknownKeys' | 'body' | 'includeProblems'>): void {
    const file = `${this.sourceLabel}/${page.sourcePath}`;
    for (const { key, line } of page.unknownKeys ?? []) push(this.keys, key, `${file}:${line}`);
    for (const tag of page.body.tags ?? []) {
      // Hugo's ref and relref become links, and highlight becomes a code block: nothing is lost, nothing to report.
      if (KEPT_TAGS.has(`${tag.syntax} ${tag.name}`)) continue;
      push(this.tags, SYNTAX_NAMES[tag.syntax](tag.name), `${file}:${tag.line}`);
    }
    for (const problem of page.includeProblems ?? []) {
      this.includes.push(`${file}:${problem.line}: {{#include ${problem.target}}} ${problem.reason}, left out of the page`);
    }
  }

  addLayout(layout: string, sourcePath: string): void {
    push(this.layouts, layout, `${this.sourceLabel}/${sourcePath}`);
  }

  /** The warnings, in a stable order: by kind, then by name. */
  lines(knownLayouts: readonly string[]): string[] {
    const lines: string[] = [];
    for (const [key, places] of sorted(this.keys)) {
      const closest = closestMatch(key, KNOWN_FRONT_MATTER_KEYS);
      const hint = closest ? ` (did you mean "${closest}"?)` : '';
      lines.push(`front matter key "${key}" means nothing to fleuron${hint}; kept for layouts as page.extra.${key}: ${listed(places)}`);
    }
    for (const [layout, places] of sorted(this.layouts)) {
      lines.push(`layout "${layout}" is not one of the theme's (${knownLayouts.join(', ')}); the default layout is used: ${listed(places)}`);
    }
    for (const [kind, places] of sorted(this.tags)) {
      lines.push(`${kind} is not run by fleuron; the tags are left out of the page, the text between a pair of them stays: ${listed(places)}`);
    }
    return lines.concat(this.includes);
  }
}

function push(map: Map<string, string[]>, key: string, place: string): void {
  const places = map.get(key);
  if (places) places.push(place);
  else map.set(key, [place]);
}

function sorted(map: Map<string, string[]>): [string, string[]][] {
  return [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function listed(places: readonly string[]): string {
  const shown = places.slice(0, MAX_PLACES).join(', ');
  return places.length > MAX_PLACES ? `${shown} and ${places.length - MAX_PLACES} more` : shown;
}
