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
 * On disk: a base file, rewritten when much changed, and a journal of the entries later builds changed, one JSON
 * line per build, so that a rebuild after a one-page edit writes a few hundred bytes instead of the whole cache.
 */
import { appendFileSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FrontMatter, UnknownKey } from './load/front-matter.js';
import type { BodyFacts } from './load/page-body.js';
import type { RememberedSource, SourceMemory } from './load/pages.js';
import type { LinkProblem } from './render/links.js';
import type { RenderedPage } from './render/render-page.js';
import type { StampKey } from '../files/file-stamp.js';
import { builderFingerprint, hashOf } from './cache/hash.js';
import type { RememberedCopy } from './write/unchanged-copies.js';

/** A rendered page as remembered: everything but the HTML, which is in the output folder. */
export type RememberedPage = Omit<RenderedPage, 'html'> & { htmlHash: string };

export interface CachedPage {
  /** Hash of the page's source text (see loadPages). */
  textHash: string;
  /** Hash of what the page shows of the rest of the site (see PageDeps in render-site.ts). */
  depsHash: string;
  page: RememberedPage;
  /** The output file's stamp when it was last found to hold the page's HTML (absent until then). */
  output?: StampKey;
}

export type { RememberedCopy };

/** Bump when the stored shapes change. */
const FORMAT = 7;

/**
 * A page as stored. The cache is read at every build and holds thousands of pages, so its keys are short and
 * empty values are left out: t text hash, d dependencies hash, s source path, h HTML hash, g gzipped size, b size,
 * o output stamp, i ids, l links (line, href, target output, fragment), p link problems, c body (posts only).
 */
interface StoredPage {
  t: string;
  d: string;
  s: string;
  h: string;
  g: number;
  b: number;
  o?: StampKey;
  i?: string[];
  l?: [number, string, string, string][];
  p?: LinkProblem[];
  c?: string;
}

/**
 * A page file as stored: s stamp, t text hash, b front matter block hash, f front matter (defaults left out), l body
 * line, u unknown front matter keys, y body facts (both left out when empty).
 */
interface StoredSource {
  s?: StampKey;
  t: string;
  b: string;
  f: Partial<FrontMatter>;
  l: number;
  u?: UnknownKey[];
  y?: BodyFacts;
}

interface Entries {
  pages: Record<string, StoredPage>;
  sources: Record<string, StoredSource>;
  copies: Record<string, RememberedCopy>;
}

interface BaseFile extends Entries {
  format: number;
  /** The builder's code: a cache written by another version is not used at all. */
  builder: string;
  /** Names this base file: journal lines written for another one are ignored. */
  generation: string;
  /** The render context every page was rendered in. */
  context: string;
}

/** One line of the journal: the entries a build changed (null: removed). */
interface JournalLine {
  generation: string;
  pages: Record<string, StoredPage | null>;
  sources: Record<string, StoredSource | null>;
  copies: Record<string, RememberedCopy | null>;
}

/** Stands for the ids, links or problems a page has none of: one shared array, never changed, for thousands of pages. */
const NONE: never[] = [];

type Kind = keyof Entries;
const KINDS: Kind[] = ['pages', 'sources', 'copies'];

export class BuildCache {
  private readonly entries: { [K in Kind]: Map<string, Entries[K][string]> };
  private readonly dirty: { [K in Kind]: Set<string> } = { pages: new Set(), sources: new Set(), copies: new Set() };
  private readonly sourcesSeen = new Set<string>();
  /** The whole base file must be written again (no base yet, another context, or a long journal). */
  private rewrite: boolean;

  private constructor(
    private readonly file: string,
    private generation: string,
    private context: string,
    entries: Entries,
    private journalBytes: number,
  ) {
    this.entries = { pages: new Map(Object.entries(entries.pages)), sources: new Map(Object.entries(entries.sources)), copies: new Map(Object.entries(entries.copies)) };
    this.rewrite = generation === '';
  }

  /** Opens the cache of a site; a missing, unreadable, foreign or outdated base file is an empty cache. */
  static async open(cacheDir: string, sourceDir: string): Promise<BuildCache> {
    const file = path.join(cacheDir, `${hashOf(path.resolve(sourceDir)).slice(0, 16)}.json`);
    let base: BaseFile;
    try {
      // Synchronous: JSON.parse has to wait for the whole file anyway, and the build for the cache.
      base = JSON.parse(readFileSync(file, 'utf8')) as BaseFile;
      const complete = typeof base.generation === 'string' && typeof base.context === 'string' && KINDS.every((kind) => typeof base[kind] === 'object');
      if (base.format !== FORMAT || base.builder !== builderFingerprint() || !complete) throw new Error('another cache format');
    } catch {
      // No cache yet, or a damaged or outdated one: start afresh.
      return new BuildCache(file, '', '', { pages: {}, sources: {}, copies: {} }, 0);
    }
    let journal = '';
    try {
      journal = readFileSync(journalOf(file), 'utf8');
    } catch {
      // No journal: the base file is the whole cache.
    }
    for (const text of journal.split('\n')) {
      let line: JournalLine;
      try {
        line = JSON.parse(text) as JournalLine;
      } catch {
        continue; // An empty or half-written line (a build stopped while appending it).
      }
      if (line.generation !== base.generation) continue;
      for (const kind of KINDS) {
        for (const [key, value] of Object.entries(line[kind] ?? {})) {
          if (value === null) delete base[kind][key];
          else (base[kind] as Record<string, unknown>)[key] = value;
        }
      }
    }
    return new BuildCache(file, base.generation, base.context, base, journal.length);
  }

  /** Starts a build with this cache (a preview keeps one cache open across its rebuilds). */
  beginBuild(): void {
    this.sourcesSeen.clear();
  }

  /** Sets the render context of this build: pages rendered in another one are forgotten. */
  useContext(context: string): void {
    if (context === this.context) return;
    this.context = context;
    this.entries.pages.clear();
    this.rewrite = true;
  }

  /** The page rendered from this text at this output path, with these dependencies, in this build's context. */
  get(page: { sourcePath: string; outputPath: string; textHash: string }, depsHash: string): CachedPage | undefined {
    const stored = this.entries.pages.get(page.outputPath);
    if (stored?.t !== page.textHash || stored.d !== depsHash || stored.s !== page.sourcePath) return undefined;
    return {
      textHash: stored.t,
      depsHash: stored.d,
      page: {
        sourcePath: stored.s,
        outputPath: page.outputPath,
        content: stored.c ?? '',
        ids: stored.i ?? NONE,
        gzipBytes: stored.g,
        bytes: stored.b,
        links: stored.l?.map(([line, href, targetOutput, fragment]) => ({ line, href, targetOutput, fragment })) ?? NONE,
        problems: stored.p ?? NONE,
        htmlHash: stored.h,
      },
      ...(stored.o === undefined ? {} : { output: stored.o }),
    };
  }

  set(outputPath: string, entry: CachedPage): void {
    const { page } = entry;
    const stored: StoredPage = { t: entry.textHash, d: entry.depsHash, s: page.sourcePath, h: page.htmlHash, g: page.gzipBytes, b: page.bytes };
    if (entry.output !== undefined) stored.o = entry.output;
    if (page.ids.length > 0) stored.i = page.ids;
    if (page.links.length > 0) stored.l = page.links.map((link) => [link.line, link.href, link.targetOutput, link.fragment]);
    if (page.problems.length > 0) stored.p = page.problems;
    if (page.content !== '') stored.c = page.content;
    this.store('pages', outputPath, stored);
  }

  /** Remembers that the output file of a cached page holds its HTML, with this stamp. */
  setOutputStamp(outputPath: string, stamp: StampKey | undefined): void {
    const stored = this.entries.pages.get(outputPath);
    if (!stored || stored.o === stamp) return;
    const { o: _old, ...rest } = stored;
    this.store('pages', outputPath, stamp === undefined ? rest : { ...rest, o: stamp });
  }

  /** The page files read by earlier builds (see loadPages). */
  readonly sources: SourceMemory = {
    get: (sourcePath) => {
      const stored = this.entries.sources.get(sourcePath);
      if (!stored) return undefined;
      const frontMatter: FrontMatter = { draft: false, aliases: [], extra: {}, ...stored.f };
      const split = { frontMatter, bodyLine: stored.l, ...(stored.u ? { unknownKeys: stored.u } : {}) };
      return { ...(stored.s === undefined ? {} : { stamp: stored.s }), textHash: stored.t, blockHash: stored.b, split, body: stored.y ?? {} };
    },
    set: (sourcePath, source) => {
      this.sourcesSeen.add(sourcePath);
      const old = this.entries.sources.get(sourcePath);
      if (old && old.s === source.stamp && old.t === source.textHash && old.b === source.blockHash) return;
      const { draft, aliases, extra, ...frontMatter } = source.split.frontMatter;
      const f: Partial<FrontMatter> = { ...frontMatter, ...(draft ? { draft } : {}), ...(aliases.length > 0 ? { aliases } : {}), ...(Object.keys(extra).length > 0 ? { extra } : {}) };
      const { unknownKeys } = source.split;
      const body = Object.keys(source.body).length > 0 ? { y: source.body } : {};
      this.store('sources', sourcePath, { ...(source.stamp === undefined ? {} : { s: source.stamp }), t: source.textHash, b: source.blockHash, f, l: source.split.bodyLine, ...(unknownKeys ? { u: unknownKeys } : {}), ...body });
    },
    keep: (sourcePath) => {
      this.sourcesSeen.add(sourcePath);
    },
  };

  getCopy(outputPath: string): RememberedCopy | undefined {
    return this.entries.copies.get(outputPath);
  }

  setCopy(outputPath: string, copy: RememberedCopy | undefined): void {
    const old = this.entries.copies.get(outputPath);
    if (old?.source === copy?.source && old?.output === copy?.output) return;
    this.store('copies', outputPath, copy);
  }

  /** Forgets pages and copies that are no longer part of the site, and page files this build did not load. */
  retain(outputPaths: ReadonlySet<string>): void {
    for (const kind of KINDS) {
      const keep = kind === 'sources' ? (key: string) => this.sourcesSeen.has(key) : (key: string) => outputPaths.has(key);
      for (const key of this.entries[kind].keys()) if (!keep(key)) this.store(kind, key, undefined);
    }
  }

  /**
   * Writes what changed: a line appended to the journal, or the whole base file (to a temporary file, then
   * renamed, so a crash never leaves half a file) when there is no base yet, the context changed, or the
   * journal has grown to a quarter of the base.
   */
  async save(): Promise<void> {
    const changes = KINDS.reduce((count, kind) => count + this.dirty[kind].size, 0);
    if (changes === 0 && !this.rewrite) return;
    if (!this.rewrite) {
      const line: JournalLine = { generation: this.generation, pages: {}, sources: {}, copies: {} };
      for (const kind of KINDS) {
        for (const key of this.dirty[kind]) (line[kind] as Record<string, unknown>)[key] = this.entries[kind].get(key) ?? null;
      }
      const text = JSON.stringify(line) + '\n';
      if (this.journalBytes + text.length < this.baseBytesEstimate() / 4) {
        appendFileSync(journalOf(this.file), text);
        this.journalBytes += text.length;
        this.clearDirty();
        return;
      }
    }
    await mkdir(path.dirname(this.file), { recursive: true });
    this.generation = hashOf(this.file, String(process.pid), String(Date.now()), String(Math.random()));
    const base: BaseFile = {
      format: FORMAT,
      builder: builderFingerprint(),
      generation: this.generation,
      context: this.context,
      pages: Object.fromEntries(this.entries.pages),
      sources: Object.fromEntries(this.entries.sources),
      copies: Object.fromEntries(this.entries.copies),
    };
    const temporary = `${this.file}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify(base));
    await rename(temporary, this.file);
    // Lines of the old journal name the old generation, so they would be ignored; removing it saves reading them.
    rmSync(journalOf(this.file), { force: true });
    this.journalBytes = 0;
    this.rewrite = false;
    this.clearDirty();
  }

  private store<K extends Kind>(kind: K, key: string, value: Entries[K][string] | undefined): void {
    const map = this.entries[kind] as Map<string, Entries[K][string]>;
    if (value === undefined) {
      if (!map.delete(key)) return;
    } else map.set(key, value);
    this.dirty[kind].add(key);
  }

  private clearDirty(): void {
    for (const kind of KINDS) this.dirty[kind].clear();
  }

  /** About 150 bytes an entry: enough to decide when the journal has grown too long. */
  private baseBytesEstimate(): number {
    return 150 * KINDS.reduce((count, kind) => count + this.entries[kind].size, 0);
  }
}

function journalOf(baseFile: string): string {
  return baseFile.replace(/\.json$/, '.journal');
}
