/**
 * `fleuron preview`: builds the site into a preview folder, serves it on 127.0.0.1 as the published
 * site would be served by Garage, and rebuilds when a source file changes.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildSite } from '../build/index.js';
import { scanBuiltFiles } from './built-site.js';
import { startPreviewServer, type ServedSite } from './preview-server.js';
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
  /** `--gzip`: store (and so serve) text files gzip-compressed, overriding fleuron.yaml. */
  gzip?: boolean;
  threads?: number;
  debounceMs?: number;
  /** Progress and errors, one line each. */
  log?: (line: string) => void;
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

  const buildOnce = async (): Promise<BuildOutcome> => {
    const started = performance.now();
    try {
      const result = await buildSite({
        sourceDir,
        outDir,
        drafts: options.drafts,
        ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}),
        ...(options.threads !== undefined ? { threads: options.threads } : {}),
        log,
      });
      const settings = await readPreviewSettings({ sourceDir, builtDir: outDir, ...(options.gzip !== undefined ? { gzip: options.gzip } : {}) });
      const files = await scanBuiltFiles(outDir, settings.isPublished);
      version += 1;
      site = { files, settings, reader: new StoredObjectReader(settings.policy), version: String(version) };
      return { ok: true, version, pages: result.pages, durationMs: Math.round(performance.now() - started) };
    } catch (error) {
      return { ok: false, error: error as Error };
    }
  };

  const first = await buildOnce();
  if (!first.ok) throw first.error;

  const builds = oneBuildAtATime(buildOnce);

  const server = await startPreviewServer({
    site: () => site!,
    host: options.host ?? '127.0.0.1',
    port: options.port ?? DEFAULT_PREVIEW_PORT,
    reload: options.reload ?? true,
    onError: (error) => log(`error: ${error.message}`),
  });

  const watcher = (options.watch ?? true) ? watchAndRebuild(sourceDir, options.debounceMs, builds.rebuild, log) : undefined;

  return {
    url: server.url,
    port: server.port,
    get version() {
      return version;
    },
    nextBuild: builds.next,
    rebuild: builds.rebuild,
    async close() {
      watcher?.close();
      await builds.running();
      await server.close();
    },
  };
}

/** Builds run one at a time; changes during a build queue exactly one more build after it. */
function oneBuildAtATime(buildOnce: () => Promise<BuildOutcome>) {
  let building: Promise<BuildOutcome> | undefined;
  let queued: Promise<BuildOutcome> | undefined;
  let waiters: ((outcome: BuildOutcome) => void)[] = [];
  const startBuild = (): Promise<BuildOutcome> => {
    const build: Promise<BuildOutcome> = buildOnce().then((outcome) => {
      if (building === build) building = undefined;
      const waiting = waiters;
      waiters = [];
      for (const resolve of waiting) resolve(outcome);
      return outcome;
    });
    building = build;
    return build;
  };
  return {
    rebuild: (): Promise<BuildOutcome> => {
      if (queued) return queued;
      if (!building) return startBuild();
      queued = building.then(() => {
        queued = undefined;
        return startBuild();
      });
      return queued;
    },
    /** The build running or queued, else the next one to start. */
    next: (): Promise<BuildOutcome> => queued ?? building ?? new Promise<BuildOutcome>((resolve) => waiters.push(resolve)),
    running: (): Promise<BuildOutcome> | undefined => queued ?? building,
  };
}

/** Rebuilds when a source changes, and says so. */
function watchAndRebuild(sourceDir: string, debounceMs: number | undefined, rebuild: () => Promise<BuildOutcome>, log: (line: string) => void): SourceWatcher {
  return watchSources(sourceDir, {
    debounceMs,
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
