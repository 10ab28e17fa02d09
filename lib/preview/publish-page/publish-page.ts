/**
 * The preview's publish page (`/.fleuron/publish/`): where the site goes, the server settings, the
 * dry-run plan, the Publish button, history and restore. Reads are GETs; every change is a POST the
 * request guard accepts. One publish or restore at a time; the bucket's advisory lock still applies.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { loadSiteConfig } from '../../builder/load/site-config.js';
import { DEPLOY_ID_PATTERN } from '../../archive/deploy-record.js';
import type { PublishSettings } from '../../config/publish-settings.js';
import { isFleuronError } from '../../errors/fleuron-error.js';
import { readForm, single } from './form-body.js';
import { follow } from './job-progress.js';
import { checkKeysForm, readDotEnvValues, saveToDotEnv, type KeysForm } from './dotenv-file.js';
import {
  formatBytes,
  mainPageHtml,
  PAGE_PATH,
  refusalPageHtml,
  rollbackPageHtml,
  settingsPageHtml,
  statusPageHtml,
  type FormView,
  type HistoryState,
  type JobProgress,
  type JobResult,
  type Notice,
  type PlanState,
  type TargetView,
} from './page-html.js';
import { groupPlan } from './plan-groups.js';
import { errorLine, hasArchive, keySourceOf, type ArchivedSettings, type PublishTargetSource } from './target-source.js';
import type { PublishRun } from './publish-target.js';

// The library calls bring the S3 SDK: loaded when the page first needs them, not when the preview starts.
const library = () => import('./publish-target.js');
const runPublish = async (run: PublishRun) => (await library()).runPublish(run);
const testConnection = async (settings: PublishSettings, bucket: string) => (await library()).testConnection(settings, bucket);
const readHistory = async (settings: ArchivedSettings, bucket: string) => (await library()).readHistory(settings, bucket);
const runRollback = async (settings: ArchivedSettings, bucket: string, deployId: string, dryRun: boolean) => (await library()).runRollback(settings, bucket, deployId, dryRun);
import { judgeStateChange, makePageToken } from './request-guard.js';

/** What the page needs from the running preview. */
export interface PreviewBuildAccess {
  sourceDir: string;
  /** The folder the preview builds into: what it serves is what gets published. */
  builtDir: string;
  drafts: boolean;
  /** The build served now. */
  version(): number;
  /** Set while the last rebuild failed (the folder may be half written). */
  lastBuildError(): Error | undefined;
  /** Runs `task` while no build runs (and none starts): a publish reads a folder that holds still. */
  exclusive<T>(task: () => Promise<T>): Promise<T>;
}

export interface PublishPageOptions {
  target: PublishTargetSource;
  build: PreviewBuildAccess;
  /** One line per publish, restore or refusal; never a secret. */
  log?: (line: string) => void;
  /** The environment `fleuron publish` would see (for where the keys come from). */
  env?: NodeJS.ProcessEnv;
}

export interface PublishPage {
  handles(path: string): boolean;
  handle(request: IncomingMessage, response: ServerResponse): Promise<void>;
}

interface Job {
  progress: JobProgress;
  result?: JobResult;
}

export function createPublishPage(options: PublishPageOptions): PublishPage {
  const token = makePageToken();
  const env = options.env ?? process.env;
  const log = options.log ?? (() => {});
  const { target, build } = options;
  // Every value that must never leave the process: the secrets seen in settings or in a form.
  const secrets = new Set<string>();
  const remember = (value: string | undefined) => {
    if (value && value.length >= 8) secrets.add(value); // shorter ones would garble words of the page
  };
  const scrub = (text: string) => {
    let result = text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s"'<>]+@/gi, '$1***@');
    for (const secret of secrets) result = result.split(secret).join('***');
    return result;
  };
  let notice: Notice | undefined;
  let job: Job | undefined;
  let busy = false;

  const readSettings = async (): Promise<PublishSettings> => {
    const settings = await target.readSettings();
    remember(settings.credentials?.secretAccessKey);
    remember(settings.credentials?.sessionToken);
    return settings;
  };

  const send = (response: ServerResponse, status: number, html: string, headers: Record<string, string> = {}) => {
    const plain = Buffer.from(scrub(html));
    // Gzipped when the browser takes it: the 14 KB budget is what travels, as for the site's own pages.
    const gzip = /\bgzip\b/i.test(String(response.req.headers['accept-encoding'] ?? ''));
    const body = gzip ? gzipSync(plain) : plain;
    response.writeHead(status, {
      ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
      Vary: 'Accept-Encoding',
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Length': String(body.length),
      'Cache-Control': 'no-store',
      // The page runs no script and loads nothing from elsewhere; no other site may frame it.
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
      'X-Frame-Options': 'DENY',
      // Not no-referrer: with it, browsers send `Origin: null` on the page's own form posts.
      'Referrer-Policy': 'same-origin',
      ...headers,
    });
    response.end(body);
  };
  const redirect = (response: ServerResponse, location: string) => {
    response.writeHead(303, { Location: location, 'Content-Length': '0', 'Cache-Control': 'no-store' });
    response.end();
  };
  const refuse = (response: ServerResponse, status: number, title: string, line: string) => send(response, status, refusalPageHtml(title, line));

  const siteUrl = async (): Promise<string | undefined> => {
    try {
      return (await loadSiteConfig(build.sourceDir)).config.baseUrl;
    } catch {
      return undefined;
    }
  };

  const targetView = async (settings: PublishSettings | undefined): Promise<TargetView> => ({
    bucket: settings?.bucket,
    endpoint: settings?.endpoint === undefined ? undefined : scrub(settings.endpoint),
    region: settings?.region ?? 'garage',
    prefix: settings?.prefix ?? '',
    siteUrl: await siteUrl(),
    keys: keySourceOf(env, await readDotEnvValues(target.projectDir)),
    archive: settings?.archive,
  });

  const formView = async (settings: PublishSettings | undefined, typed?: KeysForm, errors: string[] = []): Promise<FormView> => {
    const dotEnv = await readDotEnvValues(target.projectDir);
    const overridden = ['AWS_ENDPOINT_URL_S3', 'AWS_ENDPOINT_URL', 'AWS_REGION', 'FLEURON_BUCKET', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'].filter((name) => env[name]);
    return {
      endpoint: typed?.endpoint ?? settings?.endpoint ?? '',
      region: typed?.region ?? settings?.region ?? 'garage',
      bucket: typed?.bucket ?? settings?.bucket ?? '',
      accessKeyId: typed?.accessKeyId ?? settings?.credentials?.accessKeyId ?? '',
      secretSet: Boolean(dotEnv.AWS_SECRET_ACCESS_KEY),
      errors,
      overridden,
    };
  };

  /** The dry run of the publish the button would run, against the bucket as it is now. */
  const computePlan = async (settings: PublishSettings, bucket: string): Promise<PlanState> => {
    if (build.drafts) return { kind: 'unavailable', line: 'this preview includes draft pages (--drafts): restart it without --drafts to publish from this page' };
    return build.exclusive(async () => {
      const buildError = build.lastBuildError();
      const version = build.version();
      const indexDocument = settings.website.indexDocument;
      const run = { builtDir: build.builtDir, source: target, settings, bucket, dryRun: true };
      try {
        const { plan, summary } = await runPublish(run);
        return {
          kind: 'ready',
          view: groupPlan(plan, settings.prefix, indexDocument),
          warnings: summary.warnings,
          version,
          maxDeletes: settings.maxDeletes,
          websiteChange: summary.website === 'would-configure',
          target: `s3://${bucket}/${settings.prefix}`,
          ...(buildError ? { buildWarning: `the last rebuild failed (${buildError.message}): fix the sources; publishing waits for a good build` } : {}),
        };
      } catch (error) {
        if (isFleuronError(error) && error.code === 'too-many-deletes') {
          // The refused plan in full, so the deletes can be checked; this run never publishes.
          const full = await runPublish({ ...run, maxDeletes: -1 }).catch(() => undefined);
          return { kind: 'refused', line: errorLine(error), view: full && groupPlan(full.plan, settings.prefix, indexDocument), maxDeletes: settings.maxDeletes };
        }
        if (isFleuronError(error) && error.code === 'empty-folder') return { kind: 'refused', line: errorLine(error), maxDeletes: settings.maxDeletes };
        return { kind: 'unavailable', line: errorLine(error) };
      }
    });
  };

  const mainPage = async (response: ServerResponse) => {
    let settings: PublishSettings | undefined;
    let problem: string | undefined;
    let bucket: string | undefined;
    try {
      settings = await readSettings();
      bucket = target.checkTarget(settings);
    } catch (error) {
      problem = errorLine(error);
    }
    const view = await targetView(settings);
    const running = job !== undefined && job.result === undefined;
    let plan: PlanState | undefined;
    let history: HistoryState = { kind: 'none' };
    if (settings && bucket) {
      plan = running ? { kind: 'unavailable', line: `a ${job!.progress.kind} is running: see its progress` } : await computePlan(settings, bucket);
      if (hasArchive(settings)) {
        const archiveBucket = settings.archive.bucket;
        history = await readHistory(settings, bucket).then(
          (records): HistoryState => ({ kind: 'ready', records, archiveBucket }),
          (error): HistoryState => ({ kind: 'error', line: errorLine(error) }),
        );
      }
    }
    const shown = notice;
    notice = undefined;
    const needsForm = !settings || !bucket || view.keys === undefined;
    send(
      response,
      200,
      mainPageHtml({
        token,
        target: view,
        targetProblem: problem,
        notice: shown,
        form: needsForm ? await formView(settings) : undefined,
        plan,
        history,
        job: job && { running, label: running ? `A ${job.progress.kind} is running: see its progress` : `The last ${job.progress.kind}: ${job.result!.ok ? 'done' : 'failed'}` },
      }),
    );
  };

  const saveSettings = async (response: ServerResponse, form: URLSearchParams) => {
    const typed: KeysForm = {
      endpoint: form.get('endpoint') ?? '',
      region: form.get('region') ?? '',
      bucket: form.get('bucket') ?? '',
      accessKeyId: form.get('accessKeyId') ?? '',
      secretAccessKey: form.get('secretAccessKey') ?? '',
    };
    remember(typed.secretAccessKey.trim());
    const checked = checkKeysForm(typed, await readDotEnvValues(target.projectDir));
    if (!checked.ok) {
      const settings = await readSettings().catch(() => undefined);
      return send(response, 400, settingsPageHtml(await formView(settings, typed, checked.errors), token));
    }
    await saveToDotEnv(target.projectDir, checked.values);
    log('publish page: saved the server settings in .env');
    notice = { ok: true, line: 'Saved in .env. Test the connection, then check what would change.' };
    redirect(response, PAGE_PATH);
  };

  const test = async (response: ServerResponse) => {
    try {
      const settings = await readSettings();
      const bucket = target.checkTarget(settings);
      const outcome = await testConnection(settings, bucket);
      notice = outcome.ok
        ? { ok: true, line: `Connected: bucket "${bucket}" at ${settings.endpoint ?? 'AWS S3'} answered (${outcome.objects} object${outcome.objects === 1 ? '' : 's'} listed).` }
        : { ok: false, line: errorLine(outcome.error) };
    } catch (error) {
      notice = { ok: false, line: errorLine(error) };
    }
    redirect(response, PAGE_PATH);
  };

  /** Starts a publish or restore in the background; the status page follows it. */
  const startJob = (kind: JobProgress['kind'], work: (progress: JobProgress) => Promise<JobResult>) => {
    const progress: JobProgress = { kind, step: kind === 'publish' ? 'reading the folder and listing the bucket' : 'restoring', done: 0, total: 0, bytesDone: 0, bytesTotal: 0 };
    const current: Job = { progress };
    job = current;
    void work(progress)
      .catch((error): JobResult => ({ ok: false, line: errorLine(error) }))
      .then((result) => {
        current.result = result;
        busy = false;
        log(scrub(`publish page: ${result.ok ? result.lines[0] : `the ${kind} failed: ${result.line}`}`));
      });
  };

  const startPublish = async (response: ServerResponse, form: URLSearchParams): Promise<boolean> => {
    const settings = await readSettings();
    const bucket = target.checkTarget(settings);
    if (build.drafts) {
      refuse(response, 409, 'Not published', 'this preview includes draft pages (--drafts): restart it without --drafts to publish');
      return false;
    }
    const buildError = build.lastBuildError();
    if (buildError) {
      refuse(response, 409, 'Not published', `the last rebuild failed (${buildError.message}): fix the sources first`);
      return false;
    }
    if (form.get('version') !== String(build.version())) {
      refuse(response, 409, 'Not published', 'the site was rebuilt since this plan was shown: check the new plan, then press Publish again');
      return false;
    }
    const url = await siteUrl();
    startJob('publish', (progress) =>
      build.exclusive(async () => {
        const { summary } = await runPublish({ builtDir: build.builtDir, source: target, settings, bucket, dryRun: false, onEvent: (event) => follow(progress, event) });
        const lines = [
          `Published s3://${summary.bucket}/${summary.prefix}: ${summary.uploaded} uploaded (${formatBytes(summary.bytesUploaded)}), ${summary.headersUpdated} headers updated, ${summary.deleted} deleted, ${summary.unchanged} unchanged, in ${summary.requests.total} requests.`,
          ...(summary.deployId ? [`This is deploy ${summary.deployId}: the versions it replaced are kept in the archive bucket.`] : []),
          ...summary.warnings.map((warning) => `Warning: ${warning}`),
        ];
        return { ok: true, lines, siteUrl: url };
      }),
    );
    redirect(response, `${PAGE_PATH}status`);
    return true;
  };

  const rollbackPreview = async (response: ServerResponse, deployId: string) => {
    let steps;
    let problem: string | undefined;
    try {
      if (!DEPLOY_ID_PATTERN.test(deployId)) throw new Error(`"${deployId}" is not a deploy id: pick one in the history`);
      const settings = await readSettings();
      const bucket = target.checkTarget(settings);
      if (!hasArchive(settings)) throw new Error('no archive bucket is configured, so no deploy was kept');
      steps = (await runRollback(settings, bucket, deployId, true)).steps;
    } catch (error) {
      problem = errorLine(error);
    }
    send(response, problem ? 400 : 200, rollbackPageHtml(deployId, steps, problem, token));
  };

  const startRollback = async (response: ServerResponse, form: URLSearchParams): Promise<boolean> => {
    const deployId = form.get('deploy') ?? '';
    if (!DEPLOY_ID_PATTERN.test(deployId)) {
      refuse(response, 400, 'Not restored', `"${deployId}" is not a deploy id: pick one in the history`);
      return false;
    }
    const settings = await readSettings();
    const bucket = target.checkTarget(settings);
    if (!hasArchive(settings)) {
      refuse(response, 409, 'Not restored', 'no archive bucket is configured, so no deploy was kept');
      return false;
    }
    const url = await siteUrl();
    startJob('restore', async () => {
      const outcome = await runRollback(settings, bucket, deployId, false);
      return {
        ok: true,
        lines: [
          `Restored s3://${bucket}/${settings.prefix} as it was before ${deployId}: ${outcome.restored} files put back, ${outcome.deleted} deleted.`,
          ...(outcome.deployId ? [`This restore is deploy ${outcome.deployId}: it can be undone from the history.`] : []),
        ],
        siteUrl: url,
      };
    });
    redirect(response, `${PAGE_PATH}status`);
    return true;
  };

  const post = async (request: IncomingMessage, response: ServerResponse, route: string) => {
    const body = await readForm(request);
    if (body === 'too-large') return refuse(response, 413, 'Refused', 'the form is too large');
    const verdict = judgeStateChange(
      {
        method: 'POST',
        host: request.headers.host,
        origin: request.headers.origin,
        secFetchSite: single(request.headers['sec-fetch-site']),
        token: body.get('token') ?? undefined,
      },
      token,
    );
    if (!verdict.ok) {
      log(`publish page: refused a POST to ${PAGE_PATH}${route}: ${verdict.why}`);
      return refuse(response, 403, 'Refused', verdict.why);
    }
    if (route === 'settings') return saveSettings(response, body);
    if (route === 'test') return test(response);
    if (route !== 'publish' && route !== 'rollback') return refuse(response, 404, 'Not found', 'there is no such action');
    // Claimed before any wait, so a second press (or a second tab) cannot slip in between.
    if (busy) return refuse(response, 409, 'Already running', `a ${job?.progress.kind ?? 'publish'} is already running: wait for it to finish`);
    busy = true;
    let started = false;
    try {
      started = await (route === 'publish' ? startPublish(response, body) : startRollback(response, body));
    } catch (error) {
      refuse(response, 400, 'Not started', errorLine(error));
    } finally {
      if (!started) busy = false; // a started job frees the slot when it ends
    }
  };

  return {
    handles: (path) => path === PAGE_PATH.slice(0, -1) || path.startsWith(PAGE_PATH),
    async handle(request, response) {
      const url = new URL(request.url ?? '/', 'http://preview.invalid');
      const route = url.pathname.slice(PAGE_PATH.length);
      const method = request.method ?? 'GET';
      if (url.pathname === PAGE_PATH.slice(0, -1)) return redirect(response, PAGE_PATH);
      if (method === 'POST') return post(request, response, route);
      if (method !== 'GET' && method !== 'HEAD') {
        response.setHeader('Allow', 'GET, HEAD, POST');
        return refuse(response, 405, 'Refused', `${method} is not how this page changes anything: use its buttons`);
      }
      if (route === '') return mainPage(response);
      if (route === 'settings') return send(response, 200, settingsPageHtml(await formView(await readSettings().catch(() => undefined)), token));
      if (route === 'status') {
        if (!job) return redirect(response, PAGE_PATH);
        return send(response, 200, statusPageHtml(job.progress, job.result));
      }
      if (route === 'rollback') return rollbackPreview(response, url.searchParams.get('deploy') ?? '');
      if (['publish', 'test'].includes(route)) {
        response.setHeader('Allow', 'POST');
        return refuse(response, 405, 'Refused', 'this action is a button of the publish page (a POST), not a link');
      }
      return refuse(response, 404, 'Not found', 'there is no such page');
    },
  };
}
