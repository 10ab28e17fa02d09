/** Turns pages' `aliases` front matter into redirects (old site path → page), checked and sorted. */
import path from 'node:path';
import { FleuronError } from '../../errors/fleuron-error.js';

/** Site-relative paths without a leading slash: from `ancien/page.html` to `docs/page.html`. */
export interface Redirect {
  from: string;
  to: string;
  status?: number;
}

export interface AliasSource {
  sourcePath: string;
  outputPath: string;
  aliases: readonly string[];
}

/** `/ancien/page.html` → `ancien/page.html`; a folder alias (`ancien/`) means its `index.html`. Undefined when invalid. */
export function normalizeAlias(alias: string): string | undefined {
  const trimmed = alias.trim().normalize('NFC').replace(/^\/+/, '');
  if (trimmed === '' || /^[a-z][a-z0-9+.-]*:/i.test(trimmed) || trimmed.includes('\\')) return undefined;
  const withIndex = trimmed.endsWith('/') ? `${trimmed}index.html` : trimmed;
  const normalized = path.posix.normalize(withIndex);
  if (normalized.startsWith('../') || normalized === '..' || normalized.split('/').some((part) => part === '..')) return undefined;
  return normalized;
}

export function collectAliases(pages: readonly AliasSource[], outputs: ReadonlySet<string>, sourceLabel: string): Redirect[] {
  const redirects = new Map<string, Redirect & { sourcePath: string }>();
  for (const page of pages) {
    for (const alias of page.aliases) {
      const from = normalizeAlias(alias);
      const file = `${sourceLabel}/${page.sourcePath}`;
      if (from === undefined) {
        throw new FleuronError('alias-invalid', `${file}: alias "${alias}" is not a path inside the site`, { hint: 'write it like ancien/page.html' });
      }
      if (outputs.has(from)) {
        throw new FleuronError('alias-conflict', `${file}: alias "${alias}" is the path of an existing file of the site`, { hint: 'remove the alias or the other file' });
      }
      const other = redirects.get(from);
      if (other && other.to !== page.outputPath) {
        throw new FleuronError('alias-conflict', `${file}: alias "${alias}" is also an alias of ${sourceLabel}/${other.sourcePath}`, { hint: 'an old path can redirect to one page only' });
      }
      redirects.set(from, { from, to: page.outputPath, sourcePath: page.sourcePath });
    }
  }
  return [...redirects.values()]
    .map(({ from, to }) => ({ from, to }))
    .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
}
