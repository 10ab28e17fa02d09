/**
 * `fleuron preview`: builds the site into a preview folder, serves it on 127.0.0.1 as the published
 * site would be served by Garage, and rebuilds when a source file changes.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildSite, createRenderWorker, openBuildCache, overBudgetWarning, RebuildState, type BuildResult, type RenderWorkerSession } from '../builder/index.js';
import type { BuildCache } from '../builder/build-cache.js';
import { scanBuiltFiles } from './built-site.js';
import { startPreviewServer, type ServedSite } from './preview-server.js';
import { createPublishPage } from './publish-page/publish-page.js';
import type { PublishTargetSource } from './publish-page/target-source.js';
import { readPreviewSettings } from './site-settings.js';
import { watchSources, type SourceWatcher } from './source-watcher.js';
import { StoredObjectReader } from './stored-object.js';

export const DEFAULT_PREVIEW_DIR = '.fleuron/preview';
export const DEFAULT_PREVIEW_PORT = 8080;

export interface PreviewOptions {
  /** The site sources (Markdown, fleuron.yaml). */
  sourceDir: string;
  /** Where the preview build goes; `.fleuron/preview` by default (never `public/`, which publish uses). */
  outDir?: string;
  /** The build cache; the builder's default (`.fleuron/build-cache`) when not given. */
  cacheDir?: string;
  /** Default 8080; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Rebuild when a source changes (default on). */
  watch?: boolean;
  /** Add the reload script to HTML responses (default on). */
  reload?: boolean;
  drafts?: boolean;
  /** Build the planet from its cache alone. Rebuilds on change always do: saving a page must not fetch every member's feed. */
  offline?: boolean;
  /** `--gzip`: store (and so serve) text files gzip-compressed, overriding fleuron.yaml. */
  gzip?: boolean;
  threads?: number;
  debounceMs?: number;
  /** Progress and errors, one line each. */
  log?: (line: string) => void;
  /** Serve the publish page at /.fleuron/publish/, publishing to this target (the CLI resolves it as `fleuron publish` does). */
  publishTarget?: PublishTargetSource;
}

/** `shortcut`: the build rebuilt page edits from the watcher's report, without walking the site folder (see buildSite's `rebuild`). */
export type BuildOutcome = { ok: true; version: number; pages: number; durationMs: number; shortcut: boolean } | { ok: false; error: Error };

export interface Preview {
  url: string;
  port: number;
  /** The build served now: 1 after the first build, one more per successful rebuild. */
  readonly version: number;
  /** Resolves when the next build (already running or still to come) has finished. */
  nextBuild(): Promise<BuildOutcome>;
  /** Builds now (after any build in progress). */
  rebuild(): Promise<BuildOutcome>;
  close(): Promise<void>;
}

/** Builds once (a failure here is thrown), then serves and watches. */
export async function startPreview(options: PreviewOptions): Promise<Preview> {
  const log = options.log ?? (() => {});
  const sourceDir = path.resolve(options.sourceDir);
  const outDir = path.resolve(options.outDir ?? DEFAULT_PREVIEW_DIR);
  // Kept open between rebuilds: reading it back from disk at every save costs tens of milliseconds on a large site.
  const cache = await openBuildCache({ sourceDir, ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}) });
  const renderWorker = await createRenderWorker();
  const builds = new PreviewBuilds({ ...options, sourceDir, outDir, log }, cache, renderWorker);
  // Watching from before the first build: a page saved while it runs is rebuilt after it.
  const watcher = options.watch ?? true ? watchForBuilds(sourceDir, builds, options.debounceMs, log) : undefined;
  const first = await builds.buildOnce();
  if (!first.ok) {
    watcher?.close();
    await renderWorker.close();
    throw first.error;
  }
  builds.ready();

  const server = await startPreviewServer({
    site: () => builds.site!,
    host: options.host ?? '127.0.0.1',
    port: options.port ?? DEFAULT_PREVIEW_PORT,
    reload: options.reload ?? true,
    publishPage: options.publishTarget
      ? createPublishPage({
          target: options.publishTarget,
          build: { sourceDir, builtDir: outDir, drafts: options.drafts === true, version: () => builds.version, lastBuildError: () => builds.lastError, exclusive: builds.exclusive },
          log,
        })
      : undefined,
    onError: (error) => log(`error: ${error.message}`),
  });

  return {
    url: server.url,
    port: server.port,
    get version() {
      return builds.version;
    },
    nextBuild: () => builds.nextBuild(),
    rebuild: () => builds.rebuild(undefined) ?? builds.nextBuild(),
    async close() {
      watcher?.close();
      await builds.settled();
      await server.close();
      await renderWorker.close();
    },
  };
}

function watchForBuilds(sourceDir: string, builds: PreviewBuilds, debounceMs: number | undefined, log: (line: string) => void): SourceWatcher {
  return watchSources(sourceDir, {
    debounceMs,
    onChange: (paths) => {
      const what = paths.length === 1 && paths[0] ? paths[0] : `${paths.length} files`;
      void builds.rebuild(paths)?.then((outcome) => {
        if (outcome.ok) log(`${what} changed: rebuilt in ${outcome.durationMs} ms`);
        else log(`${what} changed: the build failed, still serving the last good build: ${outcome.error.message}`);
      });
    },
    onError: (error) => log(`warning: no longer watching ${sourceDir} (${error.message}); restart the preview to see changes`),
  });
}

type BuildsOptions = PreviewOptions & { sourceDir: string; outDir: string; log: (line: string) => void };

/**
 * The preview's builds: one at a time, changes during a build queuing exactly one more after it. Each build is told
 * what the watcher reported since the last one started (see buildSite's `rebuild`), or that anything may have changed.
 */
class PreviewBuilds {
  version = 0;
  site: ServedSite | undefined;
  lastError: Error | undefined;
  private readonly state = new RebuildState();
  /** Paths reported since the last build started; undefined when unknown (a build asked for by hand): a full build. */
  private changed: Set<string> | undefined = new Set();
  private started = false;
  // The pages over budget are said at the first build, then only when that set changes, not at every save.
  private lastBudgetWarning: string | undefined;
  // Builds and publishes take turns: a publish reads a folder no build is rewriting.
  private turns: Promise<unknown> = Promise.resolve();
  private building: Promise<BuildOutcome> | undefined;
  private queued: Promise<BuildOutcome> | undefined;
  private waiters: ((outcome: BuildOutcome) => void)[] = [];

  constructor(
    private readonly options: BuildsOptions,
    private readonly cache: BuildCache,
    private readonly renderWorker: RenderWorkerSession,
  ) {}

  readonly exclusive = <T>(task: () => Promise<T>): Promise<T> => {
    const run = this.turns.then(task);
    this.turns = run.catch(() => {});
    return run;
  };

  /** After the first build: the changes reported meanwhile are built now. */
  ready(): void {
    this.started = true;
    if (this.changed === undefined || this.changed.size > 0) void this.rebuild([]);
  }

  /** Builds after any build in progress; `paths` changed (undefined: anything may have). Before ready(), only noted. */
  rebuild(paths: readonly string[] | undefined): Promise<BuildOutcome> | undefined {
    if (paths === undefined) this.changed = undefined;
    else for (const changed of paths) this.changed?.add(changed);
    if (!this.started) return undefined;
    if (this.queued) return this.queued;
    if (!this.building) return this.startBuild();
    this.queued = this.building.then(() => {
      this.queued = undefined;
      return this.startBuild();
    });
    return this.queued;
  }

  nextBuild(): Promise<BuildOutcome> {
    return this.queued ?? this.building ?? new Promise<BuildOutcome>((resolve) => this.waiters.push(resolve));
  }

  async settled(): Promise<void> {
    await (this.queued ?? this.building);
  }

  private startBuild(): Promise<BuildOutcome> {
    const build: Promise<BuildOutcome> = this.exclusive(() => this.buildOnce()).then((outcome) => {
      if (this.building === build) this.building = undefined;
      const waiting = this.waiters;
      this.waiters = [];
      for (const resolve of waiting) resolve(outcome);
      return outcome;
    });
    this.building = build;
    return build;
  }

  async buildOnce(): Promise<BuildOutcome> {
    const started = performance.now();
    const { options } = this;
    // Taken when the build starts: what changes while it runs is for the next one.
    const changed = this.changed;
    this.changed = new Set();
    try {
      const result = await buildSite({
        sourceDir: options.sourceDir,
        outDir: options.outDir,
        drafts: options.drafts,
        offline: (options.offline ?? false) || this.version > 0,
        // Off the server's thread: the preview keeps answering while a page renders, and a slow page is stopped.
        // One worker kept between rebuilds: a new one per save would load Markdown and Liquid again each time.
        renderWorker: this.renderWorker,
        ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}),
        cache: this.cache,
        rebuild: { state: this.state, ...(changed ? { changed: [...changed] } : {}) },
        warnBudget: false,
        ...(options.threads !== undefined ? { threads: options.threads } : {}),
        log: options.log,
      });
      this.sayBudget(result);
      await this.serve(result);
      return { ok: true, version: this.version, pages: result.pages, durationMs: Math.round(performance.now() - started), shortcut: result.shortcut };
    } catch (error) {
      this.lastError = error as Error;
      return { ok: false, error: error as Error };
    }
  }

  private sayBudget(result: BuildResult): void {
    const overBudget = result.sizes.overBudget.map((page) => page.outputPath).join('\n');
    if (overBudget !== (this.lastBudgetWarning ?? '')) {
      this.options.log(overBudget === '' ? 'every page is within the page budget now' : `warning: ${overBudgetWarning(result.sizes, result.sizes.budgetBytes / 1024)}`);
    }
    this.lastBudgetWarning = overBudget;
  }

  /** Serves the new build; the index of its files is made again only when files came or went (or the settings may have changed). */
  private async serve(result: BuildResult): Promise<void> {
    const { options } = this;
    const settings = await readPreviewSettings({ sourceDir: options.sourceDir, builtDir: options.outDir, ...(options.gzip !== undefined ? { gzip: options.gzip } : {}) });
    const files = this.site && result.shortcut && result.sameFiles ? this.site.files : await scanBuiltFiles(options.outDir, settings.isPublished);
    this.version += 1;
    this.site = { files, settings, reader: new StoredObjectReader(settings.policy), version: String(this.version) };
    this.lastError = undefined;
  }
}
