/**
 * The incremental cache: what a page render produced (its HTML's hash, ids, links, size; a post's body), by the
 * hash of the page's text and of what it shows of other pages (titles, menu, listing, its layout's templates), all
 * rendered in one context: a hash of what every page depends on (config, output paths, the builder's own code). A
 * changed text or dependency is another hash and a changed context empties the cache, so a stale entry is never served. The HTML itself is not kept: a hit also needs the
 * output file to still hold exactly that HTML.
 *
 * It also keeps the stamps (size, times, inode) of the files a build read or checked — page sources, output
 * files, copied files — so that the next build trusts unchanged files without reading them, as git's index does.
 *
 * On disk: a journaled store (lib/files/journaled-store.ts), so that a rebuild after a one-page edit writes a few
 * hundred bytes instead of the whole cache; its records are encoded by cache-records.ts.
 */
import path from 'node:path';
import type { StampKey } from '../files/file-stamp.js';
import { JournaledStore } from '../files/journaled-store.js';
import { decodePage, decodeSource, encodePage, encodeSource, type CachedPage, type StoredPage, type StoredSource } from './cache-records.js';
import { builderFingerprint, hashOf } from './cache/hash.js';
import type { SourceMemory } from './load/pages.js';
import type { RememberedCopy } from './write/unchanged-copies.js';

export type { CachedPage, RememberedPage } from './cache-records.js';
export type { RememberedCopy };

/** Bump when the stored shapes change. */
const FORMAT = 8;

/** The store's tables: rendered pages and copied files by output path, page files by source path. */
interface Tables extends Record<string, unknown> {
  pages: StoredPage;
  sources: StoredSource;
  copies: RememberedCopy;
}
const TABLES = ['pages', 'sources', 'copies'] as const;

export class BuildCache {
  private readonly sourcesSeen = new Set<string>();

  private constructor(private readonly store: JournaledStore<Tables>) {}

  /** Opens the cache of a site; a missing, unreadable, foreign or outdated one is an empty cache. */
  static async open(cacheDir: string, sourceDir: string): Promise<BuildCache> {
    const file = path.join(cacheDir, `${hashOf(path.resolve(sourceDir)).slice(0, 16)}.json`);
    // The builder's code is in the header: a cache written by another version is not used at all.
    return new BuildCache(JournaledStore.open<Tables>(file, TABLES, { format: FORMAT, builder: builderFingerprint() }));
  }

  /** Starts a build with this cache (a preview keeps one cache open across its rebuilds). */
  beginBuild(): void {
    this.sourcesSeen.clear();
  }

  /** Sets the render context of this build: pages rendered in another one are forgotten. */
  useContext(context: string): void {
    if (context === this.store.attribute('context')) return;
    this.store.setAttribute('context', context);
    this.store.clear('pages');
  }

  /** The page rendered from this text at this output path, with these dependencies, in this build's context. */
  get(page: { sourcePath: string; outputPath: string; textHash: string }, depsHash: string): CachedPage | undefined {
    const stored = this.store.get('pages', page.outputPath);
    if (stored?.t !== page.textHash || stored.d !== depsHash || stored.s !== page.sourcePath) return undefined;
    return decodePage(stored, page.outputPath);
  }

  set(outputPath: string, entry: CachedPage): void {
    this.store.set('pages', outputPath, encodePage(entry));
  }

  /** Remembers that the output file of a cached page holds its HTML, with this stamp. */
  setOutputStamp(outputPath: string, stamp: StampKey | undefined): void {
    const stored = this.store.get('pages', outputPath);
    if (!stored || stored.o === stamp) return;
    const { o: _old, ...rest } = stored;
    this.store.set('pages', outputPath, stamp === undefined ? rest : { ...rest, o: stamp });
  }

  /** The page files read by earlier builds (see loadPages). */
  readonly sources: SourceMemory = {
    get: (sourcePath) => {
      const stored = this.store.get('sources', sourcePath);
      return stored && decodeSource(stored);
    },
    set: (sourcePath, source) => {
      this.sourcesSeen.add(sourcePath);
      const old = this.store.get('sources', sourcePath);
      if (old && old.s === source.stamp && old.t === source.textHash && old.b === source.blockHash) return;
      this.store.set('sources', sourcePath, encodeSource(source));
    },
    keep: (sourcePath) => {
      this.sourcesSeen.add(sourcePath);
    },
  };

  getCopy(outputPath: string): RememberedCopy | undefined {
    return this.store.get('copies', outputPath);
  }

  setCopy(outputPath: string, copy: RememberedCopy | undefined): void {
    const old = this.store.get('copies', outputPath);
    if (old?.source === copy?.source && old?.output === copy?.output) return;
    this.store.set('copies', outputPath, copy);
  }

  /** Forgets pages and copies that are no longer part of the site, and page files this build did not load. */
  retain(outputPaths: ReadonlySet<string>): void {
    for (const table of TABLES) {
      const keep = table === 'sources' ? (key: string) => this.sourcesSeen.has(key) : (key: string) => outputPaths.has(key);
      for (const key of this.store.keys(table)) if (!keep(key)) this.store.set(table, key, undefined);
    }
  }

  /** Writes what changed (see JournaledStore.save). */
  async save(): Promise<void> {
    await this.store.save();
  }
}
