/** Stable, unique, Unicode-aware ids for headings (the GitHub algorithm, with a fallback for empty text). */

/** Lower-cases, keeps letters, marks, digits, `_`, `-` and spaces (as `-`) in any script: `Été 2024 !` → `été-2024-`. */
export function slugify(text: string): string {
  return text
    .normalize('NFC')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
}

/** Hands out unique slugs for one page: repeated headings get `-1`, `-2`… and reserved ids are never used. */
export class HeadingSlugger {
  private readonly taken = new Set<string>();

  constructor(reserved: Iterable<string> = []) {
    for (const id of reserved) this.taken.add(id);
  }

  /** The id an author gave (`{#id}`), as given unless this page already used it. */
  claim(id: string): string {
    let candidate = id;
    for (let count = 1; this.taken.has(candidate); count++) candidate = `${id}-${count}`;
    this.taken.add(candidate);
    return candidate;
  }

  slug(text: string): string {
    const base = slugify(text) || 'section';
    let candidate = base;
    for (let count = 1; this.taken.has(candidate); count++) candidate = `${base}-${count}`;
    this.taken.add(candidate);
    return candidate;
  }
}
