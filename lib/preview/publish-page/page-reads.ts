/** The publish page's GET handlers: the main page (target, dry-run plan, history), the settings form, the status and restore previews. */
import type { ServerResponse } from 'node:http';
import { DEPLOY_ID_PATTERN } from '../../archive/deploy-record.js';
import type { PublishSettings } from '../../config/publish-settings.js';
import { isFleuronError } from '../../errors/fleuron-error.js';
import { readDotEnvValues } from './dotenv-file.js';
import { mainPageHtml, PAGE_PATH, rollbackPageHtml, settingsPageHtml, statusPageHtml, type HistoryState, type PlanState } from './page-html.js';
import { readHistory, runPublish, runRollback, type PageSession } from './page-session.js';
import { formViewOf, jobLineOf, targetViewOf } from './page-views.js';
import { groupPlan } from './plan-groups.js';
import { errorLine, hasArchive } from './target-source.js';

export async function showMainPage(session: PageSession, response: ServerResponse): Promise<void> {
  let settings: PublishSettings | undefined;
  let problem: string | undefined;
  let bucket: string | undefined;
  try {
    settings = await session.readSettings();
    bucket = session.target.checkTarget(settings);
  } catch (error) {
    problem = errorLine(error);
  }
  const found = { env: session.env, dotEnv: await readDotEnvValues(session.target.projectDir) };
  const target = targetViewOf(settings, { ...found, siteUrl: await session.siteUrl() }, (text) => session.scrub(text));
  const job = session.job && jobLineOf(session.job);
  let plan: PlanState | undefined;
  let history: HistoryState = { kind: 'none' };
  if (settings && bucket) {
    plan = job?.running ? { kind: 'unavailable', line: `a ${session.job!.progress.kind} is running: see its progress` } : await computePlan(session, settings, bucket);
    history = await historyOf(settings, bucket);
  }
  const notice = session.takeNotice();
  const needsForm = !settings || !bucket || target.keys === undefined;
  const form = needsForm ? formViewOf(settings, found) : undefined;
  session.send(response, 200, mainPageHtml({ token: session.token, target, targetProblem: problem, notice, form, plan, history, job }));
}

export async function showSettingsPage(session: PageSession, response: ServerResponse): Promise<void> {
  const settings = await session.readSettings().catch(() => undefined);
  const form = formViewOf(settings, { env: session.env, dotEnv: await readDotEnvValues(session.target.projectDir) });
  session.send(response, 200, settingsPageHtml(form, session.token));
}

export function showStatusPage(session: PageSession, response: ServerResponse): void {
  if (!session.job) return session.redirect(response, PAGE_PATH);
  session.send(response, 200, statusPageHtml(session.job.progress, session.job.result));
}

/** What restoring the site to before `deployId` would do (a dry run), with the button that does it. */
export async function showRollbackPreview(session: PageSession, response: ServerResponse, deployId: string): Promise<void> {
  let steps;
  let problem: string | undefined;
  try {
    if (!DEPLOY_ID_PATTERN.test(deployId)) throw new Error(`"${deployId}" is not a deploy id: pick one in the history`);
    const settings = await session.readSettings();
    const bucket = session.target.checkTarget(settings);
    if (!hasArchive(settings)) throw new Error('no archive bucket is configured, so no deploy was kept');
    steps = (await runRollback(settings, bucket, deployId, true)).steps;
  } catch (error) {
    problem = errorLine(error);
  }
  session.send(response, problem ? 400 : 200, rollbackPageHtml(deployId, steps, problem, session.token));
}

/** The deploys kept in the archive bucket, when there is one. */
async function historyOf(settings: PublishSettings, bucket: string): Promise<HistoryState> {
  if (!hasArchive(settings)) return { kind: 'none' };
  const archiveBucket = settings.archive.bucket;
  return readHistory(settings, bucket).then(
    (records): HistoryState => ({ kind: 'ready', records, archiveBucket }),
    (error): HistoryState => ({ kind: 'error', line: errorLine(error) }),
  );
}

/** The dry run of the publish the button would run, against the bucket as it is now. */
async function computePlan(session: PageSession, settings: PublishSettings, bucket: string): Promise<PlanState> {
  const { build, target } = session;
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
}
