/**
 * The incremental cache: what a page render produced (its HTML's hash, ids, links, size; a post's body), keyed
 * by a hash of everything the HTML depends on (source text, templates, config, the other pages' titles and paths,
 * the builder's own code). A changed input is a new key, so a stale entry is never served; it is just not found.
 * The HTML itself is not kept: a hit also needs the output file to still hold exactly that HTML.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SplitPage } from '../load/front-matter.js';
import type { RenderedPage } from '../render/render-page.js';

/** A rendered page as remembered: everything but the HTML, which is in the output folder. */
export type RememberedPage = Omit<RenderedPage, 'html'> & { htmlHash: string };

/** Bump when the cache file's shape changes. */
const FORMAT = 4;

export interface CachedPage {
  key: string;
  page: RememberedPage;
}

interface CacheFile {
  format: number;
  entries: Record<string, CachedPage>;
  /** Parsed front matter by hash of the builder and the page's text: a rebuild parses only edited pages' YAML. */
  frontMatter: Record<string, SplitPage>;
}

export function hashOf(...parts: string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex');
}

let fingerprint: string | undefined;

/** A hash of the builder's code (`lib/build` or `dist/build`), so that a new fleuron version never reuses old output. */
export function builderFingerprint(): string {
  if (fingerprint !== undefined) return fingerprint;
  const root = fileURLToPath(new URL('../', import.meta.url));
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const file = path.join(dir, name);
      if (statSync(file).isDirectory()) walk(file);
      else if (/\.(js|ts)$/.test(name)) hash.update(name).update(readFileSync(file));
    }
  };
  walk(root);
  fingerprint = hash.digest('hex');
  return fingerprint;
}

export class RenderCache {
  private readonly entries: Map<string, CachedPage>;
  private readonly frontMatter: Map<string, SplitPage>;
  private readonly frontMatterUsed = new Set<string>();
  private changed = false;

  private constructor(private readonly file: string, data: Pick<CacheFile, 'entries' | 'frontMatter'>) {
    this.entries = new Map(Object.entries(data.entries));
    this.frontMatter = new Map(Object.entries(data.frontMatter));
  }

  /** Opens the cache file of a site; a missing, unreadable or foreign file is an empty cache. */
  static async open(cacheDir: string, sourceDir: string): Promise<RenderCache> {
    const file = path.join(cacheDir, `${hashOf(path.resolve(sourceDir)).slice(0, 16)}.json`);
    try {
      const data = JSON.parse(await readFile(file, 'utf8')) as CacheFile;
      if (data.format === FORMAT && typeof data.entries === 'object' && typeof data.frontMatter === 'object') return new RenderCache(file, data);
    } catch {
      // No cache yet, or a damaged one: start afresh.
    }
    return new RenderCache(file, { entries: {}, frontMatter: {} });
  }

  get(outputPath: string, key: string): CachedPage | undefined {
    const entry = this.entries.get(outputPath);
    return entry?.key === key ? entry : undefined;
  }

  set(outputPath: string, entry: CachedPage): void {
    this.entries.set(outputPath, entry);
    this.changed = true;
  }

  getFrontMatter(key: string): SplitPage | undefined {
    const found = this.frontMatter.get(key);
    if (found) this.frontMatterUsed.add(key);
    return found;
  }

  setFrontMatter(key: string, value: SplitPage): void {
    this.frontMatter.set(key, value);
    this.frontMatterUsed.add(key);
    this.changed = true;
  }

  /** Forgets pages that are no longer part of the site, and front matter no page used in this build. */
  retain(outputPaths: ReadonlySet<string>): void {
    for (const outputPath of this.entries.keys()) {
      if (!outputPaths.has(outputPath)) {
        this.entries.delete(outputPath);
        this.changed = true;
      }
    }
    for (const key of this.frontMatter.keys()) {
      if (!this.frontMatterUsed.has(key)) {
        this.frontMatter.delete(key);
        this.changed = true;
      }
    }
  }

  /** Writes the cache if anything changed (to a temporary file, then renamed, so a crash never leaves half a file). */
  async save(): Promise<void> {
    if (!this.changed) return;
    await mkdir(path.dirname(this.file), { recursive: true });
    const sorted = <T>(map: Map<string, T>) => Object.fromEntries([...map].sort(([a], [b]) => (a < b ? -1 : 1)));
    const temporary = `${this.file}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify({ format: FORMAT, entries: sorted(this.entries), frontMatter: sorted(this.frontMatter) } satisfies CacheFile));
    await rename(temporary, this.file);
    this.changed = false;
  }
}
