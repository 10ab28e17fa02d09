/**
 * Which templates a layout is made of (its `{% layout %}`, `{% include %}` and `{% render %}` closure), read from
 * the template sources without loading Liquid: a page's cache key holds only the templates its layout uses, so
 * editing one layout re-renders only the pages that use it.
 */
import { hashOf } from '../cache/hash.js';
import type { TemplateSet } from './templates.js';

const REFERENCE = /\{%-?\s*(layout|include|render)\s+(["'])([^"']+)\2|\{%-?\s*(?:layout|include|render)\s+[^"'\s%]/g;

export interface LayoutDeps {
  /** Hash of the sources of every template in the closure; with an unresolvable reference, of all templates. */
  hash: string;
  /** The closure's text, for questions such as "does this layout show `page.children`?". */
  text: string;
}

/** Memoises the closure of each layout of one template set. */
export class TemplateDeps {
  private readonly layouts = new Map<string, LayoutDeps>();
  private allTemplates: LayoutDeps | undefined;

  constructor(private readonly templates: TemplateSet) {}

  of(layout: string): LayoutDeps {
    let deps = this.layouts.get(layout);
    if (!deps) this.layouts.set(layout, (deps = this.closure(layout)));
    return deps;
  }

  /** Whether the layout's templates mention `name` (e.g. `children`, `latestPosts`). */
  uses(layout: string, name: string): boolean {
    return this.of(layout).text.includes(name);
  }

  private closure(layout: string): LayoutDeps {
    const names = new Set<string>();
    const pending = [`${layout}.liquid`];
    while (pending.length > 0) {
      const name = pending.pop()!;
      if (names.has(name)) continue;
      names.add(name);
      const source = this.templates.sources[name];
      if (source === undefined) continue;
      for (const match of source.matchAll(REFERENCE)) {
        // A name computed at render time (`{% include page.partial %}`): any template may be used.
        if (match[3] === undefined) return this.all();
        pending.push(match[3].endsWith('.liquid') ? match[3] : `${match[3]}.liquid`);
      }
    }
    const sorted = [...names].sort();
    const text = sorted.map((name) => this.templates.sources[name] ?? '').join('\n');
    return { hash: hashOf(...sorted.flatMap((name) => [name, this.templates.sources[name] ?? '\u0000missing'])), text };
  }

  private all(): LayoutDeps {
    if (!this.allTemplates) {
      const names = Object.keys(this.templates.sources).sort();
      this.allTemplates = { hash: hashOf(...names.flatMap((name) => [name, this.templates.sources[name]!])), text: names.map((name) => this.templates.sources[name]).join('\n') };
    }
    return this.allTemplates;
  }
}
