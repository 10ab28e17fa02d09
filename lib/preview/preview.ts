/**
 * `fleuron preview`: builds the site into a preview folder, serves it on 127.0.0.1 as the published
 * site would be served by Garage, and rebuilds when a source file changes.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildSite, createRenderWorker, openBuildCache, overBudgetWarning } from '../builder/index.js';
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

export type BuildOutcome = { ok: true; version: number; pages: number; durationMs: number } | { ok: false; error: Error };

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
  let version = 0;
  let site: ServedSite | undefined;
  // Kept open between rebuilds: reading it back from disk at every save costs tens of milliseconds on a large site.
  const cache = await openBuildCache({ sourceDir, ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}) });
  const renderWorker = await createRenderWorker();
  // The pages over budget are said at the first build, then only when that set changes, not at every save.
  let lastBudgetWarning: string | undefined;
  let lastError: Error | undefined;
  // Builds and publishes take turns: a publish reads a folder no build is rewriting.
  let turns: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(task: () => Promise<T>): Promise<T> => {
    const run = turns.then(task);
    turns = run.catch(() => {});
    return run;
  };

  const buildOnce = async (): Promise<BuildOutcome> => {
    const started = performance.now();
    try {
      const result = await buildSite({
        sourceDir,
        outDir,
        drafts: options.drafts,
        offline: (options.offline ?? false) || version > 0,
        // Off the server's thread: the preview keeps answering while a page renders, and a slow page is stopped.
        // One worker kept between rebuilds: a new one per save would load Markdown and Liquid again each time.
        renderWorker,
        ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}),
        cache,
        warnBudget: false,
        ...(options.threads !== undefined ? { threads: options.threads } : {}),
        log,
      });
      const overBudget = result.sizes.overBudget.map((page) => page.outputPath).join('\n');
      if (overBudget !== (lastBudgetWarning ?? '')) {
        log(overBudget === '' ? 'every page is within the page budget now' : `warning: ${overBudgetWarning(result.sizes, result.sizes.budgetBytes / 1024)}`);
      }
      lastBudgetWarning = overBudget;
      const settings = await readPreviewSettings({ sourceDir, builtDir: outDir, ...(options.gzip !== undefined ? { gzip: options.gzip } : {}) });
      const files = await scanBuiltFiles(outDir, settings.isPublished);
      version += 1;
      site = { files, settings, reader: new StoredObjectReader(settings.policy), version: String(version) };
      lastError = undefined;
      return { ok: true, version, pages: result.pages, durationMs: Math.round(performance.now() - started) };
    } catch (error) {
      lastError = error as Error;
      return { ok: false, error: error as Error };
    }
  };

  const first = await buildOnce();
  if (!first.ok) {
    await renderWorker.close();
    throw first.error;
  }

  // Builds run one at a time; changes during a build queue exactly one more build after it.
  let building: Promise<BuildOutcome> | undefined;
  let queued: Promise<BuildOutcome> | undefined;
  let waiters: ((outcome: BuildOutcome) => void)[] = [];
  const startBuild = (): Promise<BuildOutcome> => {
    const build: Promise<BuildOutcome> = exclusive(buildOnce).then((outcome) => {
      if (building === build) building = undefined;
      const waiting = waiters;
      waiters = [];
      for (const resolve of waiting) resolve(outcome);
      return outcome;
    });
    building = build;
    return build;
  };
  const rebuild = (): Promise<BuildOutcome> => {
    if (queued) return queued;
    if (!building) return startBuild();
    queued = building.then(() => {
      queued = undefined;
      return startBuild();
    });
    return queued;
  };

  const server = await startPreviewServer({
    site: () => site!,
    host: options.host ?? '127.0.0.1',
    port: options.port ?? DEFAULT_PREVIEW_PORT,
    reload: options.reload ?? true,
    publishPage: options.publishTarget
      ? createPublishPage({
          target: options.publishTarget,
          build: { sourceDir, builtDir: outDir, drafts: options.drafts === true, version: () => version, lastBuildError: () => lastError, exclusive },
          log,
        })
      : undefined,
    onError: (error) => log(`error: ${error.message}`),
  });

  let watcher: SourceWatcher | undefined;
  if (options.watch ?? true) {
    watcher = watchSources(sourceDir, {
      debounceMs: options.debounceMs,
      onChange: (paths) => {
        const what = paths.length === 1 && paths[0] ? paths[0] : `${paths.length} files`;
        void rebuild().then((outcome) => {
          if (outcome.ok) log(`${what} changed: rebuilt in ${outcome.durationMs} ms`);
          else log(`${what} changed: the build failed, still serving the last good build: ${outcome.error.message}`);
        });
      },
      onError: (error) => log(`warning: no longer watching ${sourceDir} (${error.message}); restart the preview to see changes`),
    });
  }

  return {
    url: server.url,
    port: server.port,
    get version() {
      return version;
    },
    nextBuild: () => queued ?? building ?? new Promise<BuildOutcome>((resolve) => waiters.push(resolve)),
    rebuild,
    async close() {
      watcher?.close();
      await (queued ?? building);
      await server.close();
      await renderWorker.close();
    },
  };
}
